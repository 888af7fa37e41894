package chatbridge.admin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import chatbridge.broker.BrokerAdmin;
import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.failures.BridgeHeaders;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queues as an operator sees them: DLQ.webhook.&lt;partner&gt; and EXPIRED.webhook.&lt;partner&gt;
 * (deliveries that failed or went stale), DLQ.chat.&lt;type&gt; (events that failed validation), and the DLQ of
 * partner.messages when the chat system's API takes them. Listed by browsing (nothing is consumed), replayed or
 * purged in broker transactions of at most {@link #BATCH} messages: a crash mid-way leaves every message either
 * where it was or moved, never both and never neither.
 *
 * <p>A replayed dead letter goes back to the queue its dead-letter queue is named after, as it was first queued:
 * the same body and event id (the webhook-id), its delivery headers and seal, none of the failure's headers, and
 * a fresh attempt budget. A delivery message whose seal does not verify (a forgery dead-lettered as not-from-bridge,
 * or one sealed with a key since retired) is skipped and stays: replaying it would make the bridge sign it.
 */
public class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Messages per broker transaction. */
    static final int BATCH = 100;
    private static final long RECEIVE_WAIT_MILLIS = 2000;
    private static final long BROWSE_STALL_MILLIS = 5000;
    /** Set on a replayed delivery whose operator asked to deliver it despite its age. */
    public static final String IGNORE_FRESHNESS = BridgeHeaders.IGNORE_FRESHNESS;
    public static final String REPLAYED_AT = "chatbridgeReplayedAt";
    /** The failure's explanation: none of it goes back with a replayed message. */
    private static final Set<String> EXPLANATION = Set.of(BridgeHeaders.REASON, BridgeHeaders.DETAIL, BridgeHeaders.FIELD,
            BridgeHeaders.SOURCE_QUEUE, BridgeHeaders.PARTNER_ID, BridgeHeaders.ATTEMPTS, BridgeHeaders.LAST_STATUS,
            BridgeHeaders.LAST_ATTEMPT_AT, BridgeHeaders.FAILED_AT, BridgeHeaders.PRIOR_ATTEMPTS, IGNORE_FRESHNESS,
            REPLAYED_AT);

    /** Which dead letters: every field optional (null, or no ids), all given ones must match. */
    public record Filter(String queue, String partner, String type, String reason, Instant since, Instant until,
                         Integer limit, List<String> ids) {
    }

    public record Listing(Filter filter, boolean includeBody) {
    }

    public record Replay(Filter filter, boolean dryRun, boolean ignoreFreshness) {
    }

    /** One dead letter as GET /admin/dead-letters shows it. */
    public record DeadLetter(String id, String messageId, String queue, String sourceQueue, String type, String partner,
                             String reason, String detail, String field, Integer attempts, Integer lastStatus,
                             String failedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String body) {
    }

    private final ConnectionFactory connections;
    private final BrokerAdmin broker;
    private final PartnerRegistry partners;
    private final EventCatalog catalog;
    private final DeliverySeal seal;
    private final Clock clock;

    public DeadLetters(ConnectionFactory connections, BrokerAdmin broker, PartnerRegistry partners, EventCatalog catalog,
                       DeliverySeal seal, Clock clock) {
        this.connections = connections;
        this.broker = broker;
        this.partners = partners;
        this.catalog = catalog;
        this.seal = seal;
        this.clock = clock;
    }

    public Map<String, Object> list(Listing listing) throws JMSException {
        Filter filter = listing.filter();
        List<DeadLetter> found = new ArrayList<>();
        boolean truncated = false;
        for (String queue : queues(filter)) {
            int room = filter.limit() - found.size();
            Browsed browsed = browse(queue, filter, room);
            for (Message message : browsed.messages()) {
                found.add(describe(message, queue, listing.includeBody()));
            }
            if (browsed.matching() > browsed.messages().size()) {
                truncated = true;
                break;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deadLetters", found);
        answer.put("count", found.size());
        answer.put("truncated", truncated);
        return answer;
    }

    public Map<String, Object> replay(Replay replay) throws JMSException {
        Filter filter = replay.filter();
        int replayed = 0;
        int skipped = 0;
        int matched = 0;
        for (String queue : queues(filter)) {
            int budget = filter.limit() == null ? Integer.MAX_VALUE : filter.limit() - matched;
            if (budget <= 0) {
                break;
            }
            String target = sourceOf(queue);
            boolean sealed = isDeliveryQueue(target);
            List<String> replayable = new ArrayList<>();
            for (Message message : browse(queue, filter, budget).messages()) {
                matched++;
                if (sealed && !sealVerifies(message)) {
                    skipped++;
                } else {
                    replayable.add(message.getJMSMessageID());
                }
            }
            if (!replay.dryRun()) {
                replayed += move(queue, replayable, (session, message) -> session.createProducer(null)
                        .send(session.createQueue(target), replayOf(session, message, replay.ignoreFreshness() && sealed),
                                DeliveryMode.PERSISTENT, message.getJMSPriority(), 0));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (replay.dryRun()) {
            answer.put("dryRun", true);
            answer.put("matched", matched);
            answer.put("replayed", 0);
            answer.put("skipped", skipped);
        } else {
            answer.put("replayed", replayed);
            answer.put("skipped", skipped);
            LOG.info("Replayed {} dead letters ({} skipped: seal not valid)", replayed, skipped);
        }
        return answer;
    }

    public Map<String, Object> purge(Filter filter) throws JMSException {
        int purged = 0;
        int matched = 0;
        for (String queue : queues(filter)) {
            int budget = filter.limit() == null ? Integer.MAX_VALUE : filter.limit() - matched;
            if (budget <= 0) {
                break;
            }
            List<String> ids = new ArrayList<>();
            for (Message message : browse(queue, filter, budget).messages()) {
                ids.add(message.getJMSMessageID());
            }
            matched += ids.size();
            purged += move(queue, ids, (session, message) -> { });
        }
        LOG.info("Purged {} dead letters", purged);
        return Map.of("purged", purged);
    }

    private interface Mover {
        void accept(Session session, Message message) throws JMSException;
    }

    /**
     * Takes the listed messages off the queue, {@link #BATCH} per transaction, handing each to the mover inside that
     * transaction (its sends commit with the take).
     *
     * @return how many were taken (others may have been taken meanwhile by someone else)
     */
    private int move(String queue, List<String> messageIds, Mover mover) throws JMSException {
        int moved = 0;
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            connection.start();
            for (int from = 0; from < messageIds.size(); from += BATCH) {
                List<String> batch = messageIds.subList(from, Math.min(messageIds.size(), from + BATCH));
                try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue),
                        "JMSMessageID IN (" + String.join(",", batch.stream().map(DeadLetters::literal).toList()) + ")")) {
                    int taken = 0;
                    Message message;
                    while (taken < batch.size() && (message = consumer.receive(RECEIVE_WAIT_MILLIS)) != null) {
                        mover.accept(session, message);
                        taken++;
                    }
                    session.commit();
                    moved += taken;
                } catch (JMSException | RuntimeException e) {
                    session.rollback();
                    throw e;
                }
            }
        }
        return moved;
    }

    /** What a browse found, and how many messages matched on the broker when it started. */
    private record Browsed(List<Message> messages, long matching) {
    }

    /**
     * Up to {@code max} of the messages matching the filter, without consuming any. A JMS queue browser's enumeration
     * ends whenever the consumer has nothing buffered at that instant (Artemis asks the broker for an immediate
     * delivery, which a consumer out of flow-control credits cannot get), not when the queue is done; so the broker
     * counts the matches first, and the browse goes on until it has seen them, or seen nothing new for
     * {@link #BROWSE_STALL_MILLIS} (someone else took them meanwhile).
     */
    private Browsed browse(String queue, Filter filter, int max) throws JMSException {
        String selector = selector(filter, queue);
        long matching = broker.countMessages(queue, selector);
        long wanted = Math.min(max, matching);
        List<Message> found = new ArrayList<>();
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
            connection.start();
            Enumeration<?> messages = browser.getEnumeration();
            long lastSeen = System.nanoTime();
            while (found.size() < wanted) {
                if (messages.hasMoreElements()) {
                    found.add((Message) messages.nextElement());
                    lastSeen = System.nanoTime();
                } else if (System.nanoTime() - lastSeen > TimeUnit.MILLISECONDS.toNanos(BROWSE_STALL_MILLIS)) {
                    break;
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }
        return new Browsed(found, matching);
    }

    /** The message as first queued on its source queue, with a fresh attempt budget. */
    private Message replayOf(Session session, Message dead, boolean ignoreFreshness) throws JMSException {
        Message copy;
        if (dead instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else if (dead instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage out = session.createBytesMessage();
            out.writeBytes(body);
            copy = out;
        } else {
            copy = session.createTextMessage(null);
        }
        for (String name : Collections.list((Enumeration<String>) dead.getPropertyNames())) {
            boolean broker = name.startsWith("_") || (name.startsWith("JMS") && !name.equals(BridgeHeaders.GROUP_ID));
            if (!broker && !EXPLANATION.contains(name)) {
                copy.setObjectProperty(name, dead.getObjectProperty(name));
            }
        }
        copy.setStringProperty(REPLAYED_AT, clock.instant().toString());
        if (ignoreFreshness) {
            copy.setBooleanProperty(IGNORE_FRESHNESS, true);
        }
        return copy;
    }

    private boolean sealVerifies(Message message) throws JMSException {
        String body = message instanceof TextMessage text ? text.getText() : null;
        return body != null && seal.verify(message.getStringProperty(DeliverySeal.HEADER),
                message.getStringProperty(BridgeHeaders.EVENT_ID), message.getStringProperty(BridgeHeaders.EVENT_TYPE),
                message.getStringProperty(BridgeHeaders.OCCURRED_AT), body);
    }

    private DeadLetter describe(Message message, String queue, boolean includeBody) throws JMSException {
        String source = sourceOf(queue);
        String eventId = message.getStringProperty(BridgeHeaders.EVENT_ID);
        String type = message.getStringProperty(BridgeHeaders.EVENT_TYPE);
        if (type == null) {
            type = catalog.all().stream().filter(t -> t.sourceQueue().equals(source)).map(EventType::name).findFirst().orElse(null);
        }
        String partner = message.getStringProperty(BridgeHeaders.PARTNER_ID);
        if (partner == null) {
            partner = partners.all().stream().filter(p -> p.deliveryQueue().equals(source)).map(p -> p.id()).findFirst()
                    .orElse(source.startsWith("webhook.") ? source.substring("webhook.".length()) : null);
        }
        String body = null;
        if (includeBody) {
            if (message instanceof TextMessage text) {
                body = text.getText();
            } else if (message instanceof BytesMessage bytes) {
                byte[] raw = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(raw);
                body = new String(raw, StandardCharsets.UTF_8);
            }
        }
        return new DeadLetter(eventId != null ? eventId : message.getJMSMessageID(), message.getJMSMessageID(), queue,
                source, type, partner, message.getStringProperty(BridgeHeaders.REASON),
                message.getStringProperty(BridgeHeaders.DETAIL), message.getStringProperty(BridgeHeaders.FIELD),
                integer(message, BridgeHeaders.ATTEMPTS), integer(message, BridgeHeaders.LAST_STATUS),
                message.getStringProperty(BridgeHeaders.FAILED_AT), body);
    }

    private static Integer integer(Message message, String name) throws JMSException {
        Object value = message.getObjectProperty(name);
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return value == null ? null : Integer.valueOf(String.valueOf(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The dead-letter queues on the broker that the filter's queue, partner and type leave, in name order. */
    List<String> queues(Filter filter) {
        Predicate<String> wanted = name -> filter.queue() == null || filter.queue().equals(name);
        List<String> queues = new ArrayList<>();
        for (String name : broker.queueNames()) {
            if (!wanted.test(name) || !(name.startsWith("DLQ.") || name.startsWith("EXPIRED."))) {
                continue;
            }
            String source = sourceOf(name);
            boolean delivery = isDeliveryQueue(source);
            boolean ingest = source.startsWith("chat.");
            if (!delivery && !ingest) {
                continue;
            }
            if (filter.partner() != null && !source.equals(PartnerRegistry.deliveryQueue(filter.partner()))) {
                continue;
            }
            if (filter.type() != null && ingest
                    && catalog.type(filter.type()).map(t -> !t.sourceQueue().equals(source)).orElse(true)) {
                continue;
            }
            queues.add(name);
        }
        Collections.sort(queues);
        return queues;
    }

    /** DLQ.webhook.acme → webhook.acme: where its messages came from, and where a replay sends them. */
    private static String sourceOf(String deadLetterQueue) {
        return deadLetterQueue.substring(deadLetterQueue.indexOf('.') + 1);
    }

    /** A partner's delivery queue (webhook.*, or partner.messages for the chat system's API): sealed messages. */
    private boolean isDeliveryQueue(String queue) {
        return queue.startsWith("webhook.") || partners.all().stream().anyMatch(p -> p.deliveryQueue().equals(queue));
    }

    /** A JMS selector for the filter's reason, type, times and ids on one queue; null for "everything". */
    private String selector(Filter filter, String queue) {
        List<String> terms = new ArrayList<>();
        if (filter.reason() != null) {
            terms.add(BridgeHeaders.REASON + " = " + literal(filter.reason()));
        }
        if (filter.type() != null && !sourceOf(queue).startsWith("chat.")) {
            terms.add(BridgeHeaders.EVENT_TYPE + " = " + literal(filter.type()));
        }
        // JMSTimestamp is when the bridge sent the message to the dead-letter queue: when it failed.
        if (filter.since() != null) {
            terms.add("JMSTimestamp >= " + filter.since().toEpochMilli());
        }
        if (filter.until() != null) {
            terms.add("JMSTimestamp < " + filter.until().toEpochMilli());
        }
        if (!filter.ids().isEmpty()) {
            String ids = String.join(",", filter.ids().stream().map(DeadLetters::literal).toList());
            terms.add("(" + BridgeHeaders.EVENT_ID + " IN (" + ids + ") OR JMSMessageID IN (" + ids + "))");
        }
        return terms.isEmpty() ? null : String.join(" AND ", terms);
    }

    /** A string literal of a JMS selector: quotes doubled. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
