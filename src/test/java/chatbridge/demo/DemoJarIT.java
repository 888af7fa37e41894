package chatbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The demo command demo/run.sh runs, against the packaged jar: it prints the trace and the JVM
 * ends on its own (success does not call System.exit, so a leftover thread would show here as a hang).
 */
class DemoJarIT {
    @Test
    void theDocumentedCommandRunsTheDemoAndExits() throws Exception {
        Path jar = Path.of("target", "chat-bridge.jar");
        assertTrue(Files.isRegularFile(jar), "run after mvn package");
        Path output = Files.createTempFile("chat-bridge-demo", ".log");
        // The demo is not part of the production jar: its classes come from target/test-classes (demo/run.sh).
        String classpath = jar + File.pathSeparator + Path.of("target", "test-classes");
        Process demo = new ProcessBuilder(javaBinary(), "-cp", classpath, "chatbridge.demo.DemoApplication")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertTrue(demo.waitFor(90, TimeUnit.SECONDS), "the demo stops by itself");
            String trace = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, demo.exitValue(), trace);
            List<String> lines = trace.lines().toList();
            assertTrue(lines.get(lines.size() - 1).startsWith("demo: 5 events published, 5 webhooks verified, "
                    + "5 replies accepted, 5 messages queued for the chat — all good"), trace);
            assertTrue(trace.contains("text \"欢迎回来，陈美！\""), "UTF-8 whatever the locale: " + trace);
            assertTrue(!trace.contains(" INFO "), "the bridge's INFO logs stay quiet: " + trace);
        } finally {
            demo.destroyForcibly();
            Files.deleteIfExists(output); // on failure the assertion message carries the trace
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
