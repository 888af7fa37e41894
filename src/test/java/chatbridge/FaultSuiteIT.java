package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection against the real jar and a real standalone Artemis (the 2.40.0 distribution from Maven Central,
 * created by artemis/create-standalone.sh), everything on 127.0.0.1: crashes of the bridge, a graceful stop, broker
 * restarts (graceful and SIGKILL) and poison over Core, AMQP and STOMP. Every delivery's signature is verified.
 * A short profile of the fault-injection suite; prints a summary table and fails on any loss.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    /** The CI profile by default; the full one: -Dfaults.crash-events=100000 -Dfaults.kills=20 (see README). */
    static final int CRASH_EVENTS = Integer.getInteger("faults.crash-events", 4000);
    static final int KILLS = Integer.getInteger("faults.kills", 6);
    static final List<String> SUMMARY = new ArrayList<>();
    static WebhookReceiver partner;
    static StandaloneArtemis broker;
    static BridgeJar bridge;
    static final AtomicInteger BAD_SIGNATURES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory("chat-bridge-faults");
        partner = new WebhookReceiver();
        partner.respondWith(request -> {
            if (!StandardWebhooks.verify(SECRET, request.webhookId(), request.header("webhook-timestamp"), request.body(),
                    request.header("webhook-signature"))) {
                BAD_SIGNATURES.incrementAndGet();
                return WebhookReceiver.Reply.status(401);
            }
            return WebhookReceiver.Reply.ok();
        });
        broker = new StandaloneArtemis(work.resolve("artemis-instance").toAbsolutePath(), Ports.free(),
                work.resolve("artemis.log")).start();
        int managementPort = Ports.free();
        bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("bridge.log"), Map.of(
                "BROKER_URL", broker.url(),
                "BROKER_USER", StandaloneArtemis.USER,
                "BROKER_PASSWORD", StandaloneArtemis.PASSWORD,
                "HTTP_PORT", String.valueOf(Ports.free()),
                "MANAGEMENT_PORT", String.valueOf(managementPort),
                "PARTNERS_FILE", work.resolve("none.yaml").toString(),
                "PARTNER_ID", "shop",
                "PARTNER_WEBHOOK_URL", partner.url(),
                "PARTNER_WEBHOOK_SECRET", SECRET), List.of(), managementPort);
        bridge.start(true);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println();
        System.out.printf("%-28s %8s %10s %11s %5s %5s %8s%n", "scenario", "sent", "delivered", "duplicates", "DLQ", "lost", "seconds");
        SUMMARY.forEach(System.out::println);
        bridge.close();
        broker.close();
        partner.close();
        assertEquals(0, BAD_SIGNATURES.get(), "every delivery carried a valid signature");
    }

    static ChatSystem chat() {
        return new ChatSystem(broker.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD);
    }

    /** Publishes a backlog at once (transactions of 1,000), so faults land while the bridge is busy with it. */
    static Set<String> publish(String prefix, int count) {
        Set<String> ids = new HashSet<>();
        try (ChatSystem chat = chat()) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                batch.add(ChatSystem.orderCompleted(id, "v-" + (i % 40), Instant.now()));
                ids.add(id);
                if (batch.size() == 1000 || i == count - 1) {
                    chat.sendTextsInOneTransaction("chat.order.completed", batch);
                    batch.clear();
                }
            }
        }
        return ids;
    }

    static long delivered(String prefix) {
        return partner.acknowledgedIds().stream().filter(id -> id.startsWith(prefix)).count();
    }

    /** Waits until every id is acknowledged, then records the scenario's row and checks nothing was lost. */
    static void finish(String scenario, String prefix, Set<String> sent, long startNanos, int expectedDlq) {
        await().atMost(Duration.ofMinutes(15)).until(() -> partner.acknowledgedIds().containsAll(sent));
        long requests = partner.requests().stream().filter(r -> r.webhookId() != null && r.webhookId().startsWith(prefix)).count();
        long distinct = delivered(prefix);
        int dlq;
        try (ChatSystem chat = chat()) {
            dlq = (int) chat.browse("DLQ.webhook.shop").stream()
                    .filter(m -> String.valueOf(m.property("chatbridgeEventId")).startsWith(prefix)).count();
        }
        long lost = sent.size() - distinct;
        SUMMARY.add(String.format("%-28s %8d %10d %11d %5d %5d %8.1f", scenario, sent.size(), distinct, requests - distinct,
                dlq, lost, (System.nanoTime() - startNanos) / 1e9));
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
        broker.start();
        await().atMost(Duration.ofMinutes(2)).until(() -> delivered("broker-") >= 1500);
        broker.kill();
        broker.start();
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
        try (Connection connection = new JmsConnectionFactory(StandaloneArtemis.USER, StandaloneArtemis.PASSWORD, amqp).createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("chat.visitor.online"))) {
            producer.send(session.createTextMessage("{\"id\":42}"));
            producer.send(session.createTextMessage("{\"id\":\"z\",\"type\":\"visitor.left\"}"));
            poison += 2;
        }
        int port = Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:" + StandaloneArtemis.USER + "\npasscode:"
                    + StandaloneArtemis.PASSWORD + "\n\n\0").getBytes(StandardCharsets.UTF_8));
            byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
            out.write(("SEND\ndestination:chat.visitor.online\ndestination-type:ANYCAST\ncontent-length:" + body.length
                    + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.write(0);
            out.write("DISCONNECT\nreceipt:bye\n\n\0".getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.getInputStream().readNBytes(1);
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
        SUMMARY.add(String.format("%-28s %8d %10s %11s %5d %5d %8s", "poison Core/AMQP/STOMP", expectedPoison, "-", "-",
                expectedPoison, 0, "-"));
        finish("valid events around poison", "poison-valid-", sent, start, 0);
    }
}
