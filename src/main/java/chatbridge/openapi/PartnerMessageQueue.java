package chatbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import chatbridge.problems.Problem;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import chatbridge.failures.BridgeHeaders;
import chatbridge.partners.PartnerLoader;
import chatbridge.partners.Partner;
import chatbridge.security.DeliverySeal;
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
 *   <li>A reply to an event ({@code inReplyTo}) first claims its place: one reply of each kind (partner, event,
 *       message type) per reply window, decided for every bridge on the broker by one {@link ReplyArbiter}. A second
 *       reply is refused (409) with the first one's id; the same request retried with its Idempotency-Key has the
 *       same id and passes again (and the broker drops its second copy).</li>
 * </ul>
 * A 202 is only given once the broker stored the message (committed it, for a message in a group commit). A claim granted to a request whose message the broker
 * then did not take (503) stays granted: retried with its Idempotency-Key, the request is queued.
 */
public class PartnerMessageQueue implements AutoCloseable {
    private static final String MESSAGE_ID = "chatbridgeMessageId";
    private static final Logger LOG = LoggerFactory.getLogger(PartnerMessageQueue.class);
    /** How long a request waits to be taken into a commit before it gives up (503, nothing queued). */
    private static final long GROUP_COMMIT_WAIT_MILLIS = 10_000;

    /** The outcome of a request: the message id (an earlier request's, for the same Idempotency-Key). */
    public record Accepted(String id) {
    }

    /** The message id {@link #reserve} gave the request. */
    public record Reservation(String messageId) {
    }

    /** Asks the {@link ReplyArbiter} (through the broker): the id of the message that holds this reply. */
    @FunctionalInterface
    public interface ReplyClaims {
        String holder(String replyKey, String messageId);
    }

    private final ConnectionFactory connectionFactory;
    private final GroupCommit groupCommit;
    private final String queue;
    private final ReplyClaims claims;
    private final DeliverySeal seal;
    private final Clock clock;

    /**
     * @param maxMessagesPerCommit messages without an Idempotency-Key are committed in groups of up to this many
     *                             (those that arrived while the previous commit was under way); 1: one by one
     */
    public PartnerMessageQueue(ConnectionFactory connectionFactory, String queue, int maxMessagesPerCommit,
                               ReplyClaims claims, DeliverySeal seal, Clock clock) {
        this.connectionFactory = connectionFactory;
        this.groupCommit = new GroupCommit(connectionFactory, queue, maxMessagesPerCommit, GROUP_COMMIT_WAIT_MILLIS);
        this.seal = seal;
        this.queue = queue;
        this.claims = claims;
        this.clock = clock;
    }

    /**
     * The message id this request gets. A reply to an event must hold its claim: a second reply of the same kind to
     * the same event is refused (409, with the first one's id), unless it is the very request that holds it.
     */
    public Reservation reserve(Partner partner, InboundMessage message, String idempotencyKey) {
        String id = idempotencyKey == null ? "msg_" + UUID.randomUUID().toString().replace("-", "")
                : derivedId(partner.id(), idempotencyKey);
        if (message.inReplyTo() == null) {
            return new Reservation(id);
        }
        String holder;
        try {
            holder = claims.holder(partner.id() + "|" + message.inReplyTo() + "|" + message.type(), id);
        } catch (RuntimeException e) {
            throw brokerUnavailable(partner, id, e);
        }
        if (!id.equals(holder)) {
            throw new Problem(ProblemType.DUPLICATE_REPLY, "a " + message.type() + " reply to event "
                    + message.inReplyTo() + " was already accepted as " + holder)
                    .extension("existingMessageId", holder);
        }
        return new Reservation(id);
    }

    /** Puts the message on the broker: 503 when the broker does not confirm. */
    public Accepted enqueue(Partner partner, InboundMessage message, String idempotencyKey, Reservation reservation) {
        try {
            send(partner, message, reservation.messageId(), idempotencyKey, clock.instant());
            return new Accepted(reservation.messageId());
        } catch (JMSException | RuntimeException e) {
            throw brokerUnavailable(partner, reservation.messageId(), e);
        }
    }

    private static Problem brokerUnavailable(Partner partner, String id, Exception e) {
        LOG.warn("Could not queue message {} from partner {}: {}", id, partner.id(), e.toString());
        return new Problem(ProblemType.BROKER_UNAVAILABLE, "the broker did not confirm the message; retry later "
                + "(with the same Idempotency-Key to be safe)").header("Retry-After", "5");
    }

    /**
     * With an Idempotency-Key: one persistent send outside any transaction, which the broker checks against and adds
     * to its duplicate-id cache at once, so that simultaneous retries (even through two bridges) queue one copy; the
     * client blocks until the message is on disk. Without one: in a group commit with the messages of other requests
     * (one journal sync and one answer from the broker for the group), returning once the group is committed.
     */
    private void send(Partner partner, InboundMessage message, String id, String idempotencyKey, Instant now)
            throws JMSException {
        ObjectNode json = StrictJson.MAPPER.createObjectNode()
                .put("id", id)
                .put("partnerId", partner.id())
                .put("visitorId", message.visitorId());
        if (message.inReplyTo() != null) {
            json.put("inReplyTo", message.inReplyTo());
        }
        json.set("message", message.message());
        json.put("receivedAt", now.toString());
        String body = json.toString();
        String seal = this.seal.seal(id, PartnerLoader.PARTNER_MESSAGE, now.toString(), body);
        GroupCommit.MessageMaker maker = session -> {
            TextMessage out = session.createTextMessage(body);
            out.setStringProperty(MESSAGE_ID, id);
            out.setStringProperty("chatbridgePartnerId", partner.id());
            out.setStringProperty("JMSXGroupID", message.visitorId());
            // What a delivery route needs when CHAT_API_URL forwards this queue over HTTP.
            out.setStringProperty(BridgeHeaders.EVENT_ID, id);
            out.setStringProperty(BridgeHeaders.EVENT_TYPE, PartnerLoader.PARTNER_MESSAGE);
            out.setStringProperty(BridgeHeaders.OCCURRED_AT, now.toString());
            out.setStringProperty(DeliverySeal.HEADER, seal);
            if (idempotencyKey != null) {
                out.setStringProperty("_AMQ_DUPL_ID", "idem|" + partner.id() + "|" + idempotencyKey);
            }
            return out;
        };
        if (idempotencyKey == null) {
            groupCommit.send(maker);
            return;
        }
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(null)) {
            producer.send(session.createQueue(queue), maker.make(session), DeliveryMode.PERSISTENT, 4, 0);
        }
    }

    /** Commits what waits for a commit, then takes no more messages (the bridge stops). */
    @Override
    public void close() throws InterruptedException {
        groupCommit.close();
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
