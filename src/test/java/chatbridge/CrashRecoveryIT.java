package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import chatbridge.testing.BridgeJar;
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
    @Test
    void killingTheBridgeRepeatedlyLosesNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-crash");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        int events = 3000;
        int kills = 4;
        Random random = new Random(42);
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), dataDir.resolve("bridge.log"),
                     PackagedJarIT.environment(dataDir, brokerPort, managementPort, partner.url()), List.of(),
                     managementPort)) {
            bridge.start(true);
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
                await().atMost(Duration.ofSeconds(60)).until(() -> partner.acknowledgedIds().size() >= target);
                bridge.kill();
                bridge.start(true);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> partner.acknowledgedIds().containsAll(published));

            Set<String> received = new HashSet<>();
            partner.requests().forEach(r -> received.add(r.webhookId()));
            assertEquals(published, received, "every event delivered, nothing else");
            System.out.printf("crash test: %d events, %d kills, %d requests, %d duplicates, 0 lost%n",
                    events, kills, partner.requests().size(), partner.requests().size() - received.size());
            try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                assertTrue(chat.browse("DLQ.webhook.shop").isEmpty(), "nothing dead-lettered");
                assertTrue(chat.browse("DLQ.chat.order.completed").isEmpty(), "nothing dead-lettered");
                assertTrue(chat.browse("DLA").isEmpty(), "nothing reached the broker's safety net");
            }
        }
    }
}
