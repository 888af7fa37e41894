package chatbridge.delivery;

import chatbridge.partners.Partner;

/**
 * One delivery of one event to one partner: what to send, and which in-process try this is. Lives in an exchange
 * property for the duration of a broker delivery (including its quick in-process retries); what a dead letter
 * reports of it (partner, attempts, last status and time) is kept in exchange properties named as the headers.
 */
public final class WebhookAttempt {
    private final Partner partner;
    private final String eventId;
    private final String eventType;
    private final int attempt;
    private final int maxAttempts;
    private final byte[] payload;
    private int localTry;

    WebhookAttempt(Partner partner, String eventId, String eventType, int attempt, int maxAttempts, byte[] payload) {
        this.partner = partner;
        this.eventId = eventId;
        this.eventType = eventType;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.payload = payload;
    }

    void startTry(int localTry) {
        this.localTry = localTry;
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
}
