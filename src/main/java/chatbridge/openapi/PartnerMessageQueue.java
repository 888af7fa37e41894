package chatbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import chatbridge.problems.Problem;
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

import chatbridge.failures.BridgeHeaders;
import chatbridge.partners.PartnerLoader;
import chatbridge.partners.Partner;
import chatbridge.security.DeliverySeal;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import chatbridge.events.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts accepted partner messages on the queue the chat system reads, durably and at most once per request:
 * <ul>
 *   <li>With an Idempotency-Key the message id is derived from (partner, key) and the message carries it as
 *       Artemis' duplicate id, so a retried request gets the same id and the broker refuses a second copy, even
 *       after a restart (the broker's duplicate-id cache is persistent).</li>
 *   <li>A reply to an event ({@code inReplyTo}) also leaves a marker on a last-value queue keyed by
 *       (partner, event, message type), in the same transaction. The markers are read back at startup, so a second
 *       reply of the same kind is refused (409) with the first message's id, across restarts too.</li>
 * </ul>
 * The message and its marker commit together; a 202 is only given after the commit.
 */
public class PartnerMessageQueue {
    public static final String REPLY_INDEX_QUEUE = "chatbridge.reply-index";
    private static final String REPLY_KEY = "chatbridgeReplyKey";
    private static final String MESSAGE_ID = "chatbridgeMessageId";
    private static final String IDEMPOTENCY_KEY = "chatbridgeIdempotencyKey";
    private static final String ACCEPTED_AT = "chatbridgeAcceptedAt";
    private static final Logger LOG = LoggerFactory.getLogger(PartnerMessageQueue.class);

    /** The outcome of a request: the message id, and whether this was a replay of an earlier request. */
    public record Accepted(String id, boolean replayed) {
    }

    /** An accepted reply, as the reply index remembers it. */
    record Reply(String messageId, String idempotencyKey, Instant acceptedAt) {
    }

    /** What {@link #reserve} decided; {@code replyKey} and {@code reply} are null for a message that replies to nothing. */
    public record Reservation(String messageId, String replyKey, Reply reply, boolean replayed) {
    }

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final Duration replyWindow;
    private final DeliverySeal seal;
    private final Clock clock;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private volatile boolean replyIndexLoaded;

    public PartnerMessageQueue(ConnectionFactory connectionFactory, String queue, Duration replyWindow,
                               DeliverySeal seal, Clock clock) {
        this.connectionFactory = connectionFactory;
        this.seal = seal;
        this.queue = queue;
        this.replyWindow = replyWindow;
        this.clock = clock;
    }

    /**
     * Drops markers older than the reply window, then reads the rest back. Done on the first request rather than
     * at startup, so a broker that is not up yet only means 503 answers until it is.
     */
    private synchronized void loadReplyIndex() throws JMSException {
        if (replyIndexLoaded) {
            return;
        }
        Instant oldest = clock.instant().minus(replyWindow);
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            int pruned = 0;
            try (MessageConsumer stale = session.createConsumer(session.createQueue(REPLY_INDEX_QUEUE),
                    ACCEPTED_AT + " < " + oldest.toEpochMilli())) {
                while (stale.receive(200) != null) {
                    pruned++;
                }
            }
            try (QueueBrowser browser = session.createBrowser(session.createQueue(REPLY_INDEX_QUEUE))) {
                loadMarkers(browser, oldest);
            }
            LOG.info("Open API reply index loaded: {} replies in the last {} ({} older ones dropped)",
                    replies.size(), replyWindow, pruned);
        }
        replyIndexLoaded = true;
    }

    private void loadMarkers(QueueBrowser browser, Instant oldest) throws JMSException {
        Enumeration<?> markers = browser.getEnumeration();
        while (markers.hasMoreElements()) {
            Message marker = (Message) markers.nextElement();
            Instant acceptedAt = Instant.ofEpochMilli(marker.getLongProperty(ACCEPTED_AT));
            if (acceptedAt.isAfter(oldest)) {
                replies.put(marker.getStringProperty(REPLY_KEY), new Reply(marker.getStringProperty(MESSAGE_ID),
                        marker.getStringProperty(IDEMPOTENCY_KEY), acceptedAt));
            }
        }
    }

    /**
     * The message id this request gets and, for a reply to an event, its place in the reply index. Refuses a second
     * reply of the same kind to the same event (409, with the first one's id), except the very request that was
     * accepted before, retried with its Idempotency-Key: that one is {@link Reservation#replayed()}.
     */
    public Reservation reserve(Partner partner, InboundMessage message, String idempotencyKey) {
        Instant now = clock.instant();
        String id = idempotencyKey == null ? "msg_" + UUID.randomUUID().toString().replace("-", "")
                : derivedId(partner.id(), idempotencyKey);
        if (message.inReplyTo() == null) {
            return new Reservation(id, null, null, false);
        }
        String replyKey = partner.id() + "|" + message.inReplyTo() + "|" + message.type();
        if (!replyIndexLoaded) {
            try {
                loadReplyIndex();
            } catch (JMSException | RuntimeException e) {
                throw brokerUnavailable(partner, id, e);
            }
        }
        Reply mine = new Reply(id, idempotencyKey, now);
        Reply earlier = replies.merge(replyKey, mine,
                (old, reservation) -> old.acceptedAt().isBefore(now.minus(replyWindow)) ? reservation : old);
        if (earlier == mine) {
            return new Reservation(id, replyKey, mine, false);
        }
        if (idempotencyKey != null && idempotencyKey.equals(earlier.idempotencyKey())) {
            return new Reservation(earlier.messageId(), replyKey, earlier, true);
        }
        throw new Problem(ProblemType.DUPLICATE_REPLY, "a " + message.type() + " reply to event "
                + message.inReplyTo() + " was already accepted as " + earlier.messageId())
                .extension("existingMessageId", earlier.messageId());
    }

    /**
     * Puts the message, and its reply marker, on the broker in one transaction: 503 when the broker does not confirm
     * (the reservation is then released, so a retry is not refused as a duplicate).
     */
    public Accepted enqueue(Partner partner, InboundMessage message, String idempotencyKey, Reservation reservation) {
        try {
            boolean stored = send(partner, message, reservation.messageId(), idempotencyKey, reservation.replyKey(),
                    clock.instant());
            return new Accepted(reservation.messageId(), !stored);
        } catch (JMSException | RuntimeException e) {
            if (reservation.replyKey() != null) {
                replies.remove(reservation.replyKey(), reservation.reply());
            }
            throw brokerUnavailable(partner, reservation.messageId(), e);
        }
    }

    private static Problem brokerUnavailable(Partner partner, String id, Exception e) {
        LOG.warn("Could not queue message {} from partner {}: {}", id, partner.id(), e.toString());
        return new Problem(ProblemType.BROKER_UNAVAILABLE, "the broker did not confirm the message; retry later "
                + "(with the same Idempotency-Key to be safe)").header("Retry-After", "5");
    }

    /** @return false when the broker already had this Idempotency-Key's message */
    private boolean send(Partner partner, InboundMessage message, String id, String idempotencyKey, String replyKey,
                         Instant now) throws JMSException {
        ObjectNode json = StrictJson.MAPPER.createObjectNode()
                .put("id", id)
                .put("partnerId", partner.id())
                .put("visitorId", message.visitorId());
        if (message.inReplyTo() != null) {
            json.put("inReplyTo", message.inReplyTo());
        }
        json.set("message", message.message());
        json.put("receivedAt", now.toString());

        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(null)) {
            String body = json.toString();
            TextMessage out = session.createTextMessage(body);
            out.setStringProperty(MESSAGE_ID, id);
            out.setStringProperty("chatbridgePartnerId", partner.id());
            out.setStringProperty("JMSXGroupID", message.visitorId());
            // What a delivery route needs when CHAT_API_URL forwards this queue over HTTP.
            out.setStringProperty(BridgeHeaders.EVENT_ID, id);
            out.setStringProperty(BridgeHeaders.EVENT_TYPE, PartnerLoader.PARTNER_MESSAGE);
            out.setStringProperty(BridgeHeaders.OCCURRED_AT, now.toString());
            out.setStringProperty(DeliverySeal.HEADER, seal.seal(id, PartnerLoader.PARTNER_MESSAGE, now.toString(), body));
            if (idempotencyKey != null) {
                out.setStringProperty("_AMQ_DUPL_ID", "idem|" + partner.id() + "|" + idempotencyKey);
            }
            try {
                producer.send(session.createQueue(queue), out, DeliveryMode.PERSISTENT, 4, 0);
                if (replyKey != null) {
                    TextMessage marker = session.createTextMessage("");
                    marker.setStringProperty(REPLY_KEY, replyKey);
                    marker.setStringProperty(MESSAGE_ID, id);
                    if (idempotencyKey != null) {
                        marker.setStringProperty(IDEMPOTENCY_KEY, idempotencyKey);
                    }
                    marker.setLongProperty(ACCEPTED_AT, now.toEpochMilli());
                    producer.send(session.createQueue(REPLY_INDEX_QUEUE), marker);
                }
                session.commit();
                return true;
            } catch (JMSException e) {
                if (!isDuplicate(e)) {
                    throw e;
                }
                // The broker already holds this Idempotency-Key's message (the send or the commit says so).
                session.rollback();
                return false;
            }
        }
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ActiveMQDuplicateIdException
                    || (t.getMessage() != null && t.getMessage().startsWith("Duplicate message detected"))) {
                return true;
            }
        }
        return false;
    }

    /** The same (partner, Idempotency-Key) always names the same message. */
    static String derivedId(String partnerId, String idempotencyKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((partnerId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
