package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open API's guards with two bridges on one broker (the first one's; the second connects over TCP, as another
 * machine would), over real HTTP: replies to one event racing through both get one 202, and the other request a 409
 * naming it; a request retried through the other bridge with its Idempotency-Key gets its id again and is queued once.
 */
class ReplyGuardAcrossBridgesTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String KEY = "shop-key-0123456789";
    static BridgeRunner first;
    static BridgeRunner second;
    static OpenApiClient viaFirst;
    static OpenApiClient viaSecond;

    @BeforeAll
    static void start() {
        first = bridge().start();
        second = bridge().set("chatbridge.broker.url", first.brokerUrl()).start();
        viaFirst = new OpenApiClient(first.httpPort());
        viaSecond = new OpenApiClient(second.httpPort());
    }

    private static BridgeRunner bridge() {
        return new BridgeRunner()
                .partners("""
                        partners:
                          - id: shop
                            webhookUrl: http://127.0.0.1:9/unused
                            secrets: [%s]
                            events: [visitor.online]
                            apiKeys: [%s]
                        """.formatted(SECRET, KEY))
                .set("chatbridge.security.message-key", "reply-guard-message-key-0123456789abcdef")
                .set("chatbridge.openapi.rate-limit-per-second", "100000")
                .set("chatbridge.openapi.rate-limit-burst", "100000");
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @Test
    void repliesToOneEventRacingThroughTwoBridgesGetOne202AndA409NamingIt() throws Exception {
        int events = 30;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int event = 0; event < events; event++) {
                String body = OpenApiClient.text("race-visitor", "race-event-" + event, "welcome " + event);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<OpenApiClient.Answer> a = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return viaFirst.postJson(KEY, body);
                });
                Future<OpenApiClient.Answer> b = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return viaSecond.postJson(KEY, body);
                });
                List<OpenApiClient.Answer> answers = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));
                List<OpenApiClient.Answer> accepted = answers.stream().filter(answer -> answer.status() == 202).toList();
                List<OpenApiClient.Answer> refused = answers.stream().filter(answer -> answer.status() == 409).toList();
                assertEquals(1, accepted.size(), "event " + event + ": " + answers);
                assertEquals(1, refused.size(), "event " + event + ": " + answers);
                assertEquals(accepted.get(0).json().get("id").asText(),
                        refused.get(0).json().get("existingMessageId").asText(), "event " + event);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(events, queuedFor("race-event-"), "one message per event on partner.messages");
    }

    @Test
    void aRequestRetriedThroughTheOtherBridgeGetsItsIdAgainAndIsQueuedOnce() {
        String body = OpenApiClient.text("retry-visitor", "retried-event", "hello");
        OpenApiClient.Answer original = viaFirst.postJson(KEY, body, "Idempotency-Key", "retried-key");
        OpenApiClient.Answer retry = viaSecond.postJson(KEY, body, "Idempotency-Key", "retried-key");
        assertEquals(202, original.status(), original.body());
        assertEquals(202, retry.status(), retry.body());
        String id = original.json().get("id").asText();
        assertEquals(id, retry.json().get("id").asText());
        // A different request for the same reply, through either bridge: 409 naming the first.
        for (OpenApiClient.Answer other : List.of(viaSecond.postJson(KEY, body, "Idempotency-Key", "another-key"),
                viaFirst.postJson(KEY, body))) {
            assertEquals(409, other.status(), other.body());
            assertEquals(id, other.json().get("existingMessageId").asText(), other.body());
        }
        assertEquals(1, queuedFor("retried-event"));
    }

    @Test
    void theArbiterHoldsAReplyForTheWindowAcrossArbiters() throws Exception {
        Duration window = Duration.ofHours(1);
        Instant accepted = Instant.parse("2026-01-01T10:00:00Z");
        try (ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(first.brokerUrl())) {
            String key = "shop|window-event|text";
            ReplyArbiter one = new ReplyArbiter(connections, window, Clock.fixed(accepted, ZoneOffset.UTC));
            assertEquals("msg_first", one.decide(key, "msg_first"));
            assertEquals("msg_first", one.decide(key, "msg_first"), "the same request again");
            // Another arbiter (another bridge, or this one restarted) reads the decision back from the broker.
            ReplyArbiter later = new ReplyArbiter(connections, window, Clock.fixed(accepted.plus(Duration.ofMinutes(59)), ZoneOffset.UTC));
            assertEquals("msg_first", later.decide(key, "msg_second"));
            ReplyArbiter afterTheWindow = new ReplyArbiter(connections, window, Clock.fixed(accepted.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
            assertEquals("msg_third", afterTheWindow.decide(key, "msg_third"));
            ReplyArbiter next = new ReplyArbiter(connections, window, Clock.fixed(accepted.plus(Duration.ofMinutes(62)), ZoneOffset.UTC));
            assertEquals("msg_third", next.decide(key, "msg_fourth"), "the newest decision is the one the index holds");
        }
    }

    /** Messages on partner.messages for events starting with the prefix (taken off the queue). */
    private static long queuedFor(String eventPrefix) {
        try (ChatSystem chat = new ChatSystem(first.brokerUrl())) {
            return chat.takeAll("partner.messages", Duration.ofSeconds(1)).stream()
                    .filter(message -> message.body().contains("\"inReplyTo\":\"" + eventPrefix)).count();
        }
    }
}
