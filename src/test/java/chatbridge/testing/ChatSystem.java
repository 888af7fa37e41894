package chatbridge.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The chat system's side of the broker, over TCP like any outside client: publishes events and reads what the
 * bridge left on queues.
 */
public final class ChatSystem implements AutoCloseable {
    /** A message read from a queue: its body as text and its properties. */
    public record Received(String body, Map<String, Object> properties) {
        public Object property(String name) {
            return properties.get(name);
        }
    }

    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;

    public ChatSystem(String brokerUrl) {
        this(brokerUrl, null, null);
    }

    public ChatSystem(String brokerUrl, String user, String password) {
        try {
            connection = new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendText(String queue, String body) {
        sendText(queue, body, Map.of());
    }

    public void sendText(String queue, String body, Map<String, Object> properties) {
        try {
            TextMessage message = session.createTextMessage(body);
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                message.setObjectProperty(p.getKey(), p.getValue());
            }
            producer.send(session.createQueue(queue), message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Persistent sends in one transaction: a backlog appears at once. */
    public void sendTextsInOneTransaction(String queue, java.util.List<String> bodies) {
        try (Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer batch = transacted.createProducer(transacted.createQueue(queue))) {
            for (String body : bodies) {
                batch.send(transacted.createTextMessage(body));
            }
            transacted.commit();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendBytes(String queue, byte[] body) {
        try {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(body);
            producer.send(session.createQueue(queue), message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Non-destructive look at a queue. */
    public List<Received> browse(String queue) {
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            List<Received> out = new ArrayList<>();
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                out.add(toReceived((Message) messages.nextElement()));
            }
            return out;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the next message, or null after the wait. */
    public Received receive(String queue, Duration wait) {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            Message message = consumer.receive(wait.toMillis());
            return message == null ? null : toReceived(message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every message of the queue, until none comes for {@code idle}. */
    public List<Received> takeAll(String queue, Duration idle) {
        List<Received> taken = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (Message message; (message = consumer.receive(idle.toMillis())) != null; ) {
                taken.add(toReceived(message));
            }
            return taken;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Received toReceived(Message message) throws JMSException {
        Map<String, Object> properties = new HashMap<>();
        for (Object name : Collections.list(message.getPropertyNames())) {
            properties.put((String) name, message.getObjectProperty((String) name));
        }
        String body;
        if (message instanceof TextMessage text) {
            body = text.getText();
        } else if (message instanceof BytesMessage bytes) {
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            body = new String(data, StandardCharsets.UTF_8);
        } else {
            body = null;
        }
        return new Received(body, properties);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException e) {
            // closing anyway
        }
    }

    /** visitor.online JSON with the given ids, occurred at the given time. */
    public static String visitorOnline(String eventId, String visitorId, Instant occurredAt) {
        return """
                {"id":"%s","type":"visitor.online","occurredAt":"%s",
                 "visitor":{"id":"%s","name":"Mei Chen","email":"mei@example.com","language":"zh-CN","country":"CN","attributes":{"tier":"gold"}},
                 "session":{"id":"s-1","page":"https://shop.example.com/","referrer":"https://search.example/","device":"mobile"},
                 "extra":{"carried":"through"}}""".formatted(eventId, occurredAt, visitorId);
    }

    public static String orderCompleted(String eventId, String visitorId, Instant occurredAt) {
        return """
                {"id":"%s","type":"order.completed","occurredAt":"%s","visitor":{"id":"%s"},
                 "order":{"id":"o-1","number":"10042","total":{"amount":"129.90","currency":"USD"},
                 "items":[{"sku":"SKU-1","name":"Tea set","quantity":1,"price":"129.90"}],
                 "url":"https://shop.example.com/orders/10042"}}""".formatted(eventId, occurredAt, visitorId);
    }
}
