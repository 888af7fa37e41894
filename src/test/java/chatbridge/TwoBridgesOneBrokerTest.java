package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two bridges on one broker (the first one's embedded broker; the second connects to it over TCP, as a second
 * machine would): each visitor's events still reach the partner in publish order, whichever bridge handles them, and
 * a partner's circuit opened by one bridge holds its events on both, until one probe closes it on both.
 */
class TwoBridgesOneBrokerTest {
    static final String TOKEN = "admin-token-for-two-bridges-0123";
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final Pattern INGESTED = Pattern.compile(
            "chatbridge_ingest_events_total\\{event_type=\"visitor\\.online\",outcome=\"accepted\"} ([0-9.]+)");
    static WebhookReceiver ordered;
    static WebhookReceiver flaky;
    static BridgeRunner first;
    static BridgeRunner second;
    static AdminClient firstAdmin;
    static AdminClient secondAdmin;

    @BeforeAll
    static void start() {
        ordered = new WebhookReceiver();
        flaky = new WebhookReceiver();
        String partners = """
                partners:
                  - id: ordered
                    webhookUrl: %s
                    secrets: [%s]
                    events: [visitor.online]
                  - id: flaky
                    webhookUrl: %s
                    secrets: [%s]
                    events: [order.completed]
                """.formatted(ordered.url(), SECRET, flaky.url(), SECRET);
        first = bridge(partners).start();
        second = bridge(partners).set("chatbridge.broker.url", first.brokerUrl()).start();
        firstAdmin = new AdminClient(first.managementPort(), TOKEN);
        secondAdmin = new AdminClient(second.managementPort(), TOKEN);
    }

    private static BridgeRunner bridge(String partners) {
        return new BridgeRunner().partners(partners)
                .set("chatbridge.admin.token", TOKEN)
                // Both seal and check delivery messages with the same key, as every bridge on one broker must.
                .set("chatbridge.security.message-key", "two-bridges-message-key-0123456789abcdef")
                .set("chatbridge.delivery.concurrent-consumers", "4")
                .set("chatbridge.delivery.local-retries", "0")
                .set("chatbridge.circuit.minimum-requests", "4")
                .set("chatbridge.circuit.window-seconds", "10")
                .set("chatbridge.circuit.probe-interval-seconds", "2");
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        ordered.close();
        flaky.close();
    }

    @Test
    void eachVisitorsEventsArriveInPublishOrderWithTwoBridgesAndOneTakesOverIngest() {
        int visitors = 10;
        int perVisitor = 30;
        List<String> ids = publishVisitorEvents("a", visitors, perVisitor);
        await("every event delivered").atMost(Duration.ofSeconds(60)).until(() -> ordered.acknowledgedIds().containsAll(ids));
        assertPublishOrderPerVisitor("a", visitors, perVisitor);

        // The ingest queue is exclusive: one bridge took every event, the other stood by.
        double byFirst = ingested(first);
        double bySecond = ingested(second);
        assertEquals(visitors * perVisitor, byFirst + bySecond, 0.0);
        assertEquals(0.0, Math.min(byFirst, bySecond), "ingest shared between bridges: " + byFirst + " / " + bySecond);

        // The bridge that ingested goes (its ingest route stops): the other one takes over.
        BridgeRunner active = byFirst > 0 ? first : second;
        BridgeRunner standby = active == first ? second : first;
        double standbyBefore = ingested(standby);
        stopRoute(active, "ingest-visitor-online");
        List<String> more = publishVisitorEvents("b", visitors, perVisitor);
        await("the standby bridge delivers what follows").atMost(Duration.ofSeconds(60))
                .until(() -> ordered.acknowledgedIds().containsAll(more));
        assertEquals(standbyBefore + visitors * perVisitor, ingested(standby), 0.0);
        assertPublishOrderPerVisitor("b", visitors, perVisitor);
        startRoute(active, "ingest-visitor-online");
    }

