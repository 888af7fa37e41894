package chatbridge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fan-out and concurrency: a partner that is down does not delay another, and each visitor's events reach a
 * partner in the order they were published while visitors are delivered in parallel.
 */
class PartnerIsolationTest {
    static WebhookReceiver healthy;
    static WebhookReceiver failing;
    static BridgeRunner bridge;
    static ChatSystem chat;
    static int refusedPort;
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @BeforeAll
    static void start() {
        healthy = new WebhookReceiver();
        failing = new WebhookReceiver();
        failing.respondWith(request -> Reply.status(503));
        refusedPort = Ports.free();
        String refused = "http://127.0.0.1:" + refusedPort + "/hooks/chat";
        bridge = new BridgeRunner()
                .partners("""
                        partners:
                          - id: healthy
                            webhookUrl: %s
                            secrets: [%s]
                            events: [visitor.online, order.completed]
                          - id: unreachable
                            webhookUrl: %s
                            secrets: [%s]
                            events: [visitor.online]
                          - id: failing
                            webhookUrl: %s
                            secrets: [%s]
                            events: [order.completed]
                        """.formatted(healthy.url(), SECRET, refused, SECRET, failing.url(), SECRET))
                .brokerProperties("""
                        addressSettings."webhook.#".redeliveryDelay=1000
                        addressSettings."webhook.#".redeliveryMultiplier=1.0
                        """)
                .set("chatbridge.delivery.concurrent-consumers", "8")
                .start();
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        healthy.close();
        failing.close();
    }

    @Test
    void onePartnerDownDoesNotDelayAnotherAndCatchesUpWhenBack() {
        int events = 200;
        Instant start = Instant.now();
        for (int i = 0; i < events; i++) {
            chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("iso-v-" + i, "iso-visitor-" + i, Instant.now()));
            chat.sendText("chat.order.completed", ChatSystem.orderCompleted("iso-o-" + i, "iso-visitor-" + i, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged(healthy, "iso-") == 2L * events);
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.toSeconds() < 20, "healthy partner got everything in " + took);

        // Meanwhile the others' events wait on their own queues, retried by the broker; none is lost.
        assertTrue(failing.requests().size() >= 1, "the failing partner is being tried");
        failing.respondWith(request -> Reply.ok());
        try (WebhookReceiver unreachableComesBack = new WebhookReceiver(refusedPort)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged(unreachableComesBack, "iso-v-") == events
                    && acknowledged(failing, "iso-o-") == events);
        }
        assertTrue(chat.browse("DLQ.webhook.healthy").isEmpty());
        assertTrue(chat.browse("DLQ.webhook.unreachable").isEmpty());
        assertTrue(chat.browse("DLQ.webhook.failing").isEmpty());
    }

    static long acknowledged(WebhookReceiver receiver, String prefix) {
        return receiver.acknowledgedIds().stream().filter(id -> id.startsWith(prefix)).count();
    }

    @Test
    void eachVisitorsEventsArriveInPublishOrder() {
        int visitors = 20;
        int perVisitor = 25;
        for (int seq = 0; seq < perVisitor; seq++) {
            for (int v = 0; v < visitors; v++) {
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("ord-" + v + "-" + seq, "ord-visitor-" + v, Instant.now()));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                healthy.requests().stream().filter(r -> r.webhookId().startsWith("ord-")).count() == (long) visitors * perVisitor);

        Map<String, List<Integer>> arrivals = new LinkedHashMap<>();
        for (WebhookReceiver.Request request : healthy.requests()) {
            String id = request.webhookId();
            if (id.startsWith("ord-")) {
                String[] parts = id.split("-");
                arrivals.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(Integer.parseInt(parts[2]));
            }
        }
        for (Map.Entry<String, List<Integer>> visitor : arrivals.entrySet()) {
            List<Integer> sorted = new ArrayList<>(visitor.getValue());
            sorted.sort(null);
            assertEquals(sorted, visitor.getValue(), "visitor " + visitor.getKey() + " out of order");
        }
        assertEquals(visitors, arrivals.size());
    }
}
