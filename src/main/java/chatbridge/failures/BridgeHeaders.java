package chatbridge.failures;

/**
 * Message properties chat-bridge sets on the broker. They are valid Java identifiers, so every client (JMS, AMQP,
 * STOMP, Artemis CLI) reads them unchanged. The delivery progress ones ({@link #PARTNER_ID}, {@link #ATTEMPTS},
 * {@link #LAST_STATUS}, {@link #LAST_ATTEMPT_AT}) are also the names of the exchange properties the delivery route
 * keeps them in while it works, which is where the failure explanation finds them.
 */
public final class BridgeHeaders {
    // On delivery queue messages (webhook.<partnerId>).
    public static final String EVENT_ID = "chatbridgeEventId";
    public static final String EVENT_TYPE = "chatbridgeEventType";
    public static final String OCCURRED_AT = "chatbridgeOccurredAt";
    /** When the event was first put on the delivery queue (ISO-8601 UTC). */
    public static final String QUEUED_AT = "chatbridgeQueuedAt";
    /** Broker deliveries made before this copy of the message was re-queued for a partner's Retry-After. */
    public static final String PRIOR_ATTEMPTS = "chatbridgePriorAttempts";
    /** On a dead letter an operator replayed with ignoreFreshness: delivered whatever its age. */
    public static final String IGNORE_FRESHNESS = "chatbridgeIgnoreFreshness";

    // On dead-lettered (DLQ.<queue>) and expired (EXPIRED.<queue>) messages.
    /** A stable code: invalid-json, missing-field, http-400, endpoint-gone, attempts-exhausted, expired, ... */
    public static final String REASON = "chatbridgeReason";
    /** A sentence saying exactly what is wrong. */
    public static final String DETAIL = "chatbridgeDetail";
    /** For invalid events: the JSON path of the offending field. */
    public static final String FIELD = "chatbridgeField";
    public static final String SOURCE_QUEUE = "chatbridgeSourceQueue";
    public static final String PARTNER_ID = "chatbridgePartnerId";
    /** Broker deliveries made, each with up to 1 + local-retries HTTP requests. */
    public static final String ATTEMPTS = "chatbridgeAttempts";
    /** The partner's last HTTP status, absent when it never answered. */
    public static final String LAST_STATUS = "chatbridgeLastStatus";
    public static final String LAST_ATTEMPT_AT = "chatbridgeLastAttemptAt";
    public static final String FAILED_AT = "chatbridgeFailedAt";

    // Artemis' own.
    public static final String GROUP_ID = "JMSXGroupID";
    public static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private BridgeHeaders() {
    }
}
