package chatbridge.admin;

import chatbridge.problems.ProblemKind;

/** Every problem the admin API answers with; admin-openapi.yaml documents the same list. */
public enum AdminProblem implements ProblemKind {
    INVALID_PARAMETER(400, "invalid-parameter", "A query parameter or body field is not valid"),
    MALFORMED_JSON(400, "malformed-json", "Request body is not valid JSON"),
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid admin token"),
    ADMIN_API_OFF(404, "admin-api-off", "The admin API is off: no ADMIN_TOKEN is set"),
    UNKNOWN_PARTNER(404, "unknown-partner", "No partner with that id is configured"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Request body must be application/json"),
    CONFIRMATION_REQUIRED(422, "confirmation-required", "Purging needs \"confirm\": true"),
    INVALID_PARTNERS(422, "invalid-partners", "The partners file is not valid; the running partners are kept"),
    BROKER_UNAVAILABLE(503, "broker-unavailable", "The broker could not be reached; nothing was changed");

    private final int status;
    private final String slug;
    private final String title;

    AdminProblem(int status, String slug, String title) {
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
