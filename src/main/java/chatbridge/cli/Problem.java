package chatbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error answer: the bridge's RFC 9457 problem details, or whatever a server that is not the Admin API (a proxy,
 * an older bridge) sent instead.
 */
record Problem(int status, String slug, String detail, String field) {
    private static final String TYPE_PREFIX = "urn:chat-bridge:problem:";
    private static final int LONGEST_QUOTED_BODY = 200;

    static Problem of(AdminApi.Answer answer) {
        try {
            JsonNode problem = Views.parse(answer.body());
            String type = text(problem, "type");
            String slug = type != null && type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : null;
            String detail = text(problem, "detail") != null ? text(problem, "detail") : text(problem, "title");
            return new Problem(answer.status(), slug, detail, text(problem, "field"));
        } catch (UnexpectedAnswerException notJson) {
            String body = answer.body() == null ? "" : answer.body().strip();
            // A proxy's HTML error page says no more than its status, at great length.
            if (body.startsWith("<")) {
                body = "";
            }
            String quoted = body.length() > LONGEST_QUOTED_BODY ? body.substring(0, LONGEST_QUOTED_BODY) + "..." : body;
            return new Problem(answer.status(), null, quoted.isEmpty() ? null : quoted, null);
        }
    }

    /** A wrong token or the API switched off: configuration to fix, not this request, so scripts can tell. */
    boolean notAuthorized() {
        return status == 401 || (status == 404 && "admin-api-off".equals(slug));
    }

    /** @return one line, e.g. {@code limit must be 1..1000 (HTTP 400 invalid-parameter, field limit)} */
    String describe() {
        String answer = "HTTP " + status + (slug != null ? " " + slug : "") + (field != null ? ", field " + field : "");
        return TextTable.oneLine(detail != null ? detail + " (" + answer + ")" : "the bridge answered " + answer);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
