package chatbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The Artemis 2.40.0 distribution (from Maven Central, via artemis/create-standalone.sh) as its own process, with
 * chat-bridge's broker.xml, on 127.0.0.1. Can be stopped gracefully, killed, and started again on its journal.
 */
public final class StandaloneArtemis implements AutoCloseable {
    public static final String USER = "chatbridge";
    public static final String PASSWORD = "chatbridge";
    private final Path instance;
    private final int port;
    private final Path log;
    private Process process;

    public StandaloneArtemis(Path instance, int port, Path log) throws Exception {
        this.instance = instance;
        this.port = port;
        this.log = log;
        Process create = new ProcessBuilder("bash", "artemis/create-standalone.sh", instance.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!create.waitFor(5, TimeUnit.MINUTES) || create.exitValue() != 0) {
            throw new IllegalStateException("artemis/create-standalone.sh failed; see " + log);
        }
    }

    /** Edits the instance's copy of artemis/broker.xml before the broker starts (tests that need a faster schedule). */
    public StandaloneArtemis editBrokerXml(UnaryOperator<String> edit) throws IOException {
        Path brokerXml = instance.resolve("etc/broker.xml");
        Files.writeString(brokerXml, edit.apply(Files.readString(brokerXml)));
        return this;
    }

    public StandaloneArtemis start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("ARTEMIS_PORT", Integer.toString(port));
        process = builder.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("artemis exited; see " + log, () -> !process.isAlive())
                .until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    }
                });
        return this;
    }

    /** SIGTERM: Artemis' own graceful shutdown. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** SIGKILL: the broker dies mid-write, like a crash. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
