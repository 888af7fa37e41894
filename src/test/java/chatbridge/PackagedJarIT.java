package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * The jar a user runs (README's first command), as a separate process configured only by environment variables:
 * it starts its embedded broker, delivers a signed webhook, and stops promptly on SIGTERM.
 */
class PackagedJarIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void theJarDeliversAnEventAndStopsOnSigterm() throws Exception {
        Path jar = Path.of("target", "chat-bridge.jar");
        assertTrue(Files.isRegularFile(jar), "run after mvn package");
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        try (WebhookReceiver partner = new WebhookReceiver()) {
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("bridge.log").toFile());
            builder.environment().put("BROKER_DATA_DIR", dataDir.resolve("broker").toString());
            builder.environment().put("BROKER_ACCEPTOR", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP");
            builder.environment().put("HTTP_PORT", String.valueOf(Ports.free()));
            builder.environment().put("MANAGEMENT_PORT", String.valueOf(managementPort));
            builder.environment().put("PARTNERS_FILE", dataDir.resolve("none.yaml").toString());
            builder.environment().put("PARTNER_ID", "shop");
            builder.environment().put("PARTNER_WEBHOOK_URL", partner.url());
            builder.environment().put("PARTNER_WEBHOOK_SECRET", SECRET);
            Process bridge = builder.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("UP"));

                try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                    chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("jar-1", "v-1", Instant.now()));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> partner.requestsFor("jar-1").size() == 1);
                WebhookReceiver.Request request = partner.requestsFor("jar-1").get(0);
                assertTrue(StandardWebhooks.verify(SECRET, "jar-1", request.header("webhook-timestamp"), request.body(),
                        request.header("webhook-signature")));

                bridge.destroy(); // SIGTERM
                assertTrue(bridge.waitFor(20, TimeUnit.SECONDS), "the JVM exits promptly on SIGTERM");
                String log = Files.readString(dataDir.resolve("bridge.log"));
                assertTrue(log.contains("Embedded Artemis stopped"), "graceful stop");
                assertTrue(!log.contains(SECRET.substring(6)), "the signing secret never appears in the log");
            } finally {
                bridge.destroyForcibly();
            }
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
