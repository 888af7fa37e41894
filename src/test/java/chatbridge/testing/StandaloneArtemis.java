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
 * The Artemis 2.44.0 distribution (from Maven Central, via artemis/create-standalone.sh) as its own process, with
 * chat-bridge's broker.xml, on 127.0.0.1. Can be stopped gracefully, killed, and started again on its journal.
 */
public final class StandaloneArtemis implements AutoCloseable {
    /** The bridge's user (role bridge). */
    public static final String USER = "chat-bridge";
    public static final String PASSWORD = "bridge-test-password";
    /** The instance's admin (role amq: may write anywhere, webhook.* included). */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-password";
    /** The chat system (role chat-system) and an operator (role operator). */
    public static final String CHAT_USER = "chat-system";
    public static final String CHAT_PASSWORD = "chat-test-password";
    public static final String OPERATOR_USER = "operator";
    public static final String OPERATOR_PASSWORD = "operator-test-password";
    private final Path instance;
    private final int port;
    private final Path log;
    private Process process;

    public StandaloneArtemis(Path instance, int port, Path log) throws Exception {
        this.instance = instance;
        this.port = port;
        this.log = log;
        ProcessBuilder builder = new ProcessBuilder("bash", "artemis/create-standalone.sh", instance.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(java.util.Map.of(
                "ARTEMIS_USER", ADMIN_USER, "ARTEMIS_PASSWORD", ADMIN_PASSWORD,
                "BRIDGE_BROKER_USER", USER, "BRIDGE_BROKER_PASSWORD", PASSWORD,
                "CHAT_SYSTEM_USER", CHAT_USER, "CHAT_SYSTEM_PASSWORD", CHAT_PASSWORD,
                "OPERATOR_USER", OPERATOR_USER, "OPERATOR_PASSWORD", OPERATOR_PASSWORD));
        Process create = builder.start();
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
