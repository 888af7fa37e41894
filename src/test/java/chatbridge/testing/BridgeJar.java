package chatbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge jar (target/chat-bridge.jar) as its own process, as a user runs it, configured by environment
 * variables. Used by the *IT tests and the benchmark.
 */
public final class BridgeJar implements AutoCloseable {
    private final Path jar;
    private final Path log;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final int managementPort;
    private final List<String> launch;
    private Process process;

    public BridgeJar(Path jar, Path log, Map<String, String> env, List<String> jvmOptions, int managementPort) {
        this(jar, log, env, jvmOptions, managementPort, List.of());
    }

    /**
     * @param extraClasspath put after the jar (classes of the bench, say); the bridge then starts from its main class
     *                       instead of with -jar
     */
    public BridgeJar(Path jar, Path log, Map<String, String> env, List<String> jvmOptions, int managementPort,
                     List<Path> extraClasspath) {
        this.jar = jar;
        this.log = log;
        this.env = env;
        this.jvmOptions = jvmOptions;
        this.managementPort = managementPort;
        if (extraClasspath.isEmpty()) {
            this.launch = List.of("-jar", jar.toString());
        } else {
            StringBuilder classpath = new StringBuilder(jar.toString());
            extraClasspath.forEach(p -> classpath.append(File.pathSeparator).append(p));
            this.launch = List.of("-cp", classpath.toString(), "chatbridge.ChatBridgeApplication");
        }
    }

    /** @param routesStarted false starts the bridge (and its embedded broker) with no route consuming */
    public void start(boolean routesStarted) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmOptions);
        if (!routesStarted) {
            command.add("-Dcamel.main.autoStartup=false");
        }
        command.addAll(launch);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("bridge exited; see " + log, () -> !process.isAlive())
                // With no route started health stays DOWN, but the server answering means the broker is up.
                .until(() -> {
                    String body = http.send(health, HttpResponse.BodyHandlers.ofString()).body();
                    return !routesStarted || body.contains("UP");
                });
    }

    /** Starts the jar and waits for it to end by itself (a refused configuration, say); returns its exit code. */
    public int runUntilExit(Duration within) throws Exception {
        List<String> command = List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-jar", jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the bridge was still running after " + within + "; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then waits for the graceful stop. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The bridge's process id (it changes with every start). */
    public long pid() {
        return process.pid();
    }

    /** Resident set size in MiB, from /proc. */
    public double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Java heap in use in MiB, from jcmd GC.heap_info. */
    public double heapUsedMiB() throws Exception {
        Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
    }

    /** Runs a jcmd diagnostic command (GC.heap_info, JFR.start, ...) in the bridge's JVM; returns what it printed. */
    public String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/jcmd", Long.toString(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; true when the JVM exited within the time. */
    public boolean terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }
}
