package chatbridge.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import chatbridge.catalog.DeliveryPolicy;
import chatbridge.control.PartnerControl;
import chatbridge.failures.BridgeFailure;
import chatbridge.failures.BridgeHeaders;
import chatbridge.metrics.BridgeMetrics;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The verdicts and values of the partner-webhook-delivery route (routes/webhook-delivery.yaml): {@link #begin} once
 * per broker delivery, then {@link #sign} and {@link #judge} around each HTTP POST. The route decides what each
 * verdict leads to; routes/error-handling.yaml where a failure goes.
 */
public class WebhookDeliveries {
    /** Exchange property holding the {@link WebhookAttempt}. */
    public static final String ATTEMPT = "chatbridgeWebhookAttempt";
    /** Exchange property: the partner's webhook URL exactly as configured, for CamelHttpUri. */
    public static final String WEBHOOK_URL = "chatbridgeWebhookUrl";
    /** Exchange property with the endpoint of the POST: the partner URL's scheme and authority only. */
    public static final String WEBHOOK_ENDPOINT = "chatbridgeWebhookEndpoint";
    /** Exchange property: the failure behind a verdict other than delivered, raised by {@link #fail}. */
    public static final String FAILURE = "chatbridgeFailure";

    public static final String DELIVERED = "delivered";
    /** Try again at once, in process: a quick retry (chatbridge.delivery.local-retries) is left. */
    public static final String TRY_AGAIN = "try-again";
    /** Try again later: roll back, and the broker's schedule makes the next delivery. */
    public static final String RETRY = "retry";
    /** Re-queue for the time the partner gave in Retry-After. */
    public static final String RETRY_LATER = "retry-later";
    public static final String DEAD_LETTER = "dead-letter";
    /** The partner's circuit is open: back onto its queue, the attempt not spent. */
    public static final String HOLD = "hold";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
    private static final String[] MDC_KEYS = {"eventId", "partner", "attempt", "status", "durationMs"};
    /** The consumer thread goes on to other messages: nothing of this one stays in its MDC. */
    private static final Synchronization CLEAR_MDC = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            for (String key : MDC_KEYS) {
                MDC.remove(key);
            }
        }
    };

    private final PartnerRegistry partners;
    private final Map<String, DeliveryPolicy> policies;
    private final ResponseClassifier classifier;
    private final int localRetries;
    private final DeliverySeal seal;
    private final PartnerControl control;
    private final BridgeMetrics metrics;
    private final FailureLog failureLog;
    private final Clock clock;

    public WebhookDeliveries(PartnerRegistry partners, Map<String, DeliveryPolicy> policies,
                             ResponseClassifier classifier, int localRetries, DeliverySeal seal, PartnerControl control,
                             BridgeMetrics metrics, FailureLog failureLog, Clock clock) {
        this.partners = partners;
        this.failureLog = failureLog;
        this.control = control;
        this.metrics = metrics;
        this.policies = policies;
        this.classifier = classifier;
        this.localRetries = localRetries;
        this.seal = seal;
        this.clock = clock;
    }

    /**
     * Checks that the bridge queued this message for this partner and that it is still worth delivering. The payload
     * is {@link WebhookPayloads}' to build, once for all in-process tries.
     */
    public void begin(Exchange exchange, String partnerId) {
        Message message = exchange.getMessage();
        Partner partner = partners.byId(partnerId)
                .orElseThrow(() -> BridgeFailure.permanent("unknown-partner", "partner " + partnerId + " is no longer configured"));
        String eventId = message.getHeader(BridgeHeaders.EVENT_ID, String.class);
        String type = message.getHeader(BridgeHeaders.EVENT_TYPE, String.class);
        String occurredAt = message.getHeader(BridgeHeaders.OCCURRED_AT, String.class);
        String event = message.getBody(String.class);
        // Checked before anything is signed with the partner's secret: a message the bridge did not write (or that
        // was changed since) must never go out as a validly signed webhook.
        if (!seal.verify(message.getHeader(DeliverySeal.HEADER, String.class), eventId, type, occurredAt, event)) {
            throw BridgeFailure.permanent("not-from-bridge", "delivery queue messages are written by "
                    + "chat-bridge; this one has no valid chatbridgeSeal (missing, altered, or sealed with another key)");
        }
        if (!partner.subscribesTo(type)) {
            throw BridgeFailure.permanent("not-from-bridge",
                    "partner " + partnerId + " does not subscribe to " + type + "; the bridge never queued it here");
        }
        DeliveryPolicy policy = policies.get(type);
        if (policy == null) {
            throw BridgeFailure.permanent("unknown-type", "no delivery policy for event type " + type);
        }
        int attempt = message.getHeader(BridgeHeaders.PRIOR_ATTEMPTS, 0, Integer.class)
                + message.getHeader(BridgeHeaders.DELIVERY_COUNT, 1, Integer.class);
        // The ids of this delivery on every log line written for it (LOG_FORMAT=json shows them as fields).
        MDC.put("eventId", eventId);
        MDC.put("partner", partner.id());
        MDC.put("attempt", Integer.toString(attempt));
        exchange.getExchangeExtension().addOnCompletion(CLEAR_MDC);
        exchange.setProperty(ATTEMPT, new WebhookAttempt(partner, eventId, type, occurredAt, event, attempt, policy.maxAttempts()));
        exchange.setProperty(WEBHOOK_URL, partner.webhookUrl());
        exchange.setProperty(WEBHOOK_ENDPOINT, partner.webhookEndpoint());
        exchange.setProperty(BridgeHeaders.PARTNER_ID, partner.id());
        exchange.setProperty(BridgeHeaders.ATTEMPTS, attempt);
        // Plain strings for the route's logs and meters: ${exchangeProperty.chatbridgeWebhookAttempt.eventType()}
        // would make Camel introspect WebhookAttempt afresh for every event (its method cache is keyed by instance).
        exchange.setProperty(BridgeHeaders.EVENT_ID, eventId);
        exchange.setProperty(BridgeHeaders.EVENT_TYPE, type);
        exchange.setProperty(BridgeHeaders.OCCURRED_AT, occurredAt);

        Instant now = clock.instant();
        Instant occurred = Instant.parse(occurredAt);
        if (policy.isStale(occurred, now) && !message.getHeader(BridgeHeaders.IGNORE_FRESHNESS, false, Boolean.class)) {
            throw BridgeFailure.expired(type + " event is " + Duration.between(occurred, now).toSeconds()
                    + " s old, past its freshness limit of " + policy.freshness().toSeconds() + " s");
        }
        if (attempt > policy.maxAttempts()) {
            // The previous, final delivery never reached a verdict (the bridge died during it).
            throw BridgeFailure.permanent("attempts-exhausted",
                    "delivery " + attempt + " exceeds the limit of " + policy.maxAttempts() + " for " + type);
        }
    }

    /**
     * The request's headers (on a message the route has emptied of every other header): webhook-id,
     * webhook-timestamp, webhook-signature with a fresh timestamp, Content-Type and the partner's extra headers.
     * The body becomes the payload.
     */
    public void sign(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(ATTEMPT, WebhookAttempt.class);
        Message message = exchange.getMessage();
        Instant now = clock.instant();
        webhook.startTry();
        exchange.setProperty(BridgeHeaders.LAST_ATTEMPT_AT, now.toString());
        exchange.removeProperty(BridgeHeaders.LAST_STATUS);
        webhook.partner().headers().forEach(message::setHeader);
        long timestamp = now.getEpochSecond();
        message.setHeader("Content-Type", "application/json");
        message.setHeader("webhook-id", webhook.eventId());
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        if (!webhook.partner().signingKeys().isEmpty()) {
            message.setHeader("webhook-signature",
                    WebhookSigner.sign(webhook.eventId(), timestamp, webhook.payload(), webhook.partner().signingKeys()));
        }
        message.setBody(webhook.payload());
    }

    /**
     * The verdict on one POST: {@link #DELIVERED}, {@link #TRY_AGAIN}, {@link #RETRY}, {@link #RETRY_LATER},
     * {@link #HOLD} or {@link #DEAD_LETTER},
     * from the partner's status and Retry-After, or from the network error caught instead of an answer. The failure
     * behind any other verdict than delivered is kept in {@link #FAILURE} for {@link #fail}.
     */
    public String judge(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(ATTEMPT, WebhookAttempt.class);
        Message message = exchange.getMessage();
        Exception noAnswer = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer status = noAnswer == null ? message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        BridgeFailure failure = noAnswer != null ? transportFailure(noAnswer)
                : classifier.classify(status == null ? 200 : status, message.getHeader("Retry-After", String.class),
                        clock.instant());
        Duration took = webhook.tryDuration();
        metrics.attempt(webhook.partner().id(), took);
        MDC.put("durationMs", Long.toString(took.toMillis()));
        boolean probe = PartnerControl.PROBE.equals(exchange.getProperty(PartnerControl.ADMISSION));
        boolean circuitOpen = control.record(webhook.partner().id(), status, failure != null && failure.wouldRetry(), probe);
        if (failure == null) {
            return DELIVERED;
        }
        if (status != null) {
            exchange.setProperty(BridgeHeaders.LAST_STATUS, status);
            MDC.put("status", status.toString());
        }
        if (circuitOpen && failure.wouldRetry()) {
            // The partner is down as a whole: this event waits with the others, its attempt not spent.
            exchange.setProperty(FAILURE, BridgeFailure.held("circuit-open", "partner " + webhook.partner().id()
                    + "'s circuit is open (last: " + failure.getMessage() + ")"));
            return HOLD;
        }
        boolean lastTryOfDelivery = failure.kind() != BridgeFailure.Kind.RETRYABLE || webhook.localTry() >= localRetries;
        if (lastTryOfDelivery && failure.wouldRetry() && webhook.attempt() >= webhook.maxAttempts()) {
            failure = BridgeFailure.permanent("attempts-exhausted", "gave up after " + webhook.attempt()
                    + " attempts; last: " + failure.getMessage());
        }
        if (!lastTryOfDelivery) {
            LOG.debug("Event {} to partner {}: {}; retrying in process", webhook.eventId(), webhook.partner().id(), failure.getMessage());
        } else if ("endpoint-gone".equals(failure.reason())) {
            LOG.warn("Partner {} endpoint gone (HTTP 410) for event {}: check its webhookUrl", webhook.partner().id(), webhook.eventId());
        } else {
            failureLog.failed(webhook.partner().id(), failure.reason(), "Event " + webhook.eventId() + " to partner "
                    + webhook.partner().id() + " failed (attempt " + webhook.attempt() + "/" + webhook.maxAttempts() + "): "
                    + failure.getMessage());
        }
        exchange.setProperty(FAILURE, failure);
        if (!lastTryOfDelivery) {
            return TRY_AGAIN;
        }
        return switch (failure.kind()) {
            case RETRYABLE -> RETRY;
            case RETRY_LATER -> RETRY_LATER;
            default -> DEAD_LETTER;
        };
    }

    /** Raises the hold of an event its partner's controls did not admit (paused, circuit open). */
    public void hold(Exchange exchange) {
        String partnerId = exchange.getProperty(BridgeHeaders.PARTNER_ID, String.class);
        throw BridgeFailure.held("partner-held", "partner " + partnerId + " is paused or its circuit is open");
    }

    /** Raises the failure behind the verdict, for routes/error-handling.yaml to act on. */
    public void fail(Exchange exchange) {
        throw exchange.getProperty(FAILURE, BridgeFailure.class);
    }

    private static BridgeFailure transportFailure(Exception e) {
        if (e instanceof SocketTimeoutException || e instanceof ConnectionRequestTimeoutException) {
            return BridgeFailure.retryable("timeout", "partner did not answer in time (" + e.getMessage() + ")");
        }
        if (e instanceof ConnectException) {
            return BridgeFailure.retryable("connection-refused", "cannot connect to partner (" + e.getMessage() + ")");
        }
        if (e instanceof IOException) {
            return BridgeFailure.retryable("network-error", "network error talking to partner ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return BridgeFailure.retryable("delivery-error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
