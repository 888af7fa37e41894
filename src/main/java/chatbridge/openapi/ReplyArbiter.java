package chatbridge.openapi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which reply to an event is the one (route reply-arbiter): one reply of each kind (partner, event, message
 * type) per reply window. Claims reach it on chatbridge.reply-claims, an exclusive queue: of all the bridges on the
 * broker, one consumes it at a time and decides every claim, one after the other, so two replies racing through two
 * bridges cannot both win. (The broker's duplicate-id check cannot do this: it checks an id when a message is sent
 * and records it after, so two sends at the same moment both pass.)
 *
 * <p>Every reply granted leaves a marker on the last-value queue chatbridge.reply-index, written before the verdict
 * is given: whichever bridge decides next, after a restart or a failover, reads its predecessors' decisions there.
 * Markers older than the window are dropped now and then.
 */
public class ReplyArbiter {
    public static final String REPLY_INDEX_QUEUE = "chatbridge.reply-index";
    private static final String REPLY_KEY = "chatbridgeReplyKey";
    private static final String MESSAGE_ID = "chatbridgeMessageId";
    private static final String ACCEPTED_AT = "chatbridgeAcceptedAt";
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReplyArbiter.class);

    private final ConnectionFactory connectionFactory;
    private final Duration replyWindow;
    private final Clock clock;
    /** Replies this arbiter granted or read, as a shortcut: within the window a marker never changes. */
    private final Map<String, Granted> known = new ConcurrentHashMap<>();
    private Instant prunedAt = Instant.MIN;

    private record Granted(String messageId, Instant at) {
    }

    public ReplyArbiter(ConnectionFactory connectionFactory, Duration replyWindow, Clock clock) {
        this.connectionFactory = connectionFactory;
        this.replyWindow = replyWindow;
        this.clock = clock;
    }

    /**
     * @return the id of the message that holds the reply: {@code messageId} when this claim wins (or is the same
     *         request as the one that won), the earlier reply's id otherwise
     */
    public synchronized String decide(String replyKey, String messageId) throws JMSException {
        Instant now = clock.instant();
        Instant oldest = now.minus(replyWindow);
        Granted earlier = known.get(replyKey);
        if (earlier == null || !earlier.at().isAfter(oldest)) {
            earlier = marker(replyKey);
        }
        if (earlier != null && earlier.at().isAfter(oldest)) {
            known.put(replyKey, earlier);
            return earlier.messageId();
        }
        Granted mine = new Granted(messageId, now);
        writeMarker(replyKey, mine);
        known.put(replyKey, mine);
        if (Duration.between(prunedAt, now).compareTo(PRUNE_EVERY) > 0) {
            prune(oldest);
            prunedAt = now;
        }
        return messageId;
    }

    private Granted marker(String replyKey) throws JMSException {
        String selector = REPLY_KEY + " = '" + replyKey.replace("'", "''") + "'";
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(REPLY_INDEX_QUEUE), selector)) {
            connection.start();
            Enumeration<?> markers = browser.getEnumeration();
            if (!markers.hasMoreElements()) {
                return null;
            }
            Message marker = (Message) markers.nextElement();
            return new Granted(marker.getStringProperty(MESSAGE_ID), Instant.ofEpochMilli(marker.getLongProperty(ACCEPTED_AT)));
        }
    }

    /** Persistent and confirmed by the broker before the verdict leaves: the next arbiter must see it. */
    private void writeMarker(String replyKey, Granted granted) throws JMSException {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue(REPLY_INDEX_QUEUE))) {
            TextMessage marker = session.createTextMessage("");
            marker.setStringProperty(REPLY_KEY, replyKey);
            marker.setStringProperty(MESSAGE_ID, granted.messageId());
            marker.setLongProperty(ACCEPTED_AT, granted.at().toEpochMilli());
            producer.send(marker, DeliveryMode.PERSISTENT, 4, 0);
        }
    }

    private void prune(Instant oldest) throws JMSException {
        int pruned = 0;
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer stale = session.createConsumer(session.createQueue(REPLY_INDEX_QUEUE),
                     ACCEPTED_AT + " < " + oldest.toEpochMilli())) {
            connection.start();
            while (stale.receive(200) != null) {
                pruned++;
            }
        }
        known.values().removeIf(granted -> !granted.at().isAfter(oldest));
        LOG.info("Open API reply index: {} replies older than {} dropped", pruned, replyWindow);
    }
}
