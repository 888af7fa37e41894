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
 * A 202 is only given once the broker stored the message. A claim granted to a request whose message the broker
 * then did not take (503) stays granted: retried with its Idempotency-Key, the request is queued.
 */
public class PartnerMessageQueue {
    private static final String MESSAGE_ID = "chatbridgeMessageId";
    private static final Logger LOG = LoggerFactory.getLogger(PartnerMessageQueue.class);

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
    private final String queue;
    private final ReplyClaims claims;
    private final DeliverySeal seal;
    private final Clock clock;

    public PartnerMessageQueue(ConnectionFactory connectionFactory, String queue, ReplyClaims claims,
                               DeliverySeal seal, Clock clock) {
        this.connectionFactory = connectionFactory;
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
     * One persistent send outside any transaction: the broker answers once the message is on disk (the client blocks
     * on durable sends), one round trip instead of a send, a commit and the pool's rollback when the session returns
     * to it. A copy for an Idempotency-Key the broker already holds is dropped by the broker, without a word.
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

        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
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
            producer.send(session.createQueue(queue), out, DeliveryMode.PERSISTENT, 4, 0);
        }
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
