package chatbridge.failures;

import java.time.Clock;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes down why a message could not be handled, for the bridge-error-handling route configuration
 * (routes/error-handling.yaml), which decides where the message goes. Works on the original message
 * (useOriginalMessage) before it is sent on: the headers say what failed, where it came from and, for deliveries,
 * how far they got.
 */
public class FailureExplanations {
    /** Exchange property: when a deferred delivery is due (epoch millis), for Artemis' _AMQ_SCHED_DELIVERY. */
    public static final String RETRY_AT = "chatbridgeRetryAt";

    private final Clock clock;

    public FailureExplanations(Clock clock) {
        this.clock = clock;
    }

    /** For a dead letter or an expired event: reason, detail, field, source queue, time and delivery progress. */
    public void explain(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BridgeFailure failure = BridgeFailure.in(caught).orElse(null);
        message.setHeader(BridgeHeaders.SOURCE_QUEUE, sourceQueue(message));
        message.setHeader(BridgeHeaders.FAILED_AT, clock.instant().toString());
        message.setHeader(BridgeHeaders.REASON, failure == null ? "error" : failure.reason());
        message.setHeader(BridgeHeaders.DETAIL, failure == null ? String.valueOf(caught) : failure.getMessage());
        if (failure != null && failure.field() != null) {
            message.setHeader(BridgeHeaders.FIELD, failure.field());
        }
        for (String progress : new String[] {BridgeHeaders.PARTNER_ID, BridgeHeaders.ATTEMPTS, BridgeHeaders.LAST_STATUS,
                BridgeHeaders.LAST_ATTEMPT_AT}) {
            Object value = exchange.getProperty(progress);
            if (value != null) {
                message.setHeader(progress, value);
            }
        }
    }

    /**
     * For a delivery the partner asked to come back to later (Retry-After): the source queue, the broker deliveries
     * made so far (they still count) and, in {@link #RETRY_AT}, when the next one is due.
     */
    public void explainDeferral(Exchange exchange) {
        Message message = exchange.getMessage();
        BridgeFailure failure = BridgeFailure.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                .orElseThrow(() -> new IllegalStateException("a deferral without the partner's Retry-After"));
        message.setHeader(BridgeHeaders.SOURCE_QUEUE, sourceQueue(message));
        message.setHeader(BridgeHeaders.PRIOR_ATTEMPTS, exchange.getProperty(BridgeHeaders.ATTEMPTS));
        exchange.setProperty(RETRY_AT, clock.millis() + failure.delayMillis());
    }

    /**
     * For a delivery held back (partner paused, circuit open): the source queue, and the broker deliveries made
     * before this one, which was not an attempt: the message goes back with its attempt budget as it was.
     */
    public void explainHold(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(BridgeHeaders.SOURCE_QUEUE, sourceQueue(message));
        Integer attempts = exchange.getProperty(BridgeHeaders.ATTEMPTS, Integer.class);
        message.setHeader(BridgeHeaders.PRIOR_ATTEMPTS, attempts == null ? 0 : attempts - 1);
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
