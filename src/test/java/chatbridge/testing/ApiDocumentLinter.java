package chatbridge.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs src/test/api-lint/validate.mjs (Redocly's recommended rules, the OpenAPI 3.1 JSON Schema, the JSON Schema
 * 2020-12 meta-schema on each Schema Object, @asyncapi/parser, the AsyncAPI JSON Schema) on API documents. Once per
 * JVM the folder is copied to target/api-lint and the pinned packages are installed there from the committed
 * package-lock.json with {@code npm ci} (skipped while node_modules holds an install of the same lock). Needs
 * Node.js 20.19 or later and npm on the PATH; nothing is fetched once the packages are installed.
 */
public final class ApiDocumentLinter {
    private static final Path SOURCE = Path.of("src/test/api-lint");
    private static final Path WORK = Path.of("target/api-lint");
    private static final int INSTALL_TIMEOUT_SECONDS = 180;
    private static final int VALIDATE_TIMEOUT_SECONDS = 60;
    /** No telemetry, update checks or install-time analytics from npm or the validators. */
    private static final Map<String, String> QUIET = Map.of(
            "REDOCLY_TELEMETRY", "off",
            "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true",
            "NO_UPDATE_NOTIFIER", "1",
            "npm_config_update_notifier", "false",
            "SCARF_ANALYTICS", "false",
            "DO_NOT_TRACK", "1");
    private static boolean installed;
    private static String nodeVersion = "?";
    private static String nodeWarning = "";

    private ApiDocumentLinter() {
    }

    /** What validate.mjs printed, one line per finding, a summary per document and a last {@code total:} line. */
    public record Result(int exitCode, String output) {
        public void assertNoErrors() {
            if (exitCode != 0) {
                throw new AssertionError("API document validation failed:\n" + output);
            }
        }
    }

    /** Either document may be null; YAML or JSON. */
    public static synchronized Result lint(Path openapi, Path asyncapi) throws IOException, InterruptedException {
        if (openapi == null && asyncapi == null) {
            throw new IllegalArgumentException("no document to validate");
        }
        install();
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        if (openapi != null) {
            command.addAll(List.of("--openapi", openapi.toAbsolutePath().toString()));
        }
        if (asyncapi != null) {
            command.addAll(List.of("--asyncapi", asyncapi.toAbsolutePath().toString()));
        }
        Result result = run(command, VALIDATE_TIMEOUT_SECONDS);
        return nodeWarning.isEmpty() ? result : new Result(result.exitCode(), nodeWarning + result.output());
    }

    private static void install() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        requireNode();
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path stamp = WORK.resolve("node_modules/.installed-lock");
        String lock = Files.readString(WORK.resolve("package-lock.json"));
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
            // --ignore-scripts: a dependency's postinstall (an analytics ping) must not run; none is needed.
            Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"),
                    INSTALL_TIMEOUT_SECONDS);
            if (npm.exitCode() != 0) {
                throw new IllegalStateException("npm ci in " + WORK + " failed (exit " + npm.exitCode() + ", Node.js "
                        + nodeVersion + "):\n" + nodeWarning + npm.output());
            }
            Files.writeString(stamp, lock);
        }
        installed = true;
    }

    /**
     * Fails clearly when node or npm is missing. An old Node.js is only named: the validators declare 20.19+
     * (Debian 12's own nodejs package is 18), so a failure on one says so rather than refusing it up front.
     */
    private static void requireNode() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        nodeVersion = run(List.of("node", "--version"), 30).output().trim();
        run(List.of("npm", "--version"), 30);
        Matcher semver = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(nodeVersion);
        if (semver.lookingAt()) {
            int major = Integer.parseInt(semver.group(1));
            int minor = Integer.parseInt(semver.group(2));
            if (major < 20 || (major == 20 && minor < 19) || major == 21) {
                nodeWarning = "note: " + which("node") + " is Node.js " + nodeVersion
                        + "; the validators declare Node.js 20.19+ or 22.12+\n";
            }
        }
    }

    private static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return program;
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(QUIET);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw new IllegalStateException("`" + command.get(0) + "` was not found or could not start: validating the "
                    + "API documents needs Node.js 20.19+ and npm on the PATH (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + " s; its output so far:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
