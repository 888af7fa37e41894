package chatbridge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ExternalBroker;
import chatbridge.testing.Ports;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * An external broker stopped and started again in the middle of a drain: the bridge reconnects by itself, health
 * goes DOWN and back UP, and every event is delivered.
 */
class BrokerRestartTest {
    @Test
    void theBridgeReconnectsAndLosesNothingWhenTheBrokerRestarts() throws Exception {
        int events = 10_000;
        try (WebhookReceiver partner = new WebhookReceiver();
             ExternalBroker broker = new ExternalBroker(Files.createTempDirectory("restart-broker"), Ports.free()).start();
             BridgeRunner bridge = new BridgeRunner()
                     .set("chatbridge.broker.url", broker.url() + "?reconnectAttempts=0")
                     .set("chatbridge.security.message-key", "broker-restart-test-seal-key-0123456789")
                     .set("chatbridge.partner.webhook-url", partner.url())
                     .set("chatbridge.partner.webhook-secret", "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh")
                     .start()) {
            Set<String> published = new HashSet<>();
            try (ChatSystem chat = new ChatSystem(broker.url())) {
                // In transactions of 500, so the backlog is there before the bridge can drain much of it.
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    bodies.add(ChatSystem.orderCompleted("restart-" + i, "v-" + (i % 20), Instant.now()));
                    published.add("restart-" + i);
                    if (bodies.size() == 500) {
                        chat.sendTextsInOneTransaction("chat.order.completed", bodies);
                        bodies.clear();
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> partner.acknowledgedIds().size() >= 100);
            broker.stop();
            HttpClient management = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/health")).build();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("DOWN"));
            // Not ready while the broker is away, but alive: restarting the bridge would not bring the broker back.
            HttpRequest ready = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/health/ready")).build();
            HttpRequest live = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/health/live")).build();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.send(ready, HttpResponse.BodyHandlers.ofString()).body().contains("DOWN"));
            HttpResponse<String> liveness = management.send(live, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, liveness.statusCode(), liveness.body());
            assertTrue(liveness.body().contains("UP"), liveness.body());
            int deliveredDuringOutage = partner.acknowledgedIds().size();
            assertTrue(deliveredDuringOutage < events, "the outage happened mid-drain");

            broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> partner.acknowledgedIds().containsAll(published));
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("UP"));
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            assertEquals(published, partner.acknowledgedIds(), "every event, nothing else");
        }
    }
}
