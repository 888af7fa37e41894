package chatbridge.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import chatbridge.broker.BridgeHeaders;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the partner-webhook-delivery route: {@link #begin} once per broker delivery, then
 * {@link #prepareRequest} and {@link #classify} around each HTTP POST (the POST is retried a few times in process
 * before the transaction rolls back and the broker schedules the next delivery).
 */
public class WebhookDeliveries {
    /** Exchange property holding the {@link WebhookAttempt}. */
    public static final String ATTEMPT = "chatbridgeWebhookAttempt";
    /** Exchange property with the endpoint of the POST: the partner URL's scheme and authority only. */
    public static final String WEBHOOK_ENDPOINT = "chatbridgeWebhookEndpoint";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final PartnerRegistry partners;
    private final Map<String, DeliveryPolicy> policies;
    private final ResponseClassifier classifier;
    private final int localRetries;
    private final DeliverySeal seal;
    private final Clock clock;

    public WebhookDeliveries(PartnerRegistry partners, Map<String, DeliveryPolicy> policies,
                             ResponseClassifier classifier, int localRetries, DeliverySeal seal, Clock clock) {
        this.partners = partners;
        this.seal = seal;
        this.policies = policies;
        this.classifier = classifier;
        this.localRetries = localRetries;
        this.clock = clock;
    }

    /**
     * Decides whether the event is still worth delivering and builds the Standard Webhooks payload once for all
     * in-process tries: {@code {"type", "timestamp", "data": <the event as published>}}.
     */
    public void begin(Exchange exchange, String partnerId) {
        Message message = exchange.getMessage();
        Partner partner = partners.byId(partnerId)
                .orElseThrow(() -> new DeliveryFailure.Permanent("unknown-partner", "partner " + partnerId + " is no longer configured"));
        String eventId = message.getHeader(BridgeHeaders.EVENT_ID, String.class);
        String type = message.getHeader(BridgeHeaders.EVENT_TYPE, String.class);
        String occurredAt = message.getHeader(BridgeHeaders.OCCURRED_AT, String.class);
        String event = message.getBody(String.class);
        // Checked before anything is signed with the partner's secret: a message the bridge did not write (or that
        // was changed since) must never go out as a validly signed webhook.
        if (!seal.verify(message.getHeader(DeliverySeal.HEADER, String.class), eventId, type, occurredAt, event)) {
            throw new DeliveryFailure.Permanent("not-from-bridge", "delivery queue messages are written by "
                    + "chat-bridge; this one has no valid chatbridgeSeal (missing, altered, or sealed with another key)");
        }
        if (!partner.subscribesTo(type)) {
            throw new DeliveryFailure.Permanent("not-from-bridge",
                    "partner " + partnerId + " does not subscribe to " + type + "; the bridge never queued it here");
        }
        DeliveryPolicy policy = policies.get(type);
        if (policy == null) {
            throw new DeliveryFailure.Permanent("unknown-type", "no delivery policy for event type " + type);
        }
        int attempt = message.getHeader(BridgeHeaders.PRIOR_ATTEMPTS, 0, Integer.class)
                + message.getHeader(BridgeHeaders.DELIVERY_COUNT, 1, Integer.class);
        byte[] payload = ("{\"type\":\"" + type + "\",\"timestamp\":\"" + occurredAt + "\",\"data\":" + event + "}")
                .getBytes(StandardCharsets.UTF_8);
        WebhookAttempt webhook = new WebhookAttempt(partner, eventId, type, attempt, policy.maxAttempts(), payload);
        exchange.setProperty(ATTEMPT, webhook);
        exchange.setProperty(WEBHOOK_ENDPOINT, partner.webhookEndpoint());

        Instant now = clock.instant();
        Instant occurred = Instant.parse(occurredAt);
        if (policy.isStale(occurred, now)) {
            throw new DeliveryFailure.Expired(type + " event is " + Duration.between(occurred, now).toSeconds()
                    + " s old, past its freshness limit of " + policy.freshness().toSeconds() + " s");
        }
        if (attempt > policy.maxAttempts()) {
            // The previous, final delivery never reached a verdict (the bridge died during it).
            throw new DeliveryFailure.Permanent("attempts-exhausted",
                    "delivery " + attempt + " exceeds the limit of " + policy.maxAttempts() + " for " + type);
        }
    }

    /**
     * Replaces the headers with exactly what the partner receives, so no JMS or chat-system property leaks out as
     * an HTTP header, and signs the payload with a fresh timestamp.
     */
    public void prepareRequest(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(ATTEMPT, WebhookAttempt.class);
        Message message = exchange.getMessage();
        webhook.startTry(message.getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class), clock.instant());
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);

        // Camel's own headers stay: the error handler counts retries in them, and camel-http never sends them.
        message.getHeaders().keySet().removeIf(name -> !name.startsWith("Camel"));
        webhook.partner().headers().forEach(message::setHeader);
        long timestamp = clock.instant().getEpochSecond();
        message.setHeader("Content-Type", "application/json");
        message.setHeader("webhook-id", webhook.eventId());
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        if (!webhook.partner().signingKeys().isEmpty()) {
            message.setHeader("webhook-signature",
                    WebhookSigner.sign(webhook.eventId(), timestamp, webhook.payload(), webhook.partner().signingKeys()));
        }
        // The URL as the partner wrote it, query included: as an endpoint URI camel-http would read parameters such as
        // httpMethod as its own options. CamelHttpUri is not sent as a header.
        message.setHeader(Exchange.HTTP_URI, webhook.partner().webhookUrl());
        message.setBody(webhook.payload());
    }

    /** Delivered, or throws the {@link DeliveryFailure} that says what to do next. */
    public void classify(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(ATTEMPT, WebhookAttempt.class);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        DeliveryFailure failure;
        Integer status = null;
        if (caught instanceof HttpOperationFailedException http) {
            status = http.getStatusCode();
            failure = classifier.classify(status, retryAfter(http), clock.instant());
        } else if (caught != null) {
            failure = transportFailure(caught);
        } else {
            status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            failure = classifier.classify(status == null ? 200 : status, null, clock.instant());
        }
        if (failure == null) {
            LOG.debug("Delivered event {} to partner {} (attempt {})", webhook.eventId(), webhook.partner().id(), webhook.attempt());
            return;
        }
        webhook.recordFailure(status, failure.getMessage());
        boolean lastTryOfDelivery = !(failure instanceof DeliveryFailure.Retryable) || webhook.localTry() >= localRetries;
        if (!lastTryOfDelivery) {
            LOG.debug("Event {} to partner {}: {}; retrying in process", webhook.eventId(), webhook.partner().id(), failure.getMessage());
            throw failure;
        }
        boolean wouldRetry = failure instanceof DeliveryFailure.Retryable || failure instanceof DeliveryFailure.RetryLater;
        if (wouldRetry && webhook.attempt() >= webhook.maxAttempts()) {
            failure = new DeliveryFailure.Permanent("attempts-exhausted", "gave up after " + webhook.attempt()
                    + " attempts; last: " + failure.getMessage());
        }
        if (failure instanceof DeliveryFailure.Permanent && "endpoint-gone".equals(failure.reason())) {
            LOG.warn("Partner {} endpoint gone (HTTP 410) for event {}: check its webhookUrl", webhook.partner().id(), webhook.eventId());
        } else {
            LOG.warn("Event {} to partner {} failed (attempt {}/{}): {}", webhook.eventId(), webhook.partner().id(),
                    webhook.attempt(), webhook.maxAttempts(), failure.getMessage());
        }
        throw failure;
    }

    private static String retryAfter(HttpOperationFailedException http) {
        Map<String, String> headers = http.getResponseHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    private static DeliveryFailure transportFailure(Exception e) {
        if (e instanceof SocketTimeoutException || e instanceof ConnectionRequestTimeoutException) {
            return new DeliveryFailure.Retryable("timeout", "partner did not answer in time (" + e.getMessage() + ")");
        }
        if (e instanceof ConnectException) {
            return new DeliveryFailure.Retryable("connection-refused", "cannot connect to partner (" + e.getMessage() + ")");
        }
        if (e instanceof IOException) {
            return new DeliveryFailure.Retryable("network-error", "network error talking to partner ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return new DeliveryFailure.Retryable("delivery-error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
