package chatbridge.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import chatbridge.openapi.OpenApiClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.WebhookReceiver;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker listening beyond loopback (0.0.0.0, as the Docker image runs it): nobody gets in without a
 * login, over Core, AMQP 1.0 or STOMP, and each role can do exactly its part. Clients connect through 127.0.0.1.
 */
class BrokerAccessTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String CHAT_PASSWORD = "chat-password-for-this-test";
    static final String OPERATOR_PASSWORD = "operator-password-for-this-test";
    static WebhookReceiver partner;
    static BridgeRunner bridge;
    static String core;

    @BeforeAll
    static void start() throws Exception {
        partner = new WebhookReceiver();
        bridge = new BridgeRunner();
        Path operatorPasswordFile = bridge.dataDir().resolve("operator-password");
        Files.writeString(operatorPasswordFile, OPERATOR_PASSWORD + "\n");
        bridge.set("chatbridge.broker.embedded.acceptor", "tcp://0.0.0.0:" + bridge.brokerPort() + "?protocols=CORE,AMQP,STOMP")
                .set("chatbridge.broker.embedded.chat-password", CHAT_PASSWORD)
                .set("chatbridge.broker.embedded.operator-password", "file:" + operatorPasswordFile)
                .partners("""
                        partners:
                          - id: shop
                            webhookUrl: %s
                            secrets: [%s]
                            events: [visitor.online, order.completed]
                            apiKeys: [shop-api-key]
                        """.formatted(partner.url(), SECRET))
                .start();
        core = bridge.brokerUrl();
    }

    @AfterAll
    static void stop() {
        bridge.close();
        partner.close();
    }

    static Connection connect(ConnectionFactory factory) throws JMSException {
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    static Connection chatSystem() throws JMSException {
        return connect(new ActiveMQConnectionFactory(core, "chat-system", CHAT_PASSWORD));
    }

    static Connection operator() throws JMSException {
        return connect(new ActiveMQConnectionFactory(core, "operator", OPERATOR_PASSWORD));
    }

    static void send(Connection connection, String queue, String body) throws JMSException {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createTextMessage(body));
        }
    }

    static List<Message> browse(Connection connection, String queue) throws JMSException {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            return Collections.list(browser.getEnumeration()).stream().map(Message.class::cast).toList();
        }
    }

    static String visitorOnline(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"visitor.online\",\"occurredAt\":\"" + Instant.now()
                + "\",\"visitor\":{\"id\":\"v-1\"}}";
    }

    @Test
    void anonymousCoreAmqpAndStompClientsAreRefused() throws Exception {
        assertThrows(JMSSecurityException.class, () -> connect(new ActiveMQConnectionFactory(core)).close());
        assertThrows(JMSSecurityException.class,
                () -> connect(new ActiveMQConnectionFactory(core, "chat-system", "wrong")).close());
        String amqp = "amqp://127.0.0.1:" + bridge.brokerPort();
        assertThrows(JMSSecurityException.class, () -> connect(new JmsConnectionFactory(amqp)).close());
        assertTrue(stompConnect(null, null).startsWith("ERROR"), "anonymous STOMP gets an ERROR frame");
        assertTrue(stompConnect("chat-system", "wrong").startsWith("ERROR"));
        assertTrue(stompConnect("chat-system", CHAT_PASSWORD).startsWith("CONNECTED"), "the chat system's login works");
        try (Connection amqpChat = connect(new JmsConnectionFactory("chat-system", CHAT_PASSWORD, amqp))) {
            send(amqpChat, "chat.visitor.online", visitorOnline("sec-amqp-1"));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("sec-amqp-1").size() == 1);
    }

    /** Sends CONNECT and returns the broker's answer frame. */
    static String stompConnect(String login, String passcode) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", bridge.brokerPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String credentials = login == null ? "" : "login:" + login + "\npasscode:" + passcode + "\n";
            out.write(("CONNECT\naccept-version:1.2\nhost:localhost\n" + credentials + "\n\0").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder frame = new StringBuilder();
            for (int b = in.read(); b > 0; b = in.read()) {
                frame.append((char) b);
            }
            return frame.toString();
        }
    }

    @Test
    void theChatSystemPublishesEventsAndReadsPartnerMessagesButNothingElse() throws Exception {
        try (Connection chat = chatSystem()) {
            send(chat, "chat.visitor.online", visitorOnline("sec-core-1"));
            await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("sec-core-1").size() == 1);

            OpenApiClient.Answer answer = new OpenApiClient(bridge.httpPort()).post("/openapi/v1/messages", "shop-api-key",
                    "application/json", ("{\"visitorId\":\"v-1\",\"inReplyTo\":\"sec-core-1\",\"message\":"
                            + "{\"type\":\"text\",\"text\":\"Welcome back\"}}").getBytes(StandardCharsets.UTF_8));
            assertEquals(202, answer.status(), answer.body());
            String id = answer.json().get("id").asText();
            assertTrue(browse(chat, "partner.messages").stream().anyMatch(m -> text(m).contains(id)), "browse");
            try (Session session = chat.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageConsumer consumer = session.createConsumer(session.createQueue("partner.messages"))) {
                Message taken = consumer.receive(10_000);
                assertNotNull(taken, "consume");
                assertTrue(text(taken).contains(id));
            }

            // Refused SEND, or CREATE_ADDRESS where the queue does not exist yet.
            for (String queue : List.of("webhook.shop", "partner.messages", "chatbridge.reply-index", "chatbridge.reply-claims",
                    "DLQ.chat.visitor.online")) {
                JMSException refused = assertThrows(JMSException.class, () -> send(chat, queue, visitorOnline("forged")), queue);
                assertTrue(refused.getMessage().contains("User: chat-system does not have permission="), refused.getMessage());
            }
            // Nor may it tell the bridges that a partner's circuit is open (they would hold its events), or answer
            // reply claims in the arbiter's place.
            try (Session session = chat.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                JMSException news = assertThrows(JMSException.class, () -> session.createProducer(
                        session.createTopic("chatbridge.circuits")).send(session.createTextMessage("")));
                assertTrue(news.getMessage().contains("User: chat-system does not have permission="), news.getMessage());
                JMSException claims = assertThrows(JMSException.class, () -> session.createConsumer(
                        session.createQueue("chatbridge.reply-claims")));
                assertTrue(claims.getMessage().contains("User: chat-system does not have permission="), claims.getMessage());
            }
            for (String queue : List.of("DLQ.chat.visitor.online", "EXPIRED.webhook.shop", "webhook.shop", "chat.visitor.online")) {
                // Refused BROWSE, or CREATE_DURABLE_QUEUE where the queue does not exist yet.
                JMSException refused = assertThrows(JMSException.class, () -> browse(chat, queue), queue);
                assertTrue(refused.getMessage().contains("User: chat-system does not have permission="), refused.getMessage());
            }
        }
        assertTrue(partner.requestsFor("forged").isEmpty());
    }

    @Test
    void operatorsInspectDeadLettersButCannotPublish() throws Exception {
        try (Connection chat = chatSystem()) {
            send(chat, "chat.order.completed", "{\"id\":\"sec-poison\",\"type\":\"order.completed\"}");
        }
        try (Connection operator = operator()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> browse(operator, "DLQ.chat.order.completed").stream()
                    .anyMatch(m -> text(m).contains("sec-poison")));
            try (Session session = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageConsumer consumer = session.createConsumer(session.createQueue("DLQ.chat.order.completed"))) {
                assertNotNull(consumer.receive(10_000), "an operator may take a dead letter");
            }
            for (String queue : List.of("chat.visitor.online", "webhook.shop", "partner.messages")) {
                JMSException refused = assertThrows(JMSException.class, () -> send(operator, queue, visitorOnline("op")), queue);
                assertTrue(refused.getMessage().contains("User: operator does not have permission="), refused.getMessage());
            }
            assertThrows(JMSException.class, () -> browse(operator, "partner.messages"));
        }
    }

    @Test
    void theManagementPortListensOnLoopbackOnly() throws Exception {
        String port = String.format(Locale.ROOT, ":%04X ", bridge.managementPort());
        List<String> listening = sockets(port);
        assertTrue(listening.stream().anyMatch(line -> line.contains("0100007F" + port)), "bound to 127.0.0.1: " + listening);
        assertTrue(listening.stream().noneMatch(line -> line.contains("00000000" + port) || line.contains("00000000000000000000000000000000" + port)),
                "not bound to every interface: " + listening);
    }

    /** Listening sockets on that port from /proc/net/tcp and tcp6 (local address is the second column). */
    static List<String> sockets(String port) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 3 && (columns[1] + " ").endsWith(port) && "0A".equals(columns[3])) {
                    lines.add(columns[1] + " ");
                }
            }
        }
        return lines;
    }

    static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
