package chatbridge.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chatbridge.events.StrictJson;
import chatbridge.problems.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks and parsing steps of the admin routes (routes/admin.yaml): the admin token, the method, and the
 * dead-letter filters from a query string or a JSON body. Each either passes or throws the {@link Problem} that
 * becomes the answer.
 */
public class AdminRequests {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Pattern QUEUE = Pattern.compile("(DLQ|EXPIRED)\\.[A-Za-z0-9._-]{1,200}");
    private static final Pattern PARTNER = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern REASON = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Set<String> LIST_PARAMETERS = Set.of("queue", "partner", "type", "reason", "since", "until",
            "limit", "include");
    private static final Set<String> REPLAY_FIELDS = Set.of("queue", "partner", "type", "reason", "since", "until",
            "limit", "ids", "dryRun", "ignoreFreshness");
    private static final Set<String> PURGE_FIELDS = Set.of("queue", "partner", "type", "reason", "since", "until",
            "limit", "ids", "confirm");
    static final int DEFAULT_LIST_LIMIT = 100;
    static final int MAX_LIST_LIMIT = 1000;
    private static final int MAX_IDS = 1000;

    /** SHA-256 of the admin token, or null: the admin API is off. */
    private final byte[] tokenDigest;
    private final Clock clock;

    public AdminRequests(String token, Clock clock) {
        this.tokenDigest = token == null || token.isBlank() ? null : digest(token.trim());
        this.clock = clock;
        if (tokenDigest == null) {
            LOG.info("Admin API off: set ADMIN_TOKEN to use /admin on the management port");
        }
    }

    public boolean enabled() {
        return tokenDigest != null;
    }

    /** The bearer token, compared as a SHA-256 digest in constant time. */
    public void authenticate(Exchange exchange) {
        if (tokenDigest == null) {
            throw new Problem(AdminProblem.ADMIN_API_OFF, "the admin API is off: no ADMIN_TOKEN is set for this bridge");
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !MessageDigest.isEqual(digest(authorization.substring(7).trim()), tokenDigest)) {
            throw new Problem(AdminProblem.UNAUTHORIZED, authorization == null
                    ? "missing Authorization header; send Authorization: Bearer <admin token>"
                    : "the admin token is not valid")
                    .header("WWW-Authenticate", "Bearer realm=\"chat-bridge-admin\"");
        }
    }

