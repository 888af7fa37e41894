package chatbridge.openapi;

import java.util.Locale;

import chatbridge.partners.Partner;
import chatbridge.problems.Problem;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the openapi-post-message route (routes/openapi.yaml), in the order a request meets them. Each
 * either passes or throws the {@link Problem} that becomes the answer.
 */
public class OpenApiRequests {
    /** Exchange properties carried between the steps. */
    public static final String PARTNER = "chatbridgePartner";
    /**
     * The partner's id and the visitor's, as plain strings for the routes' logs and meters: an expression that calls
     * a method on a record (${exchangeProperty.chatbridgePartner.id()}) makes Camel hash the whole record (keys,
     * subscriptions, ...) to find the method, on every request (a twentieth of the Open API's CPU, measured).
     */
    public static final String PARTNER_ID = "chatbridgePartnerId";
    public static final String VISITOR_ID = "chatbridgeVisitorId";
    public static final String MESSAGE = "chatbridgeInboundMessage";
    public static final String IDEMPOTENCY_KEY = "chatbridgeIdempotencyKey";
    public static final String RESERVATION = "chatbridgeReservation";
    /** The accepted message's id, for the 202 answer. */
    public static final String MESSAGE_ID = "chatbridgeMessageId";
    /** True when the request repeats one already queued (same Idempotency-Key): nothing is queued again. */

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final SignatureVerifier signatures;
    private final MessageValidator validator;
    private final PartnerMessageQueue queue;
    private final int maxBodyBytes;

    public OpenApiRequests(ApiKeyAuthenticator authenticator, RateLimiter rateLimiter, SignatureVerifier signatures,
                           MessageValidator validator, PartnerMessageQueue queue, int maxBodyBytes) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.signatures = signatures;
        this.validator = validator;
        this.queue = queue;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void requireMethod(Exchange exchange, String allowed) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!allowed.equalsIgnoreCase(method)) {
            throw new Problem(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allowed)
                    .header("Allow", allowed);
        }
    }

    public void authenticate(Exchange exchange) {
        Partner partner = authenticator.authenticate(exchange.getMessage().getHeader("Authorization", String.class));
        exchange.setProperty(PARTNER, partner);
        exchange.setProperty(PARTNER_ID, partner.id());
    }

    public void rateLimit(Exchange exchange) {
        Partner partner = exchange.getProperty(PARTNER, Partner.class);
        long waitMillis = rateLimiter.acquire(partner.id());
        if (waitMillis > 0) {
            String seconds = Long.toString(Math.max(1, (waitMillis + 999) / 1000));
            throw new Problem(ProblemType.RATE_LIMITED, "partner " + partner.id() + " is over its request rate; retry in "
                    + seconds + " s").header("Retry-After", seconds);
        }
    }

    /** Media type, size and (for partners that require it) the signature, before the body is parsed. */
    public void checkBody(Exchange exchange) {
        Message message = exchange.getMessage();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw new Problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, not "
                    + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
        byte[] body = message.getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            throw new Problem(ProblemType.BODY_TOO_LARGE, "the body is " + body.length + " bytes; the limit is " + maxBodyBytes);
        }
        Partner partner = exchange.getProperty(PARTNER, Partner.class);
        if (partner.requireSignature()) {
            signatures.verify(partner, message.getHeader("webhook-id", String.class),
                    message.getHeader("webhook-timestamp", String.class),
                    message.getHeader("webhook-signature", String.class), body == null ? new byte[0] : body);
        }
    }

    public void validate(Exchange exchange) {
        InboundMessage message = validator.validate(exchange.getMessage().getBody(byte[].class));
        exchange.setProperty(MESSAGE, message);
        exchange.setProperty(VISITOR_ID, message.visitorId());
    }

    public void idempotencyKey(Exchange exchange) {
        String idempotencyKey = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new Problem(ProblemType.INVALID_MESSAGE, "Idempotency-Key must be 1 to 255 characters", "Idempotency-Key");
        }
        exchange.setProperty(IDEMPOTENCY_KEY, idempotencyKey);
    }

    /** One reply per event and kind (409), and the message id this request gets. */
    public void reserve(Exchange exchange) {
        PartnerMessageQueue.Reservation reservation = queue.reserve(exchange.getProperty(PARTNER, Partner.class),
                exchange.getProperty(MESSAGE, InboundMessage.class), exchange.getProperty(IDEMPOTENCY_KEY, String.class));
        exchange.setProperty(RESERVATION, reservation);
        exchange.setProperty(MESSAGE_ID, reservation.messageId());
    }

    /** Queues the message; returns once the broker has stored it (or already had it: same Idempotency-Key). */
    public void enqueue(Exchange exchange) {
        queue.enqueue(exchange.getProperty(PARTNER, Partner.class), exchange.getProperty(MESSAGE, InboundMessage.class),
                exchange.getProperty(IDEMPOTENCY_KEY, String.class),
                exchange.getProperty(RESERVATION, PartnerMessageQueue.Reservation.class));
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
