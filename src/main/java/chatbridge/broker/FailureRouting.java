package chatbridge.broker;

import java.time.Clock;
import java.time.Instant;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;

import chatbridge.delivery.DeliveryFailure;
import chatbridge.delivery.WebhookAttempt;
import chatbridge.delivery.WebhookDeliveries;
import chatbridge.events.PoisonEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a message goes when it cannot be delivered now, used by the bridge-error-handling route configuration.
 * Each method works on the original message (useOriginalMessage), adds the explanation as headers, and sets
 * {@link #DESTINATION} for the send that follows in the same transaction: the move is atomic.
 */
public class FailureRouting {
    /** Exchange property: the queue the message moves to. */
    public static final String DESTINATION = "chatbridgeDestination";

    private static final Logger LOG = LoggerFactory.getLogger(FailureRouting.class);

    private final Clock clock;

    public FailureRouting(Clock clock) {
        this.clock = clock;
    }

    /** Poison input and permanent delivery failures: to DLQ.&lt;source queue&gt;, never retried. */
    public void deadLetter(Exchange exchange) {
        Throwable cause = causeOf(exchange);
        Message message = exchange.getMessage();
        Object messageId = message.getHeader("JMSMessageID");
        String source = explain(exchange, cause);
        String destination = "DLQ." + source;
        exchange.setProperty(DESTINATION, destination);
        Object eventId = message.getHeader(BridgeHeaders.EVENT_ID);
        // An invalid event has no trusted id yet: the message id is what identifies it then.
        LOG.warn("Moved message {}{} from {} to {}: {}", messageId, eventId == null ? "" : " (event " + eventId + ")",
                source, destination, message.getHeader(BridgeHeaders.REASON));
    }

    /** Events past their freshness deadline: to EXPIRED.&lt;source queue&gt;. */
    public void expire(Exchange exchange) {
        Throwable cause = causeOf(exchange);
        String source = explain(exchange, cause);
        String destination = "EXPIRED." + source;
        exchange.setProperty(DESTINATION, destination);
        LOG.info("Event {} expired on {}: {}", exchange.getMessage().getHeader(BridgeHeaders.EVENT_ID), source, cause.getMessage());
    }

    /**
     * The partner asked to come back later (Retry-After): the message goes back onto its own queue, scheduled
     * for then, counting the deliveries made so far. The consumer thread moves on instead of sleeping.
     */
    public void defer(Exchange exchange) {
        DeliveryFailure.RetryLater cause = (DeliveryFailure.RetryLater) causeOf(exchange);
        WebhookAttempt webhook = exchange.getProperty(WebhookDeliveries.ATTEMPT, WebhookAttempt.class);
        Message message = exchange.getMessage();
        String source = sourceQueue(message);
        dropBrokerHeaders(message);
        message.setHeader(BridgeHeaders.PRIOR_ATTEMPTS, webhook.attempt());
        message.setHeader(BridgeHeaders.SCHEDULED_DELIVERY, clock.millis() + cause.delayMillis());
        exchange.setProperty(DESTINATION, source);
        LOG.info("Event {} to partner {}: {}; next attempt in {} ms", webhook.eventId(), webhook.partner().id(),
                cause.getMessage(), cause.delayMillis());
    }

    /** The bridge's own exception, which Camel may have wrapped (for example in a bean expression failure). */
    private static Throwable causeOf(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof PoisonEventException || t instanceof DeliveryFailure) {
                return t;
            }
        }
        return caught;
    }

    private String explain(Exchange exchange, Throwable cause) {
        Message message = exchange.getMessage();
        String source = sourceQueue(message);
        dropBrokerHeaders(message);
        message.setHeader(BridgeHeaders.SOURCE_QUEUE, source);
        message.setHeader(BridgeHeaders.FAILED_AT, clock.instant().toString());
        message.setHeader(BridgeHeaders.DETAIL, cause.getMessage());
        if (cause instanceof PoisonEventException poison) {
            message.setHeader(BridgeHeaders.REASON, poison.reason());
            if (poison.field() != null) {
                message.setHeader(BridgeHeaders.FIELD, poison.field());
            }
        } else if (cause instanceof DeliveryFailure failure) {
            message.setHeader(BridgeHeaders.REASON, failure.reason());
        } else {
            message.setHeader(BridgeHeaders.REASON, "error");
        }
        WebhookAttempt webhook = exchange.getProperty(WebhookDeliveries.ATTEMPT, WebhookAttempt.class);
        if (webhook != null) {
            message.setHeader(BridgeHeaders.PARTNER_ID, webhook.partner().id());
            message.setHeader(BridgeHeaders.ATTEMPTS, webhook.attempt());
            if (webhook.lastStatus() != null) {
                message.setHeader(BridgeHeaders.LAST_STATUS, webhook.lastStatus());
            }
            Instant lastAttemptAt = webhook.lastAttemptAt();
            if (lastAttemptAt != null) {
                message.setHeader(BridgeHeaders.LAST_ATTEMPT_AT, lastAttemptAt.toString());
            }
        }
        return source;
    }

    /**
     * Drops the old message's JMS, Artemis and Camel properties before it is sent anew: a copied _AMQ_DUPL_ID
     * would make the broker discard the new message as a duplicate. The publisher's own properties stay.
     */
    private static void dropBrokerHeaders(Message message) {
        message.getHeaders().keySet().removeIf(name -> name.startsWith("_") || name.startsWith("Camel")
                || (name.startsWith("JMS") && !name.equals(BridgeHeaders.GROUP_ID)));
    }

    static String sourceQueue(Message message) {
        Destination destination = message.getHeader("JMSDestination", Destination.class);
        if (destination instanceof Queue queue) {
            try {
                return queue.getQueueName();
            } catch (JMSException e) {
                throw new IllegalStateException("cannot read the source queue name", e);
            }
        }
        throw new IllegalStateException("message has no JMS source queue");
    }
}
