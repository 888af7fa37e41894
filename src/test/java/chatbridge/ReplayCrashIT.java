package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import chatbridge.testing.WebhookReceiver.Request;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * "A crash mid-way leaves every message either where it was or moved, never both and never neither" (admin
 * DeadLetters): the jar (embedded broker, admin API on) builds a dead-letter queue of 2,000 events its partner
 * rejected (400), the partner is fixed, an operator replays them all (POST /admin/dead-letters/replay, from another
 * thread: the call returns when the replay is done) and the bridge is killed with SIGKILL while the replay is moving
 * them, once the partner has acknowledged some. After a restart, what was moved is delivered and the rest waits in
 * DLQ.webhook.shop: no event twice there, none both left there and delivered, none in neither. A second replay
 * delivers the rest. An event delivered twice (killed between the partner's 2xx and the commit) is the at-least-once
 * case and allowed: the same webhook-id and body. Every request's Standard Webhooks signature verifies.
 *
 * <p>-Dreplay-crash.events (default 2,000), -Dreplay-crash.kill-at (default 250).
 */
class ReplayCrashIT {
    static final String TOKEN = "replay-crash-admin-token-0123456789";
    static final String DLQ = "DLQ.webhook.shop";
    static final int EVENTS = Integer.getInteger("replay-crash.events", 2000);
    /** The kill comes once the partner has acknowledged this many replayed events: a few batches of 100 moved. */
    static final int KILL_AT_ACKNOWLEDGED = Integer.getInteger("replay-crash.kill-at", 250);

    @Test
    void killingTheBridgeMidReplayNeitherDuplicatesNorLosesADeadLetter() throws Exception {
        long started = System.nanoTime();
        Path dataDir = Files.createTempDirectory("chat-bridge-replay-crash");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        AtomicInteger badSignatures = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        try (WebhookReceiver partner = new WebhookReceiver()) {
            Map<String, String> env = new HashMap<>(PackagedJarIT.environment(dataDir, brokerPort, managementPort, partner.url()));
            env.put("ADMIN_TOKEN", TOKEN);
            AdminClient admin = new AdminClient(managementPort, TOKEN);
            // Rejected for good at first (400: no retry, straight to the dead-letter queue).
            partner.respondWith(request -> verified(request, badSignatures) ? Reply.status(400) : Reply.status(401));
            try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), dataDir.resolve("bridge.log"), env,
                    List.of(), managementPort)) {
                bridge.start(true);

                // 1. A dead-letter queue of EVENTS rejected events, each once, reason http-400.
                Set<String> published = publish(brokerUrl);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> admin.partner("shop").get("deadLetters").asLong() == EVENTS);
                List<ChatSystem.Received> dead = deadLetters(brokerUrl, admin);
                assertEquals(published, distinctIds(dead), "every event dead-lettered, once");
                assertEquals(Map.of("http-400", (long) EVENTS), dead.stream().collect(Collectors.groupingBy(
                        m -> String.valueOf(m.property("chatbridgeReason")), Collectors.counting())));
                assertTrue(partner.acknowledgedIds().isEmpty());
                double dlqSeconds = (System.nanoTime() - started) / 1e9;
                // What the operator checks first: the replay would take all of them.
                AdminClient.Answer dryRun = admin.post("/admin/dead-letters/replay", "{\"partner\":\"shop\",\"dryRun\":true}");
                assertEquals(200, dryRun.status(), dryRun.body());
                assertEquals(EVENTS, dryRun.json().get("matched").asInt(),
                        "a dry run matches every dead letter of shop (" + EVENTS + " on " + DLQ + "): " + dryRun.body());

                // 2. The partner is fixed. The replay runs in another thread; the bridge is killed mid-way.
                partner.respondWith(request -> {
                    if (!verified(request, badSignatures)) {
                        return Reply.status(401);
                    }
                    accepted.incrementAndGet();
                    return Reply.ok();
                });
                long replayStart = System.nanoTime();
                CompletableFuture<AdminClient.Answer> replay = CompletableFuture.supplyAsync(
                        () -> admin.post("/admin/dead-letters/replay", "{\"partner\":\"shop\"}"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .failFast("the replay ended before the bridge was killed", replay::isDone)
                        .until(() -> partner.acknowledgedCount() >= KILL_AT_ACKNOWLEDGED);
                int acknowledgedAtKill = partner.acknowledgedCount();
                bridge.kill();
                long killedAfterMillis = (System.nanoTime() - replayStart) / 1_000_000;
                AtomicReference<Object> replayOutcome = new AtomicReference<>();
                replay.handle((answer, error) -> {
                    replayOutcome.set(error != null ? error.getCause() : answer);
                    return null;
                }).join();
                System.out.printf("replay-crash: a DLQ of %d built in %.1f s; SIGKILL %d ms into the replay, %d acknowledged; "
                        + "the replay call: %s%n", EVENTS, dlqSeconds, killedAfterMillis, acknowledgedAtKill, replayOutcome.get());
                assertFalse(replayOutcome.get() instanceof AdminClient.Answer, "the replay call was cut short by the kill");

                // 3. Restarted: what the replay had moved back onto webhook.shop is delivered; the rest is still dead.
                bridge.start(true);
                awaitDrained(admin);
                List<ChatSystem.Received> stillDead = deadLetters(brokerUrl, admin);
                List<String> left = ids(stillDead);
                Set<String> leftOnce = new TreeSet<>(left);
                // The partner notes an acknowledgement just after answering: give the last one a moment.
                try {
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                            .until(() -> union(leftOnce, partner.acknowledgedIds()).containsAll(published));
                } catch (ConditionTimeoutException e) {
                    // the events in neither are named below
                }
                Set<String> delivered = new TreeSet<>(partner.acknowledgedIds());
                Set<String> both = new TreeSet<>(leftOnce);
                both.retainAll(delivered);
                Set<String> neither = new TreeSet<>(published);
                neither.removeAll(union(leftOnce, delivered));
                System.out.printf("replay-crash: after the restart %d left on %s (%d distinct), %d delivered, %d requests%n",
                        left.size(), DLQ, leftOnce.size(), delivered.size(), partner.requests().size());
                assertEquals(left.size(), leftOnce.size(), "no event twice on " + DLQ);
                assertEquals(Set.of(), both, "no event both left on " + DLQ + " and delivered");
                assertEquals(Set.of(), neither, "no event lost: each is still on " + DLQ + " or delivered");
                assertTrue(published.containsAll(delivered), "nothing else delivered");
                assertFalse(delivered.isEmpty(), "the kill came after the replay had moved some");
                assertFalse(left.isEmpty(), "the kill came before the replay had moved them all");
                assertEquals(left.size(), admin.partner("shop").get("deadLetters").asLong());
                assertTrue(stillDead.stream().allMatch(m -> "http-400".equals(m.property("chatbridgeReason"))),
                        "what is left is as it was");

                // 4. The rest replayed: every event delivered, nothing left dead.
                long secondStart = System.nanoTime();
                AdminClient.Answer second = admin.post("/admin/dead-letters/replay", "{\"partner\":\"shop\"}");
                System.out.printf("replay-crash: the second replay took %d ms: %s%n", (System.nanoTime() - secondStart) / 1_000_000,
                        second.body());
                assertEquals(200, second.status(), second.body());
                assertEquals(left.size(), second.json().get("replayed").asInt(), "the second replay takes the rest: " + second.body());
                assertEquals(0, second.json().get("skipped").asInt(), second.body());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> partner.acknowledgedIds().containsAll(published));
                awaitDrained(admin);
                assertEquals(published, partner.acknowledgedIds(), "every event delivered, nothing else");
                try (ChatSystem chat = new ChatSystem(brokerUrl)) {
                    assertEquals(List.of(), chat.browse(DLQ), DLQ + " is empty");
                    assertEquals(List.of(), chat.browse("DLQ.chat.order.completed"));
                    assertEquals(List.of(), chat.browse("DLA"), "nothing reached the broker's safety net");
                }
                JsonNode shop = admin.partner("shop");
                assertEquals(0, shop.get("deadLetters").asLong(), shop.toString());
                assertEquals("active", shop.get("state").asText(), shop.toString());

                // Every request signed (the 400s too); a repeat is the same event: same webhook-id, same body.
                Map<String, String> bodyOf = new HashMap<>();
                for (Request request : partner.requests()) {
                    assertTrue(StandardWebhooks.verify(PackagedJarIT.SECRET, request.webhookId(),
                            request.header("webhook-timestamp"), request.body(), request.header("webhook-signature")),
                            "the signature of a request for " + request.webhookId());
                    assertTrue(request.bodyText().contains("\"id\":\"" + request.webhookId() + "\""), request.bodyText());
                    String first = bodyOf.putIfAbsent(request.webhookId(), request.bodyText());
                    assertTrue(first == null || first.equals(request.bodyText()), "every request for " + request.webhookId()
                            + " carries the same event");
                }
                assertEquals(0, badSignatures.get(), "every request carried a valid signature");
                System.out.printf("replay-crash: %d events, %d requests (%d answered 400, %d answered 204, of which %d "
                                + "repeated a delivered event), 0 lost, 0 twice on %s, %.1f s%n", EVENTS,
                        partner.requests().size(), partner.requests().size() - accepted.get(), accepted.get(),
                        accepted.get() - EVENTS, DLQ, (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** EVENTS order.completed events, in transactions of 500; their ids. */
    private static Set<String> publish(String brokerUrl) {
        Set<String> published = new HashSet<>();
        List<String> bodies = new ArrayList<>();
        try (ChatSystem chat = new ChatSystem(brokerUrl)) {
            for (int i = 0; i < EVENTS; i++) {
                String id = "replay-" + i;
                bodies.add(ChatSystem.orderCompleted(id, "v-" + (i % 50), Instant.now()));
                published.add(id);
                if (bodies.size() == 500 || i == EVENTS - 1) {
                    chat.sendTextsInOneTransaction("chat.order.completed", bodies);
                    bodies.clear();
                }
            }
        }
        return published;
    }

    /**
     * Everything on DLQ.webhook.shop. An Artemis queue browser's enumeration ends as soon as nothing is buffered in its
     * consumer at that instant (receiveImmediate), which can be before the end of a long queue. So the browse has no
     * flow-control window, and it counts only when it saw as many messages as the broker says it holds.
     */
    private static List<ChatSystem.Received> deadLetters(String brokerUrl, AdminClient admin) {
        AtomicReference<List<ChatSystem.Received>> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            long held = admin.partner("shop").get("deadLetters").asLong();
            try (ChatSystem chat = new ChatSystem(brokerUrl + "?consumerWindowSize=-1")) {
                seen.set(chat.browse(DLQ));
            }
            return seen.get().size() == held;
        });
        return seen.get();
    }

    /** Nothing waiting on webhook.shop and nothing being delivered. */
    private static void awaitDrained(AdminClient admin) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode shop = admin.partner("shop");
            return shop.get("queued").asLong() == 0 && shop.get("inFlight").asLong() == 0;
        });
    }

    private static List<String> ids(List<ChatSystem.Received> messages) {
        return messages.stream().map(m -> String.valueOf(m.property("chatbridgeEventId"))).toList();
    }

    private static Set<String> distinctIds(List<ChatSystem.Received> messages) {
        List<String> ids = ids(messages);
        Set<String> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size(), "no event id twice on " + DLQ);
        return distinct;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static boolean verified(Request request, AtomicInteger bad) {
        if (StandardWebhooks.verify(PackagedJarIT.SECRET, request.webhookId(), request.header("webhook-timestamp"),
                request.body(), request.header("webhook-signature"))) {
            return true;
        }
        bad.incrementAndGet();
        return false;
    }
}
