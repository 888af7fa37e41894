package chatbridge.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.WebhookReceiver;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invalid events published to the real broker end in DLQ.&lt;queue&gt; with the reason, are never retried, and do
 * not hold up the valid events around them.
 */
class PoisonInputTest {
    static WebhookReceiver partner;
    static BridgeRunner bridge;
    static ChatSystem chat;

    @BeforeAll
    static void start() {
        partner = new WebhookReceiver();
        bridge = new BridgeRunner()
                .set("chatbridge.partner.id", "shop")
                .set("chatbridge.partner.webhook-url", partner.url())
                .set("chatbridge.partner.webhook-secret", "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh")
                .set("chatbridge.ingest.max-event-bytes", "4096")
                .start();
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        partner.close();
    }

    static Received awaitDeadLetter(String queue, String testCase) {
        Optional<Received>[] found = new Optional[] {Optional.empty()};
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            found[0] = chat.browse(queue).stream().filter(m -> testCase.equals(m.property("testCase"))).findFirst();
            return found[0].isPresent();
        });
        return found[0].get();
    }

    @Test
    void everyKindOfPoisonIsDeadLetteredWithItsReasonWhileValidEventsFlow() {
        String valid = ChatSystem.visitorOnline("valid-before", "v-1", Instant.now());
        chat.sendText("chat.visitor.online", valid);
        Map<String, String[]> cases = Map.of(
                "not-json", new String[] {"this is not json", "invalid-json", null},
                "missing-visitor-id", new String[] {"{\"id\":\"p-2\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"visitor\":{}}", "missing-field", "visitor.id"},
                "wrong-type", new String[] {"{\"id\":42,\"type\":\"visitor.online\"}", "wrong-type", "id"},
                "unknown-type", new String[] {"{\"id\":\"p-4\",\"type\":\"visitor.offline\"}", "unknown-type", "type"},
                "missing-id", new String[] {"{\"type\":\"visitor.online\"}", "missing-field", "id"},
                "too-large", new String[] {valid.replace("Mei Chen", "x".repeat(5000)), "body-too-large", null});
        cases.forEach((testCase, c) -> chat.sendText("chat.visitor.online", c[0], Map.of("testCase", testCase)));
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("valid-after", "v-1", Instant.now()));

        cases.forEach((testCase, c) -> {
            Received dead = awaitDeadLetter("DLQ.chat.visitor.online", testCase);
            assertEquals(c[1], dead.property("chatbridgeReason"), testCase);
            assertEquals(c[2], dead.property("chatbridgeField"), testCase);
            assertEquals("chat.visitor.online", dead.property("chatbridgeSourceQueue"));
            assertNotNull(dead.property("chatbridgeDetail"));
            assertNotNull(dead.property("chatbridgeFailedAt"));
            assertEquals(c[0], dead.body(), "kept exactly as published: " + testCase);
        });
        await().atMost(Duration.ofSeconds(15)).until(() ->
                partner.requestsFor("valid-before").size() == 1 && partner.requestsFor("valid-after").size() == 1);
        assertTrue(partner.requests().stream().allMatch(r -> List.of("valid-before", "valid-after", "via-stomp", "via-amqp-text", "via-amqp-bytes")
                .contains(r.webhookId())), "nothing invalid reached the partner");
    }

    @Test
    void invalidUtf8BytesAreDeadLettered() {
        byte[] body = ChatSystem.orderCompleted("bad-utf8", "v-2", Instant.now()).getBytes(StandardCharsets.UTF_8);
        body[20] = (byte) 0xFF;
        chat.sendBytes("chat.order.completed", body);

        await().atMost(Duration.ofSeconds(15)).until(() -> chat.browse("DLQ.chat.order.completed").stream()
                .anyMatch(m -> "invalid-encoding".equals(m.property("chatbridgeReason"))));
    }

    @Test
    void aPoisonMessageIsNotRetried() {
        chat.sendText("chat.order.completed", "{broken", Map.of("testCase", "once"));
        Received dead = awaitDeadLetter("DLQ.chat.order.completed", "once");
        assertEquals("invalid-json", dead.property("chatbridgeReason"));
        // Delivered once, dead-lettered in the same transaction: the broker never saw a rollback.
        assertEquals(null, dead.property("chatbridgeAttempts"));
        assertTrue(chat.browse("DLA").isEmpty(), "nothing reached the broker's own safety net");
    }

    @Test
    void amqpClientsCanPublishEventsAndPoison() throws Exception {
        String amqpUrl = "amqp://127.0.0.1:" + bridge.brokerUrl().substring(bridge.brokerUrl().lastIndexOf(':') + 1);
        try (Connection connection = new JmsConnectionFactory(amqpUrl).createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("chat.visitor.online"))) {
            producer.send(session.createTextMessage(ChatSystem.visitorOnline("via-amqp-text", "v-4", Instant.now())));
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(ChatSystem.visitorOnline("via-amqp-bytes", "v-4", Instant.now()).getBytes(StandardCharsets.UTF_8));
            producer.send(bytes);
            TextMessage poison = session.createTextMessage("{\"id\":\"amqp-poison\",\"type\":\"visitor.online\"}");
            poison.setStringProperty("testCase", "amqp-poison");
            producer.send(poison);
        }
        await().atMost(Duration.ofSeconds(15)).until(() ->
                partner.requestsFor("via-amqp-text").size() == 1 && partner.requestsFor("via-amqp-bytes").size() == 1);
        Received dead = awaitDeadLetter("DLQ.chat.visitor.online", "amqp-poison");
        assertEquals("missing-field", dead.property("chatbridgeReason"));
        assertEquals("occurredAt", dead.property("chatbridgeField"));
    }

    @Test
    void stompClientsCanPublishEventsAndPoison() throws Exception {
        String valid = ChatSystem.visitorOnline("via-stomp", "v-3", Instant.now());
        int port = Integer.parseInt(bridge.brokerUrl().substring(bridge.brokerUrl().lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0".getBytes(StandardCharsets.UTF_8));
            for (String[] frame : List.of(new String[] {valid, "stomp-valid"}, new String[] {"<xml/>", "stomp-poison"})) {
                byte[] body = frame[0].getBytes(StandardCharsets.UTF_8);
                out.write(("SEND\ndestination:chat.visitor.online\ndestination-type:ANYCAST\ncontent-type:application/json\n"
                        + "testCase:" + frame[1] + "\ncontent-length:" + body.length + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.write(body);
                out.write(0);
            }
            out.write("DISCONNECT\nreceipt:bye\n\n\0".getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.getInputStream().readNBytes(1); // CONNECTED frame: the broker has read what came before
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("via-stomp").size() == 1);
        assertEquals("invalid-json", awaitDeadLetter("DLQ.chat.visitor.online", "stomp-poison").property("chatbridgeReason"));
    }
}