    @Test
    void aCircuitOpenedByOneBridgeHoldsThePartnerOnBothUntilOneProbeClosesIt() {
        flaky.respondWith(request -> Reply.status(503));
        List<String> ids = new ArrayList<>();
        try (ChatSystem chat = new ChatSystem(first.brokerUrl())) {
            for (int i = 0; i < 20; i++) {
                String id = "flaky-" + i;
                ids.add(id);
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "flaky-visitor-" + i, Instant.now()));
            }
        }
        await("both bridges hold partner flaky").atMost(Duration.ofSeconds(30)).until(() ->
                "circuit-open".equals(firstAdmin.partner("flaky").get("state").asText())
                        && "circuit-open".equals(secondAdmin.partner("flaky").get("state").asText()));

        // Held on both: from now on the partner sees one probe per interval from the two bridges together, not one
        // from each (a bridge that also judged alone would add its own probes, and its own opening burst).
        Instant held = Instant.now();
        await("a few probe intervals").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Duration.between(held, Instant.now()).toSeconds() >= 9);
        List<Instant> probes = flaky.requests().stream().map(WebhookReceiver.Request::receivedAt)
                .filter(at -> at.isAfter(held.plusMillis(500))).sorted().toList();
        assertTrue(probes.size() >= 2 && probes.size() <= 5, "probes in ~8.5 s at one per 2 s: " + probes);
        for (int i = 1; i < probes.size(); i++) {
            long gap = Duration.between(probes.get(i - 1), probes.get(i)).toMillis();
            assertTrue(gap >= 1000, "two probes " + gap + " ms apart: " + probes);
        }

        flaky.respondWith(request -> Reply.ok());
        await("the partner gets every event once back").atMost(Duration.ofSeconds(30))
                .until(() -> flaky.acknowledgedIds().containsAll(ids));
        await("active on both bridges").atMost(Duration.ofSeconds(10)).until(() ->
                "active".equals(firstAdmin.partner("flaky").get("state").asText())
                        && "active".equals(secondAdmin.partner("flaky").get("state").asText()));
    }

    private static List<String> publishVisitorEvents(String round, int visitors, int perVisitor) {
        List<String> ids = new ArrayList<>();
        try (ChatSystem chat = new ChatSystem(first.brokerUrl())) {
            for (int seq = 0; seq < perVisitor; seq++) {
                for (int visitor = 0; visitor < visitors; visitor++) {
                    String id = round + "-v" + visitor + "-" + seq;
                    ids.add(id);
                    chat.sendText("chat.visitor.online", ChatSystem.visitorOnline(id, round + "-visitor-" + visitor, Instant.now()));
                }
            }
        }
        return ids;
    }

    /** The first delivery of each event, per visitor, in the order the partner received them: 0, 1, 2, ... */
    private static void assertPublishOrderPerVisitor(String round, int visitors, int perVisitor) {
        Map<String, List<Integer>> received = new LinkedHashMap<>();
        ordered.requests().stream()
                .filter(request -> request.attemptForId() == 1 && request.webhookId().startsWith(round + "-v"))
                .sorted((a, b) -> a.receivedAt().compareTo(b.receivedAt()))
                .forEach(request -> {
                    String[] parts = request.webhookId().split("-");
                    received.computeIfAbsent(parts[1], visitor -> new ArrayList<>()).add(Integer.parseInt(parts[2]));
                });
        assertEquals(visitors, received.size(), received.keySet().toString());
        List<Integer> inOrder = java.util.stream.IntStream.range(0, perVisitor).boxed().toList();
        received.forEach((visitor, sequence) -> assertEquals(inOrder, sequence, "visitor " + visitor));
    }

    private static double ingested(BridgeRunner bridge) {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = INGESTED.matcher(metrics);
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void stopRoute(BridgeRunner bridge, String routeId) {
        try {
            bridge.context().getRouteController().stopRoute(routeId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void startRoute(BridgeRunner bridge, String routeId) {
        try {
            bridge.context().getRouteController().startRoute(routeId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
