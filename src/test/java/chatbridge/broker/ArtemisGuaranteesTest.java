package chatbridge.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What several bridges on one broker rely on, and what they must not rely on, in the Artemis we ship with
 * artemis/broker.xml (an upgrade that changes any of it shows up here first).
 */
class ArtemisGuaranteesTest {
    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static ActiveMQConnectionFactory factory;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedBroker("artemis/broker.xml", dataDir, "", "", new EmbeddedBrokerUsers(false, "", "", "", ""));
        broker.start();
        factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
    }

    @AfterAll
    static void stop() {
        factory.close();
        broker.stop();
    }

    /**
     * Not to rely on: a transaction's duplicate ids are checked when it sends and recorded when it commits, so two
     * transactions open at once with the same _AMQ_DUPL_ID both commit. Hence the Open API's reply arbiter, and the
     * README's note on simultaneous requests with one Idempotency-Key.
     */
    @Test
    void twoOpenTransactionsWithTheSameDuplicateIdBothCommit() throws Exception {
        try (Connection connection = factory.createConnection();
             Session first = connection.createSession(true, Session.SESSION_TRANSACTED);
             Session second = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer firstProducer = first.createProducer(first.createQueue("probe.duplicates"));
             MessageProducer secondProducer = second.createProducer(second.createQueue("probe.duplicates"))) {
            TextMessage a = first.createTextMessage("a");
            a.setStringProperty("_AMQ_DUPL_ID", "same-id");
            TextMessage b = second.createTextMessage("b");
            b.setStringProperty("_AMQ_DUPL_ID", "same-id");
            firstProducer.send(a);
            secondProducer.send(b);
            first.commit();
            assertDoesNotThrow(second::commit);
            // Once committed, the id is known: a later transaction is refused.
            TextMessage c = second.createTextMessage("c");
            c.setStringProperty("_AMQ_DUPL_ID", "same-id");
            secondProducer.send(c);
            assertThrows(JMSException.class, second::commit);
        }
    }

    /**
     * Relied on: an exclusive queue (chat.*, chatbridge.reply-claims) hands every message to one of its consumers,
     * whichever bridge the others belong to, and to the next one once that one is gone.
     */
    @Test
    void anExclusiveQueueFeedsOneConsumerAndTheNextOneWhenItGoes() throws Exception {
        try (Connection connection = factory.createConnection();
             Session producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             Session one = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             Session two = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            MessageConsumer first = one.createConsumer(one.createQueue("chatbridge.reply-claims"));
            MessageConsumer second = two.createConsumer(two.createQueue("chatbridge.reply-claims"));
            MessageProducer producer = producing.createProducer(producing.createQueue("chatbridge.reply-claims"));
            for (int i = 0; i < 10; i++) {
                producer.send(producing.createTextMessage("claim-" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("claim-" + i, ((TextMessage) first.receive(5000)).getText());
            }
            assertNull(second.receiveNoWait(), "the other consumer stands by");
            first.close();
            producer.send(producing.createTextMessage("after"));
            assertEquals("after", ((TextMessage) second.receive(5000)).getText());
            second.close();
        }
    }

    /** Relied on: a reply claim nobody decided in time is dropped, not kept on ExpiryQueue (broker.xml). */
    @Test
    void anExpiredReplyClaimIsDropped() throws Exception {
        try (Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("chatbridge.reply-claims"))) {
            connection.start();
            TextMessage claim = session.createTextMessage("");
            claim.setStringProperty("chatbridgeReplyKey", "expiry-probe");
            producer.send(claim, DeliveryMode.NON_PERSISTENT, 4, 1);
            String selector = "chatbridgeReplyKey = 'expiry-probe'";
            try (MessageConsumer consumer = session.createConsumer(session.createQueue("chatbridge.reply-claims"), selector)) {
                assertNull(consumer.receive(500), "expired, not delivered");
            }
            try (MessageConsumer expired = session.createConsumer(session.createQueue("ExpiryQueue"), selector)) {
                assertNull(expired.receive(1000), "dropped, not moved");
            }
            // The queue itself still works.
            producer.send(session.createTextMessage("fresh"));
            try (MessageConsumer consumer = session.createConsumer(session.createQueue("chatbridge.reply-claims"))) {
                assertNotNull(consumer.receive(5000));
            }
        }
    }
}
