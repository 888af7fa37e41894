package chatbridge.delivery;

import java.time.Instant;

import chatbridge.partners.Partner;

/**
 * One delivery of one event to one partner: what to send, and what happened so far. Lives in an exchange
 * property for the duration of a broker delivery (including its quick in-process retries).
 */
public final class WebhookAttempt {
    private final Partner partner;
    private final String eventId;
    private final String eventType;
    private final int attempt;
    private final int maxAttempts;
    private final byte[] payload;
    private int localTry;
    private Integer lastStatus;
    private String lastError;
    private Instant lastAttemptAt;

    WebhookAttempt(Partner partner, String eventId, String eventType, int attempt, int maxAttempts, byte[] payload) {
        this.partner = partner;
        this.eventId = eventId;
        this.eventType = eventType;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.payload = payload;
    }

    void startTry(int localTry, Instant now) {
        this.localTry = localTry;
        this.lastAttemptAt = now;
        this.lastStatus = null;
        this.lastError = null;
    }

    void recordFailure(Integer status, String error) {
        this.lastStatus = status;
        this.lastError = error;
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

    byte[] payload() {
        return payload;
    }

    int localTry() {
        return localTry;
    }

    public Integer lastStatus() {
        return lastStatus;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastAttemptAt() {
        return lastAttemptAt;
    }
}
