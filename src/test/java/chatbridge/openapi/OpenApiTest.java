package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.StandardWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Open API over real HTTP against the running routes and the embedded broker. */
class OpenApiTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String KEY = "shop-key-0123456789";
    static final String SIGNED_KEY = "signed-key-0123456789";
    static BridgeRunner bridge;
    static OpenApiClient api;

    @BeforeAll
    static void start() {
        bridge = new BridgeRunner()
                .partners("""
                        partners:
                          - id: shop
                            webhookUrl: http://127.0.0.1:9/unused
                            secrets: [%s]
                            events: [visitor.online]
                            apiKeys: [%s]
                          - id: signed
                            webhookUrl: http://127.0.0.1:9/unused
                            secrets: [%s]
                            events: [visitor.online]
                            apiKeys: [%s]
                            requireSignature: true
                        """.formatted(SECRET, KEY, SECRET, SIGNED_KEY))
                .set("chatbridge.openapi.rate-limit-per-second", "100000")
                .set("chatbridge.openapi.rate-limit-burst", "100000")
                .start();
        api = new OpenApiClient(bridge.httpPort());
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    static List<ChatSystem.Received> queued(String messageId) {
        try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
            return chat.browse("partner.messages").stream().filter(m -> messageId.equals(m.property("chatbridgeMessageId"))).toList();
        }
    }

    @Test
    void aValidMessageIsQueuedDurablyForTheChatSystem() throws Exception {
        OpenApiClient.Answer answer = api.postJson(KEY,
                "{\"visitorId\":\"v-1\",\"inReplyTo\":\"evt-happy\",\"message\":{\"type\":\"card\",\"title\":\"Order 10042\","
                        + "\"text\":\"USD 129.90\",\"url\":\"https://shop.example.com/orders/10042\",\"imageUrl\":\"https://img.example.com/1.png\"}}");
        assertEquals(202, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"));
        String id = answer.json().get("id").asText();
        assertEquals("queued", answer.json().get("status").asText());
        assertEquals(null, answer.header("Authorization"), "request headers are not echoed");

        List<ChatSystem.Received> messages = queued(id);
        assertEquals(1, messages.size());
        JsonNode json = OpenApiClient.JSON.readTree(messages.get(0).body());
        assertEquals(id, json.get("id").asText());
        assertEquals("shop", json.get("partnerId").asText(), "the partner comes from the key");
        assertEquals("v-1", json.get("visitorId").asText());
        assertEquals("evt-happy", json.get("inReplyTo").asText());
        assertEquals("card", json.at("/message/type").asText());
        assertEquals("https://shop.example.com/orders/10042", json.at("/message/url").asText());
        assertNotNull(Instant.parse(json.get("receivedAt").asText()));
        assertEquals("v-1", messages.get(0).property("JMSXGroupID"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "malformed JSON       | application/json           | {\"visitorId\":                                  | 400 | malformed-json |",
            "not UTF-8            | application/json           | BAD_UTF8                                         | 400 | malformed-json |",
            "empty body           | application/json           | ``                                               | 400 | malformed-json |",
            "not JSON media type  | text/plain                 | {}                                               | 415 | unsupported-media-type |",
            "no media type        |                            | {}                                               | 415 | unsupported-media-type |",
            "too large            | application/json           | HUGE                                             | 413 | body-too-large |",
            "not an object        | application/json           | [1]                                              | 422 | invalid-message | $",
            "missing visitorId    | application/json           | {\"message\":{\"type\":\"text\",\"text\":\"hi\"}}  | 422 | invalid-message | visitorId",
            "numeric visitorId    | application/json           | {\"visitorId\":5,\"message\":{\"type\":\"text\",\"text\":\"hi\"}} | 422 | invalid-message | visitorId",
            "missing message      | application/json           | {\"visitorId\":\"v\"}                            | 422 | invalid-message | message",
            "unknown type         | application/json           | {\"visitorId\":\"v\",\"message\":{\"type\":\"video\"}} | 422 | invalid-message | message.type",
            "text too long        | application/json           | LONG_TEXT                                        | 422 | invalid-message | message.text",
            "link not http        | application/json; charset=utf-8 | {\"visitorId\":\"v\",\"message\":{\"type\":\"link\",\"text\":\"x\",\"url\":\"javascript:alert(1)\"}} | 422 | invalid-message | message.url",
            "card without url     | application/json           | {\"visitorId\":\"v\",\"message\":{\"type\":\"card\",\"title\":\"t\"}} | 422 | invalid-message | message.url",
    })
    void badRequestsGetASpecificProblem(String name, String contentType, String body, int status, String type, String field) {
        byte[] bytes = switch (body == null ? "" : body) {
            case "BAD_UTF8" -> new byte[] {'{', '"', 'v', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            case "HUGE" -> ("{\"visitorId\":\"v\",\"message\":{\"type\":\"text\",\"text\":\"" + "x".repeat(70_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
            case "LONG_TEXT" -> ("{\"visitorId\":\"v\",\"message\":{\"type\":\"text\",\"text\":\"" + "字".repeat(4001) + "\"}}").getBytes(StandardCharsets.UTF_8);
            default -> (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        };
        assertProblem(api.post("/openapi/v1/messages", KEY, contentType, bytes), status, type, field);
    }

    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {false, true})
    void bodiesBeyondTheHttpServerLimitGetAProblemToo(boolean chunked) {
        // Over camel.server.maxBodySize (1 MiB) the HTTP server refuses the body before any route runs.
        byte[] huge = ("{\"visitorId\":\"v\",\"message\":{\"type\":\"text\",\"text\":\"" + "x".repeat(2_000_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        OpenApiClient.Answer answer = chunked
                ? api.postChunked("/openapi/v1/messages", KEY, "application/json", huge)
                : api.post("/openapi/v1/messages", KEY, "application/json", huge);
        assertProblem(answer, 413, "body-too-large", null);
        assertEquals(202, api.postJson(KEY, OpenApiClient.text("v-huge", null, "still answering")).status());
    }

    @Test
    void credentialsAreChecked() {
        String body = OpenApiClient.text("v-1", null, "hi");
        OpenApiClient.Answer missing = api.post("/openapi/v1/messages", null, "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertProblem(missing, 401, "unauthorized", null);
        assertTrue(missing.header("WWW-Authenticate").startsWith("Bearer"));
        assertProblem(api.postJson("wrong-key", body), 401, "unauthorized", null);
        assertProblem(api.post("/openapi/v1/messages", null, "application/json", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Basic " + KEY), 401, "unauthorized", null);
    }

    @Test
    void unknownPathsAndWrongMethodsAreProblemsToo() {
        assertProblem(api.request("GET", "/nope", KEY), 404, "not-found", null);
        assertProblem(api.request("POST", "/openapi/v2/messages", KEY), 404, "not-found", null);
        OpenApiClient.Answer wrongMethod = api.request("GET", "/openapi/v1/messages", KEY);
        assertProblem(wrongMethod, 405, "method-not-allowed", null);
        assertEquals("POST", wrongMethod.header("Allow"));
        assertProblem(api.request("DELETE", "/openapi/v1/openapi.json", null), 405, "method-not-allowed", null);
    }

    @Test
    void signedPartnersMustSignFreshly() {
        String body = OpenApiClient.text("v-2", null, "signed hello");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(Instant.now().getEpochSecond());
        String signature = "v1," + StandardWebhooks.expectedSignature(SECRET, "req-1", now, bytes);

        assertProblem(api.postJson(SIGNED_KEY, body), 403, "bad-signature", null);
        assertProblem(api.postJson(SIGNED_KEY, body, "webhook-id", "req-1", "webhook-timestamp", now,
                "webhook-signature", "v1,AAAA" + signature.substring(7)), 403, "bad-signature", null);
        String stale = Long.toString(Instant.now().getEpochSecond() - 600);
        assertProblem(api.postJson(SIGNED_KEY, body, "webhook-id", "req-1", "webhook-timestamp", stale,
                "webhook-signature", "v1," + StandardWebhooks.expectedSignature(SECRET, "req-1", stale, bytes)), 403, "bad-signature", null);
        assertProblem(api.postJson(SIGNED_KEY, body.replace("hello", "HELLO"), "webhook-id", "req-1", "webhook-timestamp", now,
                "webhook-signature", signature), 403, "bad-signature", null);

        OpenApiClient.Answer ok = api.postJson(SIGNED_KEY, body, "webhook-id", "req-1", "webhook-timestamp", now,
                "webhook-signature", signature);
        assertEquals(202, ok.status(), ok.body());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyQueuesOnceAlsoAfterARestart() {
        String key = "idem-" + UUID.randomUUID();
        String body = OpenApiClient.text("v-3", null, "only once");
        OpenApiClient.Answer first = api.postJson(KEY, body, "Idempotency-Key", key);
        OpenApiClient.Answer second = api.postJson(KEY, body, "Idempotency-Key", key);
        assertEquals(202, first.status(), first.body());
        assertEquals(202, second.status(), second.body());
        String id = first.json().get("id").asText();
        assertEquals(id, second.json().get("id").asText());
        assertEquals(1, queued(id).size());

        bridge.restart();
        api = new OpenApiClient(bridge.httpPort());
        OpenApiClient.Answer afterRestart = api.postJson(KEY, body, "Idempotency-Key", key);
        assertEquals(202, afterRestart.status(), afterRestart.body());
        assertEquals(id, afterRestart.json().get("id").asText());
        assertEquals(1, queued(id).size());

        OpenApiClient.Answer otherKey = api.postJson(KEY, body, "Idempotency-Key", key + "-b");
        assertNotEquals(id, otherKey.json().get("id").asText());
    }

    @Test
    void aSecondReplyOfTheSameKindToAnEventIsRefusedAlsoAfterARestart() {
        String event = "evt-" + UUID.randomUUID();
        OpenApiClient.Answer first = api.postJson(KEY, OpenApiClient.text("v-4", event, "Welcome!"));
        assertEquals(202, first.status(), first.body());
        String firstId = first.json().get("id").asText();

        OpenApiClient.Answer second = api.postJson(KEY, OpenApiClient.text("v-4", event, "Welcome again!"));
        assertProblem(second, 409, "duplicate-reply", null);
        assertEquals(firstId, second.json().get("existingMessageId").asText());

        // Another kind of reply to the same event is fine.
        OpenApiClient.Answer card = api.postJson(KEY, "{\"visitorId\":\"v-4\",\"inReplyTo\":\"" + event
                + "\",\"message\":{\"type\":\"card\",\"title\":\"t\",\"url\":\"https://x.example/\"}}");
        assertEquals(202, card.status(), card.body());

        bridge.restart();
        api = new OpenApiClient(bridge.httpPort());
        OpenApiClient.Answer afterRestart = api.postJson(KEY, OpenApiClient.text("v-4", event, "Welcome, third time"));
        assertProblem(afterRestart, 409, "duplicate-reply", null);
        assertEquals(firstId, afterRestart.json().get("existingMessageId").asText());
        assertEquals(1, queued(firstId).size());
    }

    @Test
    void everyAcceptedRequestUnderConcurrencyIsExactlyOneQueuedMessage() throws Exception {
        int clients = 16;
        int perClient = 40;
        String visitorPrefix = "conc-" + UUID.randomUUID() + "-";
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                OpenApiClient own = new OpenApiClient(bridge.httpPort());
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    OpenApiClient.Answer answer = own.postJson(KEY, OpenApiClient.text(visitorPrefix + client, null, "m" + i));
                    assertEquals(202, answer.status(), answer.body());
                    ids.add(answer.json().get("id").asText());
                }
                return ids;
            }));
        }
        Set<String> accepted = new HashSet<>();
        for (Future<List<String>> future : futures) {
            accepted.addAll(future.get());
        }
        pool.shutdown();
        assertEquals(clients * perClient, accepted.size(), "ids are unique");
        try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
            List<String> onQueue = chat.browse("partner.messages").stream()
                    .filter(m -> String.valueOf(m.property("JMSXGroupID")).startsWith(visitorPrefix))
                    .map(m -> (String) m.property("chatbridgeMessageId")).toList();
            assertEquals(accepted.size(), onQueue.size(), "one message per 202");
            assertEquals(accepted, new HashSet<>(onQueue));
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryAnswer() throws Exception {
        OpenApiClient.Answer json = api.request("GET", "/openapi/v1/openapi.json", null);
        assertEquals(200, json.status());
        JsonNode doc = json.json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        JsonNode responses = doc.at("/paths/~1openapi~1v1~1messages/post/responses");
        for (ProblemType type : ProblemType.values()) {
            if (type != ProblemType.NOT_FOUND) {
                assertTrue(responses.has(Integer.toString(type.status())), "documented: " + type);
            }
        }
        assertTrue(responses.has("202"));
        OpenApiClient.Answer yaml = api.request("GET", "/openapi/v1/openapi.yaml", null);
        assertEquals(200, yaml.status());
        assertTrue(yaml.body().startsWith("openapi: 3.1.0"));
    }

    /** A null anywhere is a YAML slip, such as a comma inside a flow mapping cutting a description in two. */
    @Test
    void theOpenApiDocumentHasNoValueLeftEmpty() {
        List<String> nulls = new ArrayList<>();
        collectNulls(api.request("GET", "/openapi/v1/openapi.json", null).json(), "", nulls);
        assertTrue(nulls.isEmpty(), "null values at " + nulls);
    }

    static void collectNulls(JsonNode node, String path, List<String> nulls) {
        if (node.isNull()) {
            nulls.add(path);
        }
        node.fields().forEachRemaining(field -> collectNulls(field.getValue(), path + "/" + field.getKey(), nulls));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            collectNulls(node.get(i), path + "/" + i, nulls);
        }
    }

    static void assertProblem(OpenApiClient.Answer answer, int status, String type, String field) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
        JsonNode problem = answer.json();
        assertEquals("urn:chat-bridge:problem:" + type, problem.get("type").asText());
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.get("title").asText().isBlank());
        assertFalse(problem.get("detail").asText().isBlank());
        if (field != null) {
            assertEquals(field, problem.get("field").asText(), answer.body());
        }
        assertFalse(answer.body().contains("Exception") || answer.body().contains("\tat "), "no stack trace: " + answer.body());
    }
}
