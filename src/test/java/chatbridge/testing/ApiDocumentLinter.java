package chatbridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/api-lint/validate.mjs (Redocly's recommended rules, the OpenAPI 3.1 JSON Schema, @asyncapi/parser)
 * on API documents. The npm packages are installed once into target/api-lint from the committed package-lock.json.
 */
public final class ApiDocumentLinter {
    private static final Path SOURCE = Path.of("src/test/api-lint");
    private static final Path WORK = Path.of("target/api-lint");
    private static boolean installed;

    private ApiDocumentLinter() {
    }

    public record Result(int exitCode, String output) {
        public void assertNoErrors() {
            if (exitCode != 0) {
                throw new AssertionError("API document validation failed:\n" + output);
            }
        }
    }

    /** Either document may be null. */
    public static synchronized Result lint(Path openapi, Path asyncapi) throws IOException, InterruptedException {
        install();
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        if (openapi != null) {
            command.addAll(List.of("--openapi", openapi.toAbsolutePath().toString()));
        }
        if (asyncapi != null) {
            command.addAll(List.of("--asyncapi", asyncapi.toAbsolutePath().toString()));
        }
        return run(command, 60);
    }

    private static void install() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path stamp = WORK.resolve("node_modules/.installed-lock");
        String lock = Files.readString(WORK.resolve("package-lock.json"));
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
            Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            if (npm.exitCode() != 0) {
                throw new IllegalStateException("npm ci in " + WORK + " failed:\n" + npm.output());
            }
            Files.writeString(stamp, lock);
        }
        installed = true;
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is needed to validate the API documents (Node.js 20 "
                    + "and npm): " + e.getMessage(), e);
        }
        Path log = Files.createTempFile(WORK, "run", ".log");
        Thread copier = new Thread(() -> {
            try {
                Files.copy(process.getInputStream(), log, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        copier.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        copier.join(5000);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }
}
