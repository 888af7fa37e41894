package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import chatbridge.openapi.HostileRequests;
import chatbridge.openapi.OpenApiClient;
import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.TricklingPartner;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import chatbridge.testing.WebhookReceiver.Request;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection against the real jar and a real standalone Artemis (the 2.44.0 distribution from Maven Central,
 * created by artemis/create-standalone.sh), everything on 127.0.0.1: crashes of the bridge, a graceful stop, broker
 * restarts (graceful and SIGKILL), a partner that answers 503 and then refuses connections, a partner that trickles
 * its answers, poison over Core, AMQP and STOMP, hostile Open API requests, a backlog built while the bridge is
 * stopped, and a partner down for longer than its events' attempt budget behind its circuit breaker. Every delivery's
 * signature is verified. Prints a summary table and fails on any loss.
 *
 * <p>Three partners: shop (every event type, from PARTNER_* variables), outage and slow (visitor.online, from a
 * partners file). The bridge runs with a 512 MiB heap. Two settings differ from the defaults, so that minutes of
 * outage fit a CI run and every broker attempt is one HTTP request the partner can time:
 * <ul>
 *   <li>the webhook.# redelivery schedule is 1 s, doubling, capped at 8 s (broker.xml: 5 s, x4, 4 h);</li>
 *   <li>no quick in-process retries (DELIVERY_LOCAL_RETRIES=0), and a 2 s response timeout.</li>
 * </ul>
 * The bridge runs with its circuit breaker off (CIRCUIT_BREAKER_ENABLED=false): the partner-outage scenario times the
 * broker's retry schedule, which an open circuit replaces. The circuit-breaker scenario runs its own bridge process
 * (breaker on, a fourth partner, a low attempt budget) on the same broker, in place of the suite's bridge.
 * The CI profile is the default; the full one is in the README ("Fault-injection suite").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final int CRASH_EVENTS = Integer.getInteger("faults.crash-events", 4000);
    static final int KILLS = Integer.getInteger("faults.kills", 6);
    static final int OUTAGE_EVENTS = Integer.getInteger("faults.outage-events", 300);
    /** The 503 stretch lasts until the probe event has had this many attempts (1 + 2 + 4 + 8 + 8 + ... s apart). */
    static final int OUTAGE_ATTEMPTS = Integer.getInteger("faults.outage-attempts", 5);
    static final int REFUSED_SECONDS = Integer.getInteger("faults.refused-seconds", 20);
    static final int SLOW_EVENTS = Integer.getInteger("faults.slow-events", 20);
    static final int HOSTILE_REQUESTS = Integer.getInteger("faults.hostile-requests", 1200);
    static final int BACKLOG_EVENTS = Integer.getInteger("faults.backlog-events", 50_000);
    static final long RESPONSE_TIMEOUT_MILLIS = 2000;
    /** The circuit-breaker scenario: how long the partner refuses connections, after a stretch of 503s. */
    static final int OUTAGE_BREAKER_SECONDS = Integer.getInteger("faults.outage-breaker-seconds", 15);
    /** ... and the backlog published while its circuit is open (half during the 503s, half while refused). */
    static final int OUTAGE_BREAKER_EVENTS = Integer.getInteger("faults.outage-breaker-events", 300);
    /** Its events' attempt budget: without the breaker, 3 attempts 1 s and 2 s apart would be spent in ~3 s. */
    static final int BREAKER_MAX_ATTEMPTS = 3;
    static final int BREAKER_PROBE_INTERVAL_SECONDS = 2;
    static final int BREAKER_MINIMUM_REQUESTS = 5;
    static final String ADMIN_TOKEN = "fault-suite-admin-token-0123456789";

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SUMMARY = new ArrayList<>();
    static final AtomicInteger BAD_SIGNATURES = new AtomicInteger();
    static WebhookReceiver partner;
    static WebhookReceiver outage;
    static int outagePort;
    static TricklingPartner slow;
    static StandaloneArtemis broker;
    static BridgeJar bridge;
    static int httpPort;
    static int managementPort;
    static Path work;
    static String partnersYaml;
    static Map<String, String> bridgeEnv;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("chat-bridge-faults");
        partner = new WebhookReceiver();
        partner.respondWith(FaultSuiteIT::acceptIfSigned);
        outagePort = Ports.free();
        outage = new WebhookReceiver(outagePort);
        outage.respondWith(FaultSuiteIT::acceptIfSigned);
        slow = new TricklingPartner(Duration.ofMillis(200), id -> id.startsWith("slow-"));
        partnersYaml = """
                partners:
                  - id: outage
                    webhookUrl: %s
                    secrets: [%s]
                    events: [visitor.online]
                    apiKeys: [outage-key-123]
                  - id: slow
                    webhookUrl: %s
                    secrets: [%s]
                    events: [visitor.online]
                    apiKeys: [slow-key-123]
                    requireSignature: true
                """.formatted(outage.url(), SECRET, slow.url(), SECRET);
        Path partners = Files.writeString(work.resolve("partners.yaml"), partnersYaml);
        broker = new StandaloneArtemis(work.resolve("artemis-instance").toAbsolutePath(), Ports.free(),
                work.resolve("artemis.log")).editBrokerXml(FaultSuiteIT::fasterWebhookSchedule).start();
        httpPort = Ports.free();
        managementPort = Ports.free();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BROKER_URL", broker.url());
        env.put("BROKER_USER", StandaloneArtemis.USER);
        env.put("BROKER_PASSWORD", StandaloneArtemis.PASSWORD);
        env.put("BRIDGE_MESSAGE_KEY", "fault-suite-delivery-seal-key-0123456789");
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("PARTNERS_FILE", partners.toString());
        env.put("PARTNER_ID", "shop");
        env.put("PARTNER_WEBHOOK_URL", partner.url());
        env.put("PARTNER_WEBHOOK_SECRET", SECRET);
        env.put("DELIVERY_LOCAL_RETRIES", "0");
        env.put("DELIVERY_RESPONSE_TIMEOUT_SECONDS", String.valueOf(RESPONSE_TIMEOUT_MILLIS / 1000));
        // The outage scenario outlasts a welcome's default freshness and attempt budget; losing none is the point.
        env.put("VISITOR_ONLINE_MAX_ATTEMPTS", "1000");
        env.put("VISITOR_ONLINE_FRESHNESS_SECONDS", "3600");
        env.put("OPENAPI_RATE_LIMIT_PER_SECOND", "0");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        // The partner-outage scenario times the broker's retry schedule; the breaker has its own scenario and bridge.
        env.put("CIRCUIT_BREAKER_ENABLED", "false");
        bridgeEnv = env;
        bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("bridge.log"), env,
                List.of("-Xmx512m"), managementPort);
        bridge.start(true);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println();
        System.out.printf("%-36s %9s %10s %11s %5s %5s %8s%n", "scenario", "sent", "delivered", "duplicates", "DLQ", "lost", "seconds");
        SUMMARY.forEach(System.out::println);
        bridge.close();
        broker.close();
        partner.close();
        outage.close();
        slow.close();
        assertEquals(0, BAD_SIGNATURES.get(), "every delivery carried a valid signature");
    }

    static Reply acceptIfSigned(Request request) {
        return signed(request) ? Reply.ok() : Reply.status(401);
    }

    static boolean signed(Request request) {
        if (StandardWebhooks.verify(SECRET, request.webhookId(), request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature"))) {
            return true;
        }
        BAD_SIGNATURES.incrementAndGet();
        return false;
    }

    /** webhook.# in broker.xml: 5 s x4 up to 4 h becomes 1 s x2 up to 8 s. */
    static String fasterWebhookSchedule(String brokerXml) {
        int at = brokerXml.indexOf("match=\"webhook.#\"");
        String settings = brokerXml.substring(at);
        String faster = settings.replaceFirst("<redelivery-delay>5000<", "<redelivery-delay>1000<")
                .replaceFirst("<redelivery-delay-multiplier>4<", "<redelivery-delay-multiplier>2<")
                .replaceFirst("<max-redelivery-delay>14400000<", "<max-redelivery-delay>8000<");
        if (at < 0 || faster.equals(settings)) {
            throw new IllegalStateException("the webhook.# schedule in artemis/broker.xml changed; update this test");
        }
        return brokerXml.substring(0, at) + faster;
    }

    static ChatSystem chat() {
        return new ChatSystem(broker.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD);
    }

    /** Publishes order.completed events at once (transactions of 1,000), so faults land while the bridge is busy. */
    static Set<String> publish(String prefix, int count) {
        return publish("chat.order.completed", prefix, count);
    }

    static Set<String> publishVisitors(String prefix, int count) {
        return publish("chat.visitor.online", prefix, count);
    }

    private static Set<String> publish(String queue, String prefix, int count) {
        Set<String> ids = new HashSet<>();
        try (ChatSystem chat = chat()) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = count == 1 ? prefix : prefix + i;
                String visitor = "v-" + (i % 40);
                batch.add(queue.equals("chat.order.completed") ? ChatSystem.orderCompleted(id, visitor, Instant.now())
                        : ChatSystem.visitorOnline(id, visitor, Instant.now()));
                ids.add(id);
                if (batch.size() == 1000 || i == count - 1) {
                    chat.sendTextsInOneTransaction(queue, batch);
                    batch.clear();
                }
            }
        }
        return ids;
    }

    static long delivered(String prefix) {
        return partner.acknowledgedIds().stream().filter(id -> id.startsWith(prefix)).count();
    }

    static int deadLetters(String queue, String prefix) {
        try (ChatSystem chat = chat()) {
            return (int) chat.browse(queue).stream()
                    .filter(m -> String.valueOf(m.property("chatbridgeEventId")).startsWith(prefix)).count();
        }
    }

    static String health() {
        return health("");
    }

    /** @param query "" or e.g. "?exposureLevel=full" */
    static String health(String query) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health" + query)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    static void row(String scenario, Object sent, Object delivered, Object duplicates, Object dlq, Object lost, long startNanos) {
        SUMMARY.add(String.format("%-36s %9s %10s %11s %5s %5s %8.1f", scenario, sent, delivered, duplicates, dlq, lost,
                (System.nanoTime() - startNanos) / 1e9));
    }

    static void finish(String scenario, String prefix, Set<String> sent, long startNanos, int expectedDlq) {
        finish(scenario, partner, "DLQ.webhook.shop", prefix, sent, startNanos, expectedDlq);
    }

    /** Waits until every id is acknowledged, then records the scenario's row and checks nothing was lost. */
    static void finish(String scenario, WebhookReceiver receiver, String dlqQueue, String prefix, Set<String> sent,
                       long startNanos, int expectedDlq) {
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> receiver.acknowledgedIds().containsAll(sent));
        long requests = receiver.requests().stream()
                .filter(r -> r.webhookId() != null && r.webhookId().startsWith(prefix) && sent.contains(r.webhookId())).count();
        long distinct = receiver.acknowledgedIds().stream().filter(sent::contains).count();
        int dlq = deadLetters(dlqQueue, prefix);
        long lost = sent.size() - distinct;
        row(scenario, sent.size(), distinct, requests - distinct, dlq, lost, startNanos);
        assertEquals(0, lost, scenario + ": lost events");
        assertEquals(expectedDlq, dlq, scenario + ": unexpected dead letters");
    }

    @Test
    @Order(1)
    void crashesOfTheBridge() throws Exception {
        long start = System.nanoTime();
        Set<String> sent = publish("crash-", CRASH_EVENTS);
        Random random = new Random(1);
        int spacing = Math.max(100, CRASH_EVENTS / (KILLS + 2));
        for (int kill = 0; kill < KILLS; kill++) {
            long target = Math.min(sent.size() - 1, delivered("crash-") + spacing / 2 + random.nextInt(spacing));
            await().atMost(Duration.ofMinutes(5)).until(() -> delivered("crash-") >= target);
            bridge.kill();
            bridge.start(true);
        }
        finish("bridge SIGKILL x" + KILLS, "crash-", sent, start, 0);
    }

    @Test
    @Order(2)
    void gracefulStopMidFlow() throws Exception {
        long start = System.nanoTime();
        Set<String> sent = publish("sigterm-", 2000);
        await().atMost(Duration.ofMinutes(1)).until(() -> delivered("sigterm-") >= 300);
        long deliveredAtSigterm = delivered("sigterm-");
        boolean stopped = bridge.terminate(Duration.ofSeconds(30));
        bridge.start(true);
        assertTrue(stopped, "stops within the shutdown timeout");
        assertTrue(deliveredAtSigterm < sent.size(), "SIGTERM came mid-flow");
        finish("bridge SIGTERM", "sigterm-", sent, start, 0);
    }

    @Test
    @Order(3)
    void brokerRestartsGracefulAndKilled() throws Exception {
        long start = System.nanoTime();
        Set<String> sent = publish("broker-", 3000);
        await().atMost(Duration.ofMinutes(1)).until(() -> delivered("broker-") >= 400);
        broker.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> health().contains("DOWN"));
        broker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> health().contains("UP"));
        await().atMost(Duration.ofMinutes(2)).until(() -> delivered("broker-") >= 1500);
        broker.kill();
        await().atMost(Duration.ofSeconds(20)).until(() -> health().contains("DOWN"));
        broker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> health().contains("UP"));
        finish("broker SIGTERM + SIGKILL", "broker-", sent, start, 0);
    }

    @Test
    @Order(4)
    void poisonOverEveryProtocolWhileValidEventsFlow() throws Exception {
        long start = System.nanoTime();
        Set<String> sent = new HashSet<>(publish("poison-valid-", 200));
        int poison = 0;
        try (ChatSystem chat = chat()) {
            chat.sendText("chat.visitor.online", "not json", Map.of("faultCase", "core-text"));
            chat.sendBytes("chat.visitor.online", new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'});
            chat.sendText("chat.visitor.online", "{\"id\":\"x\",\"type\":\"visitor.online\"}");
            chat.sendText("chat.visitor.online", "{\"id\":\"y\",\"type\":\"visitor.online\",\"occurredAt\":\"" + Instant.now()
                    + "\",\"visitor\":{\"id\":\"v\",\"name\":\"" + "x".repeat(70_000) + "\"}}");
            poison += 4;
        }
        String amqp = "amqp://127.0.0.1:" + broker.url().substring(broker.url().lastIndexOf(':') + 1);
        try (Connection connection = new JmsConnectionFactory(StandaloneArtemis.CHAT_USER, StandaloneArtemis.CHAT_PASSWORD, amqp).createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("chat.visitor.online"))) {
            producer.send(session.createTextMessage("{\"id\":42}"));
            producer.send(session.createTextMessage("{\"id\":\"z\",\"type\":\"visitor.left\"}"));
            poison += 2;
        }
        int port = Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:" + StandaloneArtemis.CHAT_USER + "\npasscode:"
                    + StandaloneArtemis.CHAT_PASSWORD + "\n\n\0").getBytes(StandardCharsets.UTF_8));
            byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
            out.write(("SEND\ndestination:chat.visitor.online\ndestination-type:ANYCAST\ncontent-length:" + body.length
                    + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.write(0);
            out.write("DISCONNECT\nreceipt:bye\n\n\0".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Read until the broker closes the connection after its RECEIPT. Closing our end first, right after the
            // receipt, can deadlock Artemis' STOMP handling (ARTEMIS-5874, seen here in jstack on 2.40.0, not fixed in 2.44.0) and stall
            // every connection on that Netty thread, the bridge's included.
            socket.setSoTimeout(10_000);
            socket.getInputStream().readAllBytes();
            poison += 1;
        }
        sent.addAll(publish("poison-valid-after-", 200));
        int expectedPoison = poison;
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            try (ChatSystem chat = chat()) {
                return chat.browse("DLQ.chat.visitor.online").size() == expectedPoison;
            }
        });
        try (ChatSystem chat = chat()) {
            Set<Object> reasons = chat.browse("DLQ.chat.visitor.online").stream().map(m -> m.property("chatbridgeReason"))
                    .collect(Collectors.toSet());
            assertTrue(reasons.containsAll(Set.of("invalid-json", "invalid-encoding", "missing-field", "body-too-large",
                    "wrong-type", "unknown-type")), reasons.toString());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    chat.browse("DLQ.chat.visitor.online").size() == expectedPoison);
        }
        row("poison Core/AMQP/STOMP", expectedPoison, "-", "-", expectedPoison, 0, start);
        finish("valid events around poison", "poison-valid-", sent, start, 0);
    }

    @Test
    @Order(5)
    void partnerOutageThen503ThenRefusedThenRecovery() throws Exception {
        long start = System.nanoTime();
        WebhookReceiver down = outage;
        down.respondWith(request -> signed(request) ? Reply.status(503) : Reply.status(401));
        // A probe alone first: its attempts show the broker's schedule, undisturbed by batch-mates.
        String probe = "outage-probe";
        Set<String> sent = new HashSet<>(publishVisitors(probe, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> !down.requestsFor(probe).isEmpty());
        sent.addAll(publishVisitors("outage-", OUTAGE_EVENTS));

        // Other partners are unaffected: shop has every event while outage is still answering 503.
        await().atMost(Duration.ofSeconds(60)).until(() -> partner.acknowledgedIds().containsAll(sent));
        assertTrue(down.acknowledgedIds().stream().noneMatch(sent::contains), "the 503 stretch is still on");

        // The backlog waits on the broker, not in sleeping consumer threads: a new event is tried at once.
        await().atMost(Duration.ofMinutes(1)).until(() -> down.requestsFor(probe).size() >= 3);
        Instant latePublished = Instant.now();
        sent.addAll(publishVisitors("outage-late", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !down.requestsFor("outage-late").isEmpty());
        Duration lateFirstTry = Duration.between(latePublished, down.requestsFor("outage-late").get(0).receivedAt());

        await().atMost(Duration.ofSeconds(10L * OUTAGE_ATTEMPTS + 60)).until(() -> down.requestsFor(probe).size() >= OUTAGE_ATTEMPTS);
        // Then the partner is gone entirely: connections refused. Nothing may be dead-lettered meanwhile.
        down.close();
        await().during(Duration.ofSeconds(REFUSED_SECONDS)).atMost(Duration.ofSeconds(REFUSED_SECONDS + 30))
                .until(() -> deadLetters("DLQ.webhook.outage", "outage-") == 0);

        outage = new WebhookReceiver(outagePort);
        outage.respondWith(FaultSuiteIT::acceptIfSigned);
        finish("partner 503 " + OUTAGE_ATTEMPTS + "x + refused " + REFUSED_SECONDS + " s", outage, "DLQ.webhook.outage",
                "outage-", sent, start, 0);

        assertTrue(lateFirstTry.toMillis() < 3000, "a new event waited " + lateFirstTry.toMillis() + " ms for its first attempt");
        // The probe's retries follow the schedule: never sooner than its step (no hot loop), never later than the
        // cap, and at the cap once the schedule gets there. A gap may skip a step ahead: the broker also counts a
        // delivery when the probe sat in the buffer of a consumer that rolled back (README, trade-offs), and then
        // schedules it anew from that moment, so at the cap one gap can reach two steps (seen once: 15.0 s).
        List<Instant> attempts = down.requestsFor(probe).stream().map(Request::receivedAt).toList();
        for (int i = 1; i < attempts.size(); i++) {
            long gap = Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis();
            long step = Math.min(1000L << (i - 1), 8000L);
            assertTrue(gap >= step * 0.75 && gap <= 2 * 8000 * 1.25 + 1500 && (step < 8000 || gap >= 8000 * 0.75),
                    "attempt " + (i + 1) + " of the probe came " + gap + " ms after the one before; the schedule says "
                            + step + " ms ±20 %, capped at 8 s: " + attempts);
        }
    }

    @Test
    @Order(6)
    void aPartnerThatTricklesItsAnswers() throws Exception {
        long start = System.nanoTime();
        Set<String> sent = publishVisitors("slow-", SLOW_EVENTS);
        // Not held up: shop and outage have everything while slow is still being trickled at.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                partner.acknowledgedIds().containsAll(sent) && outage.acknowledgedIds().containsAll(sent));
        await().atMost(Duration.ofMinutes(3)).until(() -> slow.acknowledgedIds().containsAll(sent));
        List<TricklingPartner.Attempt> cut = slow.attempts().stream()
                .filter(a -> a.number() < 3 && sent.contains(a.webhookId())).toList();
        assertEquals(2 * SLOW_EVENTS, cut.size(), "each event: status line trickled, then body trickled, then answered");
        for (TricklingPartner.Attempt attempt : cut) {
            long held = attempt.held().toMillis();
            assertTrue(held >= RESPONSE_TIMEOUT_MILLIS - 300 && held < RESPONSE_TIMEOUT_MILLIS + 2500,
                    attempt + " held the bridge " + held + " ms; the response timeout is " + RESPONSE_TIMEOUT_MILLIS + " ms");
        }
        int dlq = deadLetters("DLQ.webhook.slow", "slow-");
        long delivered = slow.acknowledgedIds().stream().filter(sent::contains).count();
        row("slow partner (trickle) x2 each", sent.size(), delivered, 0, dlq, sent.size() - delivered, start);
        assertEquals(0, dlq);
    }

    @Test
    @Order(7)
    void hostileOpenApiRequests() throws Exception {
        long start = System.nanoTime();
        OpenApiClient api = new OpenApiClient(httpPort);
        HostileRequests hostile = new HostileRequests("outage-key-123", "slow-key-123", SECRET);
        Random random = new Random(11);
        int serverErrors = 0;
        int accepted = 0;
        for (int i = 0; i < HOSTILE_REQUESTS; i++) {
            int status = hostile.send(api, random, i).status();
            serverErrors += status >= 500 ? 1 : 0;
            accepted += status < 400 ? 1 : 0;
        }
        int queued;
        try (ChatSystem chat = chat()) {
            queued = chat.browse("partner.messages").size();
        }
        row("hostile Open API (5xx: " + serverErrors + ")", HOSTILE_REQUESTS, queued, "-", "-", "-", start);
        assertEquals(0, serverErrors, "no 5xx for bad input");
        assertEquals(0, accepted, "nothing hostile accepted");
        assertEquals(0, queued, "nothing enqueued");
        assertTrue(health().contains("UP"), health());
        OpenApiClient.Answer fine = api.postJson("outage-key-123", OpenApiClient.text("v-1", null, "still fine"));
        assertEquals(202, fine.status(), fine.toString());
    }

    @Test
    @Order(8)
    void aBacklogBuiltWhileTheBridgeIsStopped() throws Exception {
        long start = System.nanoTime();
        partner.forgetBodies();
        assertTrue(bridge.terminate(Duration.ofSeconds(30)), "stops within the shutdown timeout");
        Set<String> sent = publish("backlog-", BACKLOG_EVENTS);
        bridge.start(true);
        double[] max = new double[2];
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            max[0] = Math.max(max[0], bridge.heapUsedMiB());
            max[1] = Math.max(max[1], bridge.rssMiB());
            return partner.acknowledgedCount() >= sent.size() && partner.acknowledgedIds().containsAll(sent);
        });
        finish(String.format("backlog, max heap %.0f RSS %.0f MiB", max[0], max[1]), "backlog-", sent, start, 0);
    }

    /**
     * A partner down (503, then connections refused) for far longer than its events' attempt budget would last
     * without the breaker: its circuit opens, the backlog published meanwhile waits on webhook.breaker with its
     * attempts intact, one probe goes out every probe interval, and the first probe after the partner recovers closes
     * the circuit; then everything is delivered and nothing dead-lettered. The other partners keep receiving with
     * their circuits closed. Its own bridge process (breaker on, the partner breaker added, visitor.online allowed
     * 3 attempts) replaces the suite's bridge for the scenario, on the same broker.
     */
    @Test
    @Order(9)
    void aLongOutageBehindTheCircuitBreaker() throws Exception {
        long start = System.nanoTime();
        int port = Ports.free();
        List<WebhookReceiver> receivers = new ArrayList<>();
        WebhookReceiver down = new WebhookReceiver(port);
        receivers.add(down);
        down.respondWith(request -> signed(request) ? Reply.status(503) : Reply.status(401));
        Path partners = Files.writeString(work.resolve("partners-breaker.yaml"), partnersYaml + """
                  - id: breaker
                    webhookUrl: %s
                    secrets: [%s]
                    events: [visitor.online]
                    apiKeys: [breaker-key-123]
                """.formatted(down.url(), SECRET));
        Map<String, String> env = new LinkedHashMap<>(bridgeEnv);
        env.put("PARTNERS_FILE", partners.toString());
        env.put("CIRCUIT_BREAKER_ENABLED", "true");
        env.put("CIRCUIT_MINIMUM_REQUESTS", String.valueOf(BREAKER_MINIMUM_REQUESTS));
        env.put("CIRCUIT_PROBE_INTERVAL_SECONDS", String.valueOf(BREAKER_PROBE_INTERVAL_SECONDS));
        env.put("VISITOR_ONLINE_MAX_ATTEMPTS", String.valueOf(BREAKER_MAX_ATTEMPTS));
        AdminClient admin = new AdminClient(managementPort, ADMIN_TOKEN);
        assertTrue(bridge.terminate(Duration.ofSeconds(30)), "the suite's bridge stops within its shutdown timeout");
        BridgeJar breakerBridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("bridge-breaker.log"),
                env, List.of("-Xmx512m"), managementPort);
        try {
            breakerBridge.start(true);
            Instant outageStart = Instant.now();
            Set<String> sent = new HashSet<>(publishVisitors("breaker-first-", 20));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> state(admin, "breaker").equals("circuit-open"));
            Instant opened = Instant.now();
            long requestsBeforeOpen = down.requests().size();

            // Probes, one at a time, a probe interval apart: what reaches the partner now is only them.
            await().atMost(Duration.ofSeconds(4L * (BREAKER_PROBE_INTERVAL_SECONDS + 1) + 10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probesSince(down, opened).size() >= 3);
            sent.addAll(publishVisitors("breaker-backlog-a-", OUTAGE_BREAKER_EVENTS / 2));
            // The others keep receiving, their circuits closed; the bridge is degraded, not down.
            await().atMost(Duration.ofSeconds(60 + OUTAGE_BREAKER_EVENTS / 100)).pollInterval(Duration.ofMillis(500)).until(() ->
                    partner.acknowledgedIds().containsAll(sent) && outage.acknowledgedIds().containsAll(sent)
                            && slow.acknowledgedIds().containsAll(sent));
            for (String other : List.of("shop", "outage", "slow")) {
                assertEquals("active", state(admin, other), other + " while breaker is down");
            }
            assertEquals("circuit-open", state(admin, "breaker"));
            JsonNode health = JSON.readTree(health("?exposureLevel=full"));
            assertEquals("UP", health.path("status").asText(), health.toString());
            assertTrue(health.toString().contains("degraded") && health.toString().contains("breaker circuit-open"),
                    "health names the open circuit: " + health);
            assertTrue(down.acknowledgedIds().isEmpty());

            // Then the partner refuses connections; probes keep going out (counted by the bridge: nobody answers).
            down.close();
            long failuresAtRefusal = admin.partner("breaker").get("consecutiveFailures").asLong();
            long refusedFrom = System.nanoTime();
            List<Instant> probes503 = probesSince(down, opened);
            sent.addAll(publishVisitors("breaker-backlog-b-", OUTAGE_BREAKER_EVENTS - OUTAGE_BREAKER_EVENTS / 2));
            await().during(Duration.ofSeconds(OUTAGE_BREAKER_SECONDS)).atMost(Duration.ofSeconds(OUTAGE_BREAKER_SECONDS + 30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> state(admin, "breaker").equals("circuit-open")
                            && deadLetters("DLQ.webhook.breaker", "breaker-") == 0);
            JsonNode refused = admin.partner("breaker");
            long refusedProbes = refused.get("consecutiveFailures").asLong() - failuresAtRefusal;
            double refusedSeconds = (System.nanoTime() - refusedFrom) / 1e9;
            assertEquals(sent.size(), refused.get("queued").asLong() + refused.get("inFlight").asLong(),
                    "the backlog waits on webhook.breaker, each event once: " + refused);

            // The partner is back: the next probe closes the circuit, and the backlog follows.
            WebhookReceiver up = new WebhookReceiver(port);
            receivers.add(up);
            up.respondWith(FaultSuiteIT::acceptIfSigned);
            Instant recovered = Instant.now();
            await().atMost(Duration.ofSeconds(BREAKER_PROBE_INTERVAL_SECONDS + 15L)).pollInterval(Duration.ofMillis(200))
                    .until(() -> state(admin, "breaker").equals("active"));
            double downSeconds = Duration.between(outageStart, recovered).toMillis() / 1000.0;
            System.out.printf("circuit breaker: opened after %d requests; probes at 503 %s; %d probes refused in %.1f s; "
                            + "closed %d ms after the recovery; %s%n", requestsBeforeOpen, gaps(probes503), refusedProbes,
                    refusedSeconds, Duration.between(recovered, Instant.now()).toMillis(), refused);
            finish(String.format("down %.0f s behind breaker, %d probes", downSeconds, probes503.size() + refusedProbes + 1),
                    up, "DLQ.webhook.breaker", "breaker-", sent, start, 0);

            // Probes a probe interval apart (the tick is a second: up to a second more), never a flood.
            for (int i = 1; i < probes503.size(); i++) {
                long gap = Duration.between(probes503.get(i - 1), probes503.get(i)).toMillis();
                assertTrue(gap >= BREAKER_PROBE_INTERVAL_SECONDS * 1000L - 300 && gap <= BREAKER_PROBE_INTERVAL_SECONDS * 1000L + 2500,
                        "probe " + (i + 1) + " came " + gap + " ms after the one before; the interval is "
                                + BREAKER_PROBE_INTERVAL_SECONDS + " s: " + gaps(probes503));
            }
            assertTrue(refusedProbes >= Math.floor(refusedSeconds / (BREAKER_PROBE_INTERVAL_SECONDS + 1)) - 1
                            && refusedProbes <= Math.ceil(refusedSeconds / BREAKER_PROBE_INTERVAL_SECONDS) + 1,
                    refusedProbes + " probes in " + refusedSeconds + " s of refused connections; one every "
                            + BREAKER_PROBE_INTERVAL_SECONDS + " s (to a second more) expected");
            JsonNode after = admin.partner("breaker");
            assertEquals("active", after.get("state").asText(), after.toString());
            assertEquals(0, after.get("deadLetters").asLong(), after.toString());
            assertEquals(0, after.get("expired").asLong(), after.toString());
            assertEquals(0, after.get("consecutiveFailures").asLong(), after.toString());
            assertEquals(0, deadLetters("EXPIRED.webhook.breaker", "breaker-"));
            JsonNode healthAfter = JSON.readTree(health("?exposureLevel=full"));
            assertEquals("UP", healthAfter.path("status").asText(), healthAfter.toString());
            assertTrue(!healthAfter.toString().contains("degraded"), "every partner active again: " + healthAfter);
            for (String other : List.of("shop", "outage", "slow")) {
                assertEquals("active", state(admin, other), other);
            }
        } finally {
            breakerBridge.close();
            receivers.forEach(WebhookReceiver::close);
            bridge.start(true);
        }
    }

    static String state(AdminClient admin, String partnerId) {
        return admin.partner(partnerId).get("state").asText();
    }

    /** When the partner got requests later than a second after its circuit opened (stragglers are done by then). */
    static List<Instant> probesSince(WebhookReceiver receiver, Instant opened) {
        return receiver.requests().stream().map(Request::receivedAt).filter(at -> at.isAfter(opened.plusSeconds(1))).sorted().toList();
    }

    static String gaps(List<Instant> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMillis());
        }
        return gaps + " ms apart";
    }
}
