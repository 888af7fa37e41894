package chatbridge.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays the bridge's Admin API on 127.0.0.1 as the contract describes it, with canned answers, and records every
 * request it gets. A request is recorded before it is answered, so once the CLI has returned its request is here.
 */
final class FakeAdminApi implements AutoCloseable {
    static final String TOKEN = "s3cret-admin-token-4f9a";

    /** Spaced oddly on purpose: --json output must be these bytes, not a re-serialization. */
    static final String PARTNERS = """
            {"partners":  [
              {"id": "acme-shop", "state": "paused", "queue": "webhook.acme-shop", "queued": 12, "inFlight": 1,
               "deadLetters": 3, "expired": 0, "lastSuccessAt": "2026-12-02T10:00:00Z",
               "lastFailureAt": "2026-12-02T10:05:00Z", "lastStatus": 503, "consecutiveFailures": 4},
              {"id": "globex-crm", "state": "active", "queue": "webhook.globex-crm", "queued": 0, "inFlight": 0,
               "deadLetters": 0, "expired": 0, "lastSuccessAt": null, "lastFailureAt": null, "lastStatus": null,
               "consecutiveFailures": 0},
              {"id": "initech", "state": "circuit-open", "queue": "webhook.initech", "queued": 1500, "inFlight": 0,
               "deadLetters": 27, "expired": 2, "lastSuccessAt": "2026-12-01T08:00:00Z",
               "lastFailureAt": "2026-12-02T09:59:59Z", "lastStatus": 500, "consecutiveFailures": 118}
            ]}
            """;
    static final String LONG_DETAIL = "partner answered 400: {\\\"error\\\":\\\"visitor.id must be a UUID\\\","
            + "\\\"hint\\\":\\\"see https://docs.acme.example/webhooks/errors#visitor-id for the accepted formats\\\"}"
            + "\\n\\u001b[31mred\\u001b[0m";
    static final String DEAD_LETTERS = """
            {"deadLetters": [
              {"id": "evt-1", "messageId": "ID:1a2b", "queue": "DLQ.webhook.acme-shop", "sourceQueue": "webhook.acme-shop",
               "type": "order.completed", "partner": "acme-shop", "reason": "http-400", "detail": "%s",
               "field": "visitor.id", "attempts": 3, "lastStatus": 400, "failedAt": "2026-12-02T10:05:00Z"%s},
              {"id": "ID:9z8y", "messageId": "ID:9z8y", "queue": "DLQ.chat.order.completed", "sourceQueue": "chat.order.completed",
               "type": null, "partner": null, "reason": "poison", "detail": "not JSON", "field": null,
               "attempts": null, "lastStatus": null, "failedAt": null%s}
            ],
             "count": 2, "truncated": true}
            """;
    static final String FIRST_BODY = "{\"visitor\":{\"id\":\"v-42\"}}";
    static final String REPLAYED = "{\"replayed\": 12, \"skipped\": 2}";
    static final String DRY_RUN = "{\"dryRun\": true, \"matched\": 12, \"replayed\": 0, \"skipped\": 0}";
    static final String PURGED = "{\"purged\": 3}";
    static final String RELOADED =
            "{\"added\": [\"initech\"], \"removed\": [], \"updated\": [\"acme-shop\"], \"unchanged\": [\"globex-crm\"]}";

    record Request(String method, String path, String rawQuery, String authorization, String contentType,
            String body) {
        Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    String[] nameAndValue = pair.split("=", 2);
                    parameters.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                            URLDecoder.decode(nameAndValue.length > 1 ? nameAndValue[1] : "", StandardCharsets.UTF_8));
                }
            }
            return parameters;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAUSE_OR_RESUME = Pattern.compile("/admin/partners/([^/]+)/(pause|resume)");

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean off;

    FakeAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return requests;
    }

    /** As a bridge without ADMIN_TOKEN: every /admin path answers 404 admin-api-off. */
    void switchOff() {
        off = true;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Request request = new Request(method, uri.getPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), contentType, body);
            requests.add(request);
            answer(exchange, request);
        }
    }

    private void answer(HttpExchange exchange, Request request) throws IOException {
        if (off) {
            problem(exchange, 404, "admin-api-off", "the Admin API is off: ADMIN_TOKEN is not set", null);
            return;
        }
        if (!("Bearer " + TOKEN).equals(request.authorization())) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"chat-bridge-admin\"");
            problem(exchange, 401, "unauthorized", "a valid bearer token is required", null);
            return;
        }
        Matcher partnerAction = PAUSE_OR_RESUME.matcher(request.path());
        String route = request.method() + " " + request.path();
        if (partnerAction.matches() && request.method().equals("POST")) {
            if (!partnerAction.group(1).equals("acme-shop")) {
                problem(exchange, 404, "unknown-partner", "no partner " + partnerAction.group(1), null);
                return;
            }
            String state = partnerAction.group(2).equals("pause") ? "paused" : "active";
            json(exchange, 200, """
                    {"id": "acme-shop", "state": "%s", "queue": "webhook.acme-shop", "queued": 12, "inFlight": 1,
                     "deadLetters": 3, "expired": 0, "lastSuccessAt": null, "lastFailureAt": null, "lastStatus": null,
                     "consecutiveFailures": 0}""".formatted(state));
            return;
        }
        switch (route) {
            case "GET /admin/partners" -> json(exchange, 200, PARTNERS);
            case "GET /admin/dead-letters" -> {
                String limit = request.parameters().get("limit");
                if (limit != null && Integer.parseInt(limit) > 1000) {
                    problem(exchange, 400, "invalid-parameter", "limit must be between 1 and 1000", "limit");
                    return;
                }
                boolean withBodies = "body".equals(request.parameters().get("include"));
                json(exchange, 200, DEAD_LETTERS.formatted(LONG_DETAIL,
                        withBodies ? ", \"body\": " + JSON.writeValueAsString(FIRST_BODY) : "",
                        withBodies ? ", \"body\": \"not JSON\"" : ""));
            }
            case "POST /admin/dead-letters/replay" -> {
                if (jsonBodyRefused(exchange, request)) {
                    return;
                }
                json(exchange, 200, request.json().path("dryRun").asBoolean() ? DRY_RUN : REPLAYED);
            }
            case "POST /admin/dead-letters/purge" -> {
                if (jsonBodyRefused(exchange, request)) {
                    return;
                }
                if (!request.json().path("confirm").asBoolean()) {
                    problem(exchange, 422, "confirmation-required", "purge needs \"confirm\": true", null);
                    return;
                }
                json(exchange, 200, PURGED);
            }
            case "POST /admin/reload" -> json(exchange, 200, RELOADED);
            default -> problem(exchange, 404, "not-found", "no such admin resource", null);
        }
    }

    private static boolean jsonBodyRefused(HttpExchange exchange, Request request) throws IOException {
        if (request.contentType() == null || !request.contentType().startsWith("application/json")) {
            problem(exchange, 415, "unsupported-media-type", "the body must be application/json", null);
            return true;
        }
        return false;
    }

    private static void problem(HttpExchange exchange, int status, String slug, String detail, String field)
            throws IOException {
        var problem = JSON.createObjectNode()
                .put("type", "urn:chat-bridge:problem:" + slug)
                .put("title", slug.replace('-', ' '))
                .put("status", status)
                .put("detail", detail);
        if (field != null) {
            problem.put("field", field);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        send(exchange, status, problem.toString());
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
