package chatbridge.demo;

import java.io.IOException;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The live-chat system, as a plain JMS client over TCP like a real one: publishes events onto the chat.* queues
 * and reads what partners answered from partner.messages.
 */
final class ChatSystemSimulator implements AutoCloseable {
    static final String PARTNER_MESSAGES = "partner.messages";

    private final Journal journal;
    private final ActiveMQConnectionFactory factory;
    private final Connection connection;
    // JMS sessions are single-threaded: one for the demo's thread publishing, one for the listener's.
    private final Session publishing;
    private final MessageProducer producer;

    ChatSystemSimulator(String brokerUrl, Journal journal) throws JMSException {
        this.journal = journal;
        this.factory = new ActiveMQConnectionFactory(brokerUrl);
        this.connection = factory.createConnection();
        try {
            publishing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = publishing.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Session reading = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            reading.createConsumer(reading.createQueue(PARTNER_MESSAGES)).setMessageListener(this::onPartnerMessage);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            close();
            throw e;
        }
    }

    void publish(DemoEvents.DemoEvent event) throws JMSException {
        TextMessage message = publishing.createTextMessage(event.json());
        producer.send(publishing.createQueue(event.queue()), message);
        journal.published(event.id(), event.label(), event.queue());
    }

    /** {"id","partnerId","visitorId","inReplyTo","message","receivedAt"}: see README, "Partner Open API". */
    private void onPartnerMessage(Message message) {
        try {
            JsonNode json = PartnerReplies.JSON.readTree(((TextMessage) message).getText());
            String inReplyTo = json.path("inReplyTo").isMissingNode() ? null : json.path("inReplyTo").asText();
            journal.messageQueued(inReplyTo, "message queued for " + json.path("visitorId").asText()
                    + (inReplyTo == null ? "" : " (reply to " + inReplyTo + ")") + ": "
                    + PartnerReplies.describe(json.path("message")));
        } catch (JMSException | IOException | ClassCastException e) {
            journal.demo("unreadable message on " + PARTNER_MESSAGES + ": " + e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException e) {
            // closing anyway
        }
        factory.close();
    }
}
