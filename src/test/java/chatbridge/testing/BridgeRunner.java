package chatbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Runs the real bridge (same Main, application.properties, routes/ and artemis/broker.xml as production) in this
 * JVM with an embedded broker in a temporary directory, on free loopback ports. Settings are overridden the way a
 * user would, by property. Whatever could collide with a bridge already running on this machine, or be taken from
 * the environment (BROKER_URL, PARTNER_*, CHAT_API_*, ...), is set here. Used by the flow tests and by the demo.
 */
public final class BridgeRunner implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final int brokerPort = Ports.free();
    private final int httpPort = Ports.free();
    private final int managementPort = Ports.free();
    private Main main;

    public BridgeRunner() {
        this(temporaryDirectory());
    }

    /** @param dataDir the broker's journal and the partners file live below it */
    public BridgeRunner(Path dataDir) {
        this.dataDir = dataDir;
        set("chatbridge.broker.url", "");
        set("chatbridge.broker.embedded.data-dir", dataDir.resolve("broker").toString());
        set("chatbridge.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP");
        set("chatbridge.broker.embedded.properties", "");
        set("camel.server.host", "127.0.0.1");
        set("camel.server.port", String.valueOf(httpPort));
        set("camel.management.host", "127.0.0.1");
        set("camel.management.port", String.valueOf(managementPort));
        set("chatbridge.partners.file", dataDir.resolve("partners.yaml").toString());
        set("chatbridge.partner.webhook-url", "");
        set("chatbridge.chat-api.url", "");
        set("camel.main.shutdownTimeout", "10");
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("chat-bridge-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BridgeRunner set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Writes config/partners.yaml content for this bridge. */
    public BridgeRunner partners(String yaml) {
        write(dataDir.resolve("partners.yaml"), yaml);
        return this;
    }

    /** Artemis broker properties applied over artemis/broker.xml, e.g. faster redelivery for tests. */
    public BridgeRunner brokerProperties(String properties) {
        Path file = dataDir.resolve("broker.properties");
        write(file, properties);
        return set("chatbridge.broker.embedded.properties", file.toString());
    }

    public BridgeRunner start() {
        main = new Main(); // as ChatBridgeApplication: nothing found by a package scan
        properties.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("bridge did not start", e);
        }
        return this;
    }

    public void stop() {
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                throw new IllegalStateException("bridge did not stop", e);
            } finally {
                main = null;
            }
        }
    }

    public BridgeRunner restart() {
        stop();
        return start();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        stop();
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
