package chatbridge.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import chatbridge.ChatBridgeApplication;
import org.apache.camel.main.Main;

/**
 * The real bridge (same Main, application.properties, routes/*.yaml and artemis/broker.xml as production) run in
 * this JVM, configured the way a user would configure it: by overriding properties. Everything that could collide
 * with a bridge already running on this machine is moved aside: a fresh broker data directory, free loopback ports,
 * no partners file, and any BROKER_URL / PARTNER_* / CHAT_API_* variables in the environment are overridden.
 */
final class DemoBridge implements AutoCloseable {
    static final String PARTNER_ID = "demo-shop";

    private final int brokerPort = freePort();
    private final int httpPort = freePort();
    private final int managementPort = freePort();
    private final Path dataDir;
    private Main main;

    DemoBridge(Path dataDir) {
        this.dataDir = dataDir;
    }

    String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    String openApiUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    void start(String webhookUrl, String webhookSecret, String apiKey) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("chatbridge.broker.url", "");
        settings.put("chatbridge.broker.embedded.data-dir", dataDir.resolve("broker").toString());
        settings.put("chatbridge.broker.embedded.acceptor", brokerUrl() + "?protocols=CORE");
        settings.put("chatbridge.broker.embedded.properties", "");
        settings.put("camel.server.host", "127.0.0.1");
        settings.put("camel.server.port", Integer.toString(httpPort));
        settings.put("camel.management.host", "127.0.0.1");
        settings.put("camel.management.port", Integer.toString(managementPort));
        // A file that does not exist: only the demo partner below.
        settings.put("chatbridge.partners.file", dataDir.resolve("no-partners.yaml").toString());
        settings.put("chatbridge.partner.id", PARTNER_ID);
        settings.put("chatbridge.partner.webhook-url", webhookUrl);
        settings.put("chatbridge.partner.webhook-secret", webhookSecret);
        settings.put("chatbridge.partner.api-key", apiKey);
        settings.put("chatbridge.partner.events", "");
        // Partner messages stay on partner.messages for the chat-system simulator to read.
        settings.put("chatbridge.chat-api.url", "");
        settings.put("chatbridge.openapi.queue", ChatSystemSimulator.PARTNER_MESSAGES);
        settings.put("camel.main.shutdownTimeout", "10");

        main = new Main(ChatBridgeApplication.class);
        settings.forEach(main::addOverrideProperty);
        main.start();
    }

    @Override
    public void close() throws Exception {
        if (main != null) {
            // Stops the routes, then the pooled connections, then the embedded broker (which also releases
            // Artemis' non-daemon in-VM threads, so the JVM can exit).
            main.stop();
            main = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
