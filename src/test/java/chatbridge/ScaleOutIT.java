package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import chatbridge.openapi.OpenApiClient;
import chatbridge.testing.ArtemisHaPair;
import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several bridges on an Artemis HA pair (artemis/create-ha-pair.sh), each bridge the real jar in its own process,
 * against a partner that takes a fixed time per request (150 ms: long enough that two bridge JVMs, two brokers and this
 * test on two cores stay well below the CPU's limit), so that the bridges' delivery consumers limit the rate:
 * <ol>
 *   <li>two bridges deliver at least 1.8 times as fast as one;</li>
 *   <li>SIGKILL of the live broker mid-drain: the backup takes over, no event is lost, a duplicate only ever repeats
 *   a webhook-id, each visitor's events arrive in publish order, the Open API answers 202 or 503 throughout (and
 *   every 202 is on the queue afterwards), and the bridges deliver again within 10 s;</li>
 *   <li>SIGKILL of one bridge mid-drain: the other carries on, no event lost.</li>
 * </ol>
 * The table it prints is README, Scaling out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String API_KEY = "scale-out-key-123";
    static final Duration PARTNER_LATENCY = Duration.ofMillis(150);
    static final int DELIVERY_CONSUMERS = 4;
    static final Duration DELIVERS_AGAIN_WITHIN = Duration.ofSeconds(10);
    /** The shortest redelivery delay in artemis/broker.xml (chat.#), less a margin for the clocks. */
    static final Duration REDELIVERY_DELAY_FLOOR = Duration.ofMillis(400);
    static final List<String> ROWS = new ArrayList<>();

    static Path work;
    static ArtemisHaPair pair;
    static WebhookReceiver partner;
    static BridgeJar[] bridges = new BridgeJar[2];
    static int[] httpPorts = new int[2];

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("chat-bridge-scale-out");
        pair = new ArtemisHaPair(work.resolve("ha"), Ports.free(), Ports.free(), work.resolve("artemis.log"));
        pair.start();
        partner = new WebhookReceiver();
        partner.latency(PARTNER_LATENCY);
        partner.forgetBodies();
        Files.writeString(work.resolve("partners.yaml"), """
                partners:
                  - id: shop
                    webhookUrl: %s
                    secrets: [%s]
                    events: [visitor.online]
                    apiKeys: [%s]
                """.formatted(partner.url(), SECRET, API_KEY));
        bridges[0] = bridge(0);
        bridges[0].start(true);
    }

    private static BridgeJar bridge(int index) {
        httpPorts[index] = Ports.free();
        int managementPort = Ports.free();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BROKER_URL", pair.url());
        env.put("BROKER_USER", StandaloneArtemis.USER);
        env.put("BROKER_PASSWORD", StandaloneArtemis.PASSWORD);
        // Every bridge on one broker seals and checks delivery messages with the same key.
        env.put("BRIDGE_MESSAGE_KEY", "scale-out-delivery-seal-key-0123456789");
        env.put("HTTP_PORT", String.valueOf(httpPorts[index]));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("PARTNERS_FILE", work.resolve("partners.yaml").toString());
        env.put("DELIVERY_CONSUMERS", String.valueOf(DELIVERY_CONSUMERS));
        env.put("OPENAPI_RATE_LIMIT_PER_SECOND", "0");
        // Losing none is the point: no event may age out or run out of attempts while a broker fails over.
        env.put("VISITOR_ONLINE_MAX_ATTEMPTS", "1000");
        env.put("VISITOR_ONLINE_FRESHNESS_SECONDS", "3600");
        return new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("bridge-" + (index + 1) + ".log"), env,
                List.of("-Xmx384m"), managementPort);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println();
        System.out.printf("%-44s %7s %10s %10s %5s %12s%n", "scenario", "events", "delivered", "duplicates", "lost", "events/s");
        ROWS.forEach(System.out::println);
        for (BridgeJar bridge : bridges) {
            if (bridge != null) {
                bridge.close();
            }
        }
        if (pair != null) {
            pair.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    @Order(1)
    void twoBridgesDeliverAtLeast18TimesAsFastAsOne() throws Exception {
        // One event per visitor: each visitor is a group of its own, spread evenly over the consumers.
        double one = drainRate("one bridge", publish("one-", 360, 1));
        bridges[1] = bridge(1);
        bridges[1].start(true);
        double two = drainRate("two bridges", publish("two-", 720, 1));
        assertTrue(two >= 1.8 * one, String.format("two bridges %.0f events/s, one %.0f: %.2fx", two, one, two / one));
    }

    @Test
    @Order(2)
    void theLiveBrokerKilledMidDrainLosesNothingAndTheBridgesDeliverAgainWithin10Seconds() throws Exception {
        Map<String, Integer> ids = publish("ha-", 60, 12);
        OpenApiLoad openApi = new OpenApiLoad();
        openApi.start();
        awaitDelivered(ids.keySet(), ids.size() / 4);

        Instant killed = Instant.now();
        pair.killPrimary();
        pair.awaitBackupLive(Duration.ofSeconds(30));
        // Counted from the kill to the first request made once the backup was live (a request right after the kill
        // could still be a message the bridge had in hand): an upper bound.
        Instant backupLive = Instant.now();
        Instant firstAfter = await("a bridge delivers again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> firstRequestAfter(backupLive), at -> at != null);
        Duration outage = Duration.between(killed, firstAfter);
        // A little more Open API traffic against the backup, then its verdict.
        awaitDelivered(ids.keySet(), ids.size() * 3 / 4);
        openApi.stop();

        awaitAll(ids.keySet(), Duration.ofSeconds(120));
        row("broker SIGKILL, backup takes over (2 bridges)", ids.keySet(), Double.NaN);
        row(String.format("  first delivery %.1f s after the kill", outage.toMillis() / 1000.0), Set.of(), Double.NaN);
        assertNoForeignIds();
        int overtaken = assertPublishOrderPerVisitor(ids, killed);
        row("  events overtaken in their visitor's order (rolled back at the failover): " + overtaken, Set.of(), Double.NaN);
        assertTrue(outage.compareTo(DELIVERS_AGAIN_WITHIN) <= 0, "delivering again " + outage + " after the kill");

        Map<Integer, Integer> statuses = openApi.statuses();
        row("  Open API during failover " + statuses, Set.of(), Double.NaN);
        assertTrue(statuses.keySet().stream().allMatch(status -> status == 202 || status == 503),
                "the Open API answers 202 or 503 while the broker fails over: " + statuses);
        assertTrue(statuses.getOrDefault(202, 0) > 0, "some accepted: " + statuses);
        Set<String> queued = takeAll("partner.messages");
        assertTrue(queued.containsAll(openApi.acceptedIds()),
                "every 202 is on the queue: missing " + openApi.acceptedIds().stream().filter(id -> !queued.contains(id)).toList());
    }

    @Test
    @Order(3)
    void aBridgeKilledMidDrainLeavesTheOtherToCarryOnLosingNothing() throws Exception {
        Map<String, Integer> ids = publish("kill-", 60, 12);
        awaitDelivered(ids.keySet(), ids.size() / 4);
        Instant killed = Instant.now();
        bridges[0].kill();
        bridges[0] = null;
        awaitAll(ids.keySet(), Duration.ofSeconds(120));
        row("bridge SIGKILL, the other carries on", ids.keySet(), Double.NaN);
        assertNoForeignIds();
        int overtaken = assertPublishOrderPerVisitor(ids, killed);
        row("  events overtaken in their visitor's order (rolled back at the crash): " + overtaken, Set.of(), Double.NaN);
    }

    /** Publishes visitors x perVisitor events, each visitor's in sequence; returns id -> sequence number. */
    private static Map<String, Integer> publish(String prefix, int visitors, int perVisitor) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<String> bodies = new ArrayList<>();
        try (ChatSystem chat = new ChatSystem(pair.url(), StandaloneArtemis.CHAT_USER, StandaloneArtemis.CHAT_PASSWORD)) {
            for (int seq = 0; seq < perVisitor; seq++) {
                for (int visitor = 0; visitor < visitors; visitor++) {
                    String id = prefix + visitor + "-" + seq;
                    ids.put(id, seq);
                    bodies.add(ChatSystem.visitorOnline(id, prefix + "visitor-" + visitor, Instant.now()));
                    if (bodies.size() == 100) {
                        chat.sendTextsInOneTransaction("chat.visitor.online", bodies);
                        bodies.clear();
                    }
                }
            }
            if (!bodies.isEmpty()) {
                chat.sendTextsInOneTransaction("chat.visitor.online", bodies);
            }
        }
        return ids;
    }

    /**
     * Events per second while every consumer is busy: the requests between the 10th and the 90th percentile of their
     * arrival, over that time. The start (consumers joining) and the tail (the last groups finishing on fewer
     * consumers than there are) say nothing about how fast the bridges deliver.
     */
    private static double drainRate(String scenario, Map<String, Integer> ids) {
        awaitAll(ids.keySet(), Duration.ofSeconds(120));
        List<Instant> times = partner.requests().stream().filter(request -> ids.containsKey(request.webhookId()))
                .map(WebhookReceiver.Request::receivedAt).sorted().toList();
        int from = times.size() / 10;
        int to = times.size() * 9 / 10;
        double seconds = Duration.between(times.get(from), times.get(to)).toNanos() / 1e9;
        double rate = (to - from) / seconds;
        row(scenario, ids.keySet(), rate);
        return rate;
    }

    private static void awaitDelivered(Set<String> ids, int atLeast) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> partner.acknowledgedIds().stream().filter(ids::contains).count() >= atLeast);
    }

    private static void awaitAll(Set<String> ids, Duration within) {
        await("every event delivered").atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> partner.acknowledgedIds().containsAll(ids));
    }

    private static Instant firstRequestAfter(Instant after) {
        return partner.requests().stream().map(WebhookReceiver.Request::receivedAt).filter(at -> at.isAfter(after))
                .min(Comparator.naturalOrder()).orElse(null);
    }

    /** Whatever the partner received is one of the events published, under its own id: a duplicate repeats its id. */
    private static void assertNoForeignIds() {
        Set<String> foreign = partner.requests().stream().map(WebhookReceiver.Request::webhookId)
                .filter(id -> !id.matches("(one|two|ha|kill)-[0-9]+(-[0-9]+)?")).collect(Collectors.toSet());
        assertEquals(Set.of(), foreign);
    }

    /**
     * Per visitor, the first request for each event in the order the partner received them should be 0, 1, 2, ...
     * An event the broker took back when a transaction rolled back (the failover's, or one at the crash of a bridge)
     * returns after its queue's redelivery delay (chat.#: 500 ms, webhook.#: 5 s) and may be overtaken by later events
     * of its visitor: README, Trade-offs. So an event that arrives after a later one of its visitor is allowed only if
     * it arrived at least {@link #REDELIVERY_DELAY_FLOOR} after the failure; nothing else may be out of order.
     *
     * @return how many events arrived after a later event of their visitor
     */
    private static int assertPublishOrderPerVisitor(Map<String, Integer> ids, Instant failedAt) {
        Map<String, List<WebhookReceiver.Request>> byVisitor = new HashMap<>();
        partner.requests().stream()
                .filter(request -> ids.containsKey(request.webhookId()) && request.attemptForId() == 1)
                .sorted(Comparator.comparing(WebhookReceiver.Request::receivedAt))
                .forEach(request -> {
                    String id = request.webhookId();
                    byVisitor.computeIfAbsent(id.substring(0, id.lastIndexOf('-')), v -> new ArrayList<>()).add(request);
                });
        int overtaken = 0;
        for (List<WebhookReceiver.Request> sequence : byVisitor.values()) {
            for (int i = 0; i < sequence.size(); i++) {
                WebhookReceiver.Request request = sequence.get(i);
                int seq = ids.get(request.webhookId());
                boolean late = sequence.subList(0, i).stream().anyMatch(earlier -> ids.get(earlier.webhookId()) > seq);
                if (late) {
                    overtaken++;
                    assertTrue(request.receivedAt().isAfter(failedAt.plus(REDELIVERY_DELAY_FLOOR)),
                            request.webhookId() + " overtaken, yet not held back by a redelivery delay: "
                                    + sequence.stream().map(WebhookReceiver.Request::webhookId).toList());
                }
            }
        }
        return overtaken;
    }

    private static Set<String> takeAll(String queue) {
        try (ChatSystem chat = new ChatSystem(pair.url(), StandaloneArtemis.CHAT_USER, StandaloneArtemis.CHAT_PASSWORD)) {
            return chat.takeAll(queue, Duration.ofSeconds(2)).stream()
                    .map(message -> String.valueOf(message.property("chatbridgeMessageId"))).collect(Collectors.toSet());
        }
    }

    private static void row(String scenario, Set<String> ids, double rate) {
        if (ids.isEmpty()) {
            ROWS.add(scenario);
            return;
        }
        Set<String> acknowledged = partner.acknowledgedIds();
        long delivered = ids.stream().filter(acknowledged::contains).count();
        long requests = partner.requests().stream().filter(request -> ids.contains(request.webhookId())).count();
        ROWS.add(String.format("%-44s %7d %10d %10d %5d %12s", scenario, ids.size(), delivered, requests - delivered,
                ids.size() - delivered, Double.isNaN(rate) ? "-" : String.format("%.0f", rate)));
    }

    /** A partner answering through both bridges' Open API, one request at a time on each, until stopped. */
    static final class OpenApiLoad {
        private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final Set<String> accepted = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        void start() {
            for (int i = 0; i < bridges.length; i++) {
                OpenApiClient api = new OpenApiClient(httpPorts[i]);
                int bridge = i;
                Thread thread = new Thread(() -> {
                    // Bounded: at most 3,000 requests per bridge, whatever happens.
                    for (int n = 0; n < 3000 && running.get(); n++) {
                        String key = "scale-" + bridge + "-" + n;
                        int status;
                        try {
                            OpenApiClient.Answer answer = api.postJson(API_KEY,
                                    OpenApiClient.text("api-visitor-" + n, null, "hello " + n), "Idempotency-Key", key);
                            status = answer.status();
                            if (status == 202) {
                                accepted.add(answer.json().get("id").asText());
                            }
                        } catch (RuntimeException e) {
                            status = -1; // no answer at all
                        }
                        statuses.merge(status, 1, Integer::sum);
                    }
                }, "open-api-load-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        Map<Integer, Integer> statuses() {
            return Map.copyOf(statuses);
        }

        Set<String> acceptedIds() {
            return Set.copyOf(accepted);
        }
    }
}