    public void requireMethod(Exchange exchange, String allowed) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!allowed.equalsIgnoreCase(method)) {
            throw new Problem(AdminProblem.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allowed)
                    .header("Allow", allowed);
        }
    }

    /** The broker did not answer (on-admin-error): a 503 that says nothing was changed. */
    public void brokerUnavailable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Admin request {} failed, the broker did not answer: {}", exchange.getMessage().getHeader(Exchange.HTTP_PATH),
                caught == null ? "" : caught.getMessage());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new Problem(AdminProblem.BROKER_UNAVAILABLE,
                "the broker could not be reached; nothing was changed, try again"));
    }

    /** GET /admin/dead-letters: the filters and whether bodies are wanted. */
    public DeadLetters.Listing listing(Exchange exchange) {
        Map<String, String> query = query(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        for (String name : query.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw invalid(name, "unknown parameter; known: " + sorted(LIST_PARAMETERS));
            }
        }
        String include = query.get("include");
        if (include != null && !include.equals("body")) {
            throw invalid("include", "the only value is body");
        }
        Integer limit = limit(query.get("limit"), "limit", MAX_LIST_LIMIT);
        DeadLetters.Filter filter = new DeadLetters.Filter(queue(query.get("queue")), partner(query.get("partner")),
                type(query.get("type")), reason(query.get("reason")), time(query.get("since"), "since"),
                time(query.get("until"), "until"), limit == null ? DEFAULT_LIST_LIMIT : limit, List.of());
        return new DeadLetters.Listing(filter, include != null);
    }

    /** POST /admin/dead-letters/replay: the filters or ids, dryRun, ignoreFreshness. */
    public DeadLetters.Replay replay(Exchange exchange) {
        JsonNode body = jsonBody(exchange, REPLAY_FIELDS);
        return new DeadLetters.Replay(filter(body), flag(body, "dryRun"), flag(body, "ignoreFreshness"));
    }

    /** POST /admin/dead-letters/purge: the filters or ids; refused without "confirm": true. */
    public DeadLetters.Filter purge(Exchange exchange) {
        JsonNode body = jsonBody(exchange, PURGE_FIELDS);
        if (!flag(body, "confirm")) {
            throw new Problem(AdminProblem.CONFIRMATION_REQUIRED,
                    "purging deletes dead letters for good: send \"confirm\": true (with \"dryRun\" on replay to see what matches)");
        }
        return filter(body);
    }

    private DeadLetters.Filter filter(JsonNode body) {
        List<String> ids = new ArrayList<>();
        JsonNode idsNode = body.get("ids");
        if (idsNode != null && !idsNode.isNull()) {
            if (!idsNode.isArray() || idsNode.size() > MAX_IDS) {
                throw invalid("ids", "must be an array of at most " + MAX_IDS + " ids");
            }
            for (JsonNode id : idsNode) {
                if (!id.isTextual() || id.textValue().isBlank() || id.textValue().length() > 255
                        || id.textValue().chars().anyMatch(Character::isISOControl)) {
                    throw invalid("ids", "each id is a string of 1 to 255 characters");
                }
                ids.add(id.textValue());
            }
        }
        return new DeadLetters.Filter(queue(text(body, "queue")), partner(text(body, "partner")), type(text(body, "type")),
                reason(text(body, "reason")), time(text(body, "since"), "since"), time(text(body, "until"), "until"),
                limit(text(body, "limit"), "limit", Integer.MAX_VALUE), List.copyOf(ids));
    }

    private static JsonNode jsonBody(Exchange exchange, Set<String> fields) {
        Message message = exchange.getMessage();
        byte[] bytes = message.getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            return StrictJson.MAPPER.createObjectNode();
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw new Problem(AdminProblem.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, not "
                    + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
        JsonNode body;
        try {
            body = StrictJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Problem(AdminProblem.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new Problem(AdminProblem.MALFORMED_JSON, "the body could not be read as JSON");
        }
        if (body == null || !body.isObject()) {
            throw new Problem(AdminProblem.MALFORMED_JSON, "the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw invalid(name, "unknown field; known: " + sorted(fields));
            }
        });
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            throw invalid(field, "must be a string" + (field.equals("limit") ? " or a number" : ""));
        }
        return value.asText();
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "must be true or false");
        }
        return value.booleanValue();
    }

    private static String queue(String value) {
        return matching(value, QUEUE, "queue", "a dead-letter queue: DLQ.<queue> or EXPIRED.<queue>");
    }

    private static String partner(String value) {
        return matching(value, PARTNER, "partner", "a partner id (lower-case letters, digits, '-')");
    }

    private static String type(String value) {
        return matching(value, TYPE, "type", "an event type such as order.completed");
    }

    private static String reason(String value) {
        return matching(value, REASON, "reason", "a reason code such as http-400 or attempts-exhausted");
    }

    private static String matching(String value, Pattern pattern, String field, String expected) {
        if (value == null) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(field, "must be " + expected);
        }
        return value;
    }

    private static Integer limit(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(field, "must be a whole number from 1 to " + max);
    }

    /** An ISO-8601 instant, or an age: 30s, 15m, 2h, 7d ago. */
    private Instant time(String value, String field) {
        if (value == null) {
            return null;
        }
        Matcher age = AGE.matcher(value.trim());
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration ago = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(ago);
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw invalid(field, "must be an ISO-8601 instant (2026-12-02T10:00:00Z) or an age (30s, 15m, 2h, 7d)");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (query.put(name, value) != null) {
                throw invalid(name, "given twice");
            }
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("query", "is not validly percent-encoded");
        }
    }

    private static Problem invalid(String field, String detail) {
        return new Problem(AdminProblem.INVALID_PARAMETER, field + ": " + detail, field);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
