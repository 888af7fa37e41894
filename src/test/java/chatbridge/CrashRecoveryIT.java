package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * "A crash at any point means redelivery, never a drop": the jar (with its embedded broker) is killed with SIGKILL
 * at random moments while it drains a backlog, and restarted. Every event still reaches the partner; a repeat
 * carries the same webhook-id. (A short version of the fault-injection suite's crash scenario.)
 */
class CrashRecoveryIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void killingTheBridgeRepeatedlyLosesNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-crash");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        int events = 3000;
        int kills = 4;
        Random random = new Random(42);
        try (WebhookReceiver partner = new WebhookReceiver()) {
            ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin"
                    + File.separator + "java", "-jar", Path.of("target", "chat-bridge.jar").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("bridge.log").toFile()));
            builder.environment().put("BROKER_DATA_DIR", dataDir.resolve("broker").toString());
            builder.environment().put("BROKER_ACCEPTOR", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE");
            builder.environment().put("HTTP_PORT", String.valueOf(Ports.free()));
            builder.environment().put("MANAGEMENT_PORT", String.valueOf(managementPort));
            builder.environment().put("PARTNERS_FILE", dataDir.resolve("none.yaml").toString());
            builder.environment().put("PARTNER_ID", "shop");
            builder.environment().put("PARTNER_WEBHOOK_URL", partner.url());
            builder.environment().put("PARTNER_WEBHOOK_SECRET", SECRET);

            Process bridge = startHealthy(builder, managementPort);
            Set<String> published = new HashSet<>();
            try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                for (int i = 0; i < events; i++) {
                    String id = "crash-" + i;
                    chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "v-" + (i % 50), Instant.now()));
                    published.add(id);
                }
            }
            for (int k = 0; k < kills; k++) {
                long target = Math.min(events - 1, partner.acknowledgedIds().size() + 100 + random.nextInt(400));
                await().atMost(Duration.ofSeconds(60)).until(() -> partner.acknowledgedIds().size() >= target
                        || partner.acknowledgedIds().containsAll(published));
                bridge.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
                assertTrue(bridge.waitFor(10, TimeUnit.SECONDS));
                bridge = startHealthy(builder, managementPort);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> partner.acknowledgedIds().containsAll(published));

            Set<String> received = new HashSet<>();
            partner.requests().forEach(r -> received.add(r.webhookId()));
            assertEquals(published, received, "every event delivered, nothing else");
            long duplicates = partner.requests().size() - received.size();
            System.out.printf("crash test: %d events, %d kills, %d requests, %d duplicates, 0 lost%n",
                    events, kills, partner.requests().size(), duplicates);
            try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                assertTrue(chat.browse("DLQ.webhook.shop").isEmpty(), "nothing dead-lettered");
                assertTrue(chat.browse("DLQ.chat.order.completed").isEmpty(), "nothing dead-lettered");
                assertTrue(chat.browse("DLA").isEmpty(), "nothing reached the broker's safety net");
            } finally {
                bridge.destroy();
                assertTrue(bridge.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    private static Process startHealthy(ProcessBuilder builder, int managementPort) throws Exception {
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("UP"));
        return process;
    }
}
