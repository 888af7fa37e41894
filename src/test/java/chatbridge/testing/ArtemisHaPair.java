package chatbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HA pair of artemis/create-ha-pair.sh (a primary and its shared-store backup, the Artemis 2.44.0 distribution,
 * chat-bridge's broker.xml) as two processes on 127.0.0.1, with the users of {@link StandaloneArtemis}. The primary
 * can be killed; the backup then takes over the journal.
 */
public final class ArtemisHaPair implements AutoCloseable {
    private final Path dir;
    private final int primaryPort;
    private final int backupPort;
    private final Path log;
    private Process primary;
    private Process backup;

    public ArtemisHaPair(Path dir, int primaryPort, int backupPort, Path log) throws Exception {
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.backupPort = backupPort;
        this.log = log;
        ProcessBuilder builder = new ProcessBuilder("bash", "artemis/create-ha-pair.sh", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("ARTEMIS_USER", StandaloneArtemis.ADMIN_USER);
        env.put("ARTEMIS_PASSWORD", StandaloneArtemis.ADMIN_PASSWORD);
        env.put("BRIDGE_BROKER_USER", StandaloneArtemis.USER);
        env.put("BRIDGE_BROKER_PASSWORD", StandaloneArtemis.PASSWORD);
        env.put("CHAT_SYSTEM_USER", StandaloneArtemis.CHAT_USER);
        env.put("CHAT_SYSTEM_PASSWORD", StandaloneArtemis.CHAT_PASSWORD);
        env.put("OPERATOR_USER", StandaloneArtemis.OPERATOR_USER);
        env.put("OPERATOR_PASSWORD", StandaloneArtemis.OPERATOR_PASSWORD);
        env.put("PRIMARY_PORT", Integer.toString(primaryPort));
        env.put("BACKUP_PORT", Integer.toString(backupPort));
        env.put("PRIMARY_HTTP_PORT", Integer.toString(Ports.free()));
        env.put("BACKUP_HTTP_PORT", Integer.toString(Ports.free()));
        Process create = builder.start();
        if (!create.waitFor(5, TimeUnit.MINUTES) || create.exitValue() != 0) {
            throw new IllegalStateException("artemis/create-ha-pair.sh failed; see " + log);
        }
    }

    /** The primary (live once it accepts connections), then the backup (ready once it announced itself). */
    public ArtemisHaPair start() throws Exception {
        primary = run("primary");
        awaitAccepting(primaryPort, primary, Duration.ofSeconds(60));
        backup = run("backup");
        await("backup announced").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("backup exited; see " + log("backup"), () -> !backup.isAlive())
                .until(() -> logSays("backup", "AMQ221031"));
        return this;
    }

    private Process run(String role) throws IOException {
        return new ProcessBuilder(dir.resolve(role).resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(role).toFile())).start();
    }

    /** SIGKILL of the primary: it dies mid-write, like a crash, and its lock on the shared journal goes with it. */
    public void killPrimary() throws InterruptedException {
        primary.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until the backup says it is live (AMQ221010) and accepts connections. */
    public void awaitBackupLive(Duration within) {
        await("backup live").atMost(within).pollInterval(Duration.ofMillis(50))
                .failFast("backup exited; see " + log("backup"), () -> !backup.isAlive())
                .until(() -> logSays("backup", "AMQ221010"));
        awaitAccepting(backupPort, backup, within);
    }

    /** Both brokers, as BROKER_URL has them (create-ha-pair.sh writes the same into chat-bridge.env). */
    public String url() {
        return "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort
                + ")?ha=true&reconnectAttempts=-1&retryInterval=500";
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : new Process[] {backup, primary}) {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    private Path log(String role) {
        return log.resolveSibling(log.getFileName() + "." + role);
    }

    private boolean logSays(String role, String text) throws IOException {
        Path file = log(role);
        return Files.exists(file) && Files.readString(file).contains(text);
    }

    private static void awaitAccepting(int port, Process process, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .failFast("artemis exited", () -> !process.isAlive())
                .until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    }
                });
    }
}
