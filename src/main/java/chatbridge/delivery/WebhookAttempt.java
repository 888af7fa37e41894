package chatbridge.delivery;

import java.time.Duration;

import chatbridge.partners.Partner;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One delivery of one event to one partner: what to send, and which in-process try this is. Lives in an exchange
 * property for the duration of a broker delivery (including its quick in-process retries); what a dead letter
 * reports of it (partner, attempts, last status and time) is kept in exchange properties named as the headers.
 */
public final class WebhookAttempt {
    private final Partner partner;
    private final String eventId;
    private final String eventType;
    private final String occurredAt;
    private final String event;
    private final int attempt;
    private final int maxAttempts;
    private byte[] payload;
    private JsonNode expressionInput;
    /** In-process tries of this delivery started so far (the quick retries of the delivery route's loop). */
    private int tries;
    private long tryStartedNanos;

    WebhookAttempt(Partner partner, String eventId, String eventType, String occurredAt, String event, int attempt,
                   int maxAttempts) {
        this.partner = partner;
        this.eventId = eventId;
        this.eventType = eventType;
        this.occurredAt = occurredAt;
        this.event = event;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
    }

    /** The event's time, ISO-8601: the envelope's timestamp. */
    public String occurredAt() {
        return occurredAt;
    }

    /** The event exactly as the chat system published it. */
    String event() {
        return event;
    }

    JsonNode expressionInput() {
        return expressionInput;
    }

    void expressionInput(JsonNode input) {
        this.expressionInput = input;
    }

    void payload(byte[] bytes) {
        this.payload = bytes;
    }

    void startTry() {
        tries++;
        this.tryStartedNanos = System.nanoTime();
    }

    /** How long the HTTP request of the current try has taken so far. */
    Duration tryDuration() {
        return Duration.ofNanos(System.nanoTime() - tryStartedNanos);
    }

    public Partner partner() {
        return partner;
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return eventType;
    }

    /** 1 for the first broker delivery; survives bridge restarts because the broker counts it. */
    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The exact bytes sent and signed. */
    byte[] payload() {
        return payload;
    }

    /** 0 for the first try of this delivery, 1 for its first quick retry, and so on. */
    int localTry() {
        return tries - 1;
    }
}
