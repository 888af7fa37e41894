package chatbridge.openapi;

import chatbridge.problems.ProblemKind;


/** Every problem the Open API can answer with; openapi.yaml documents the same list. */
public enum ProblemType implements ProblemKind {
    MALFORMED_JSON(400, "malformed-json", "Request body is not valid JSON"),
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid API key"),
    BAD_SIGNATURE(403, "bad-signature", "Request signature is missing, stale or does not match"),
    NOT_FOUND(404, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
    DUPLICATE_REPLY(409, "duplicate-reply", "A reply of this kind was already accepted for this event"),
    BODY_TOO_LARGE(413, "body-too-large", "Request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Request body must be application/json"),
    INVALID_MESSAGE(422, "invalid-message", "The message is well-formed but invalid"),
    RATE_LIMITED(429, "rate-limited", "Too many requests for this partner"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    BROKER_UNAVAILABLE(503, "broker-unavailable", "The message could not be stored; nothing was queued");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }
}
