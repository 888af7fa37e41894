package chatbridge.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What reaches a partner signed with its secret is what the bridge itself queued, sent to the URL exactly as the
 * partner wrote it. The broker here needs no login (loopback), so any client may write onto webhook.shop: the
 * situation of an admin user on a standalone broker, who can write anywhere.
 */
class DeliveryTrustTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    /** Names camel-http would read as its own endpoint options if the URL were an endpoint URI. */
    static final String QUERY = "?httpMethod=GET&x=1&throwExceptionOnFailure=false&bridgeEndpoint=true";
    static WebhookReceiver partner;
    static BridgeRunner bridge;
    static ChatSystem intruder;

    @BeforeAll
    static void start() {
        partner = new WebhookReceiver();
        bridge = new BridgeRunner()
                .partners("""
                        partners:
                          - id: shop
                            webhookUrl: "%s%s"
                            secrets: [%s]
                            events: [visitor.online]
                        """.formatted(partner.url(), QUERY, SECRET))
                .start();
        intruder = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        intruder.close();
        bridge.close();
        partner.close();
    }

    static String event(String id, String type) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + Instant.now().toString()
                + "\",\"visitor\":{\"id\":\"v-1\"},\"order\":{\"id\":\"o-1\"}}";
    }

    /** The headers the fan-out writes, without a seal. */
    static Map<String, Object> bridgeHeaders(String body, String id, String type) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("chatbridgeEventId", id);
        headers.put("chatbridgeEventType", type);
        headers.put("chatbridgeOccurredAt", body.substring(body.indexOf("occurredAt\":\"") + 13, body.indexOf("\",\"visitor")));
        headers.put("chatbridgeQueuedAt", Instant.now().toString());
        headers.put("JMSXGroupID", "v-1");
        return headers;
    }

    static DeliverySeal sealWith(String key) {
        return new DeliverySeal(List.of(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The key the embedded broker's bridge generated beside its journal. */
    static DeliverySeal bridgeSeal() throws Exception {
        return sealWith(Files.readString(bridge.dataDir().resolve("broker/delivery-seal.key")).trim());
    }

    static void forge(String id, String type, DeliverySeal seal, String bodyAfterSealing) {
        String body = event(id, type);
        Map<String, Object> headers = bridgeHeaders(body, id, type);
        if (seal != null) {
            headers.put(DeliverySeal.HEADER, seal.seal(id, type, (String) headers.get("chatbridgeOccurredAt"), body));
        }
        headers.put("testCase", id);
        intruder.sendText("webhook.shop", bodyAfterSealing == null ? body : bodyAfterSealing, headers);
    }

    static Received deadLetter(String id) {
        Received[] found = new Received[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            found[0] = intruder.browse("DLQ.webhook.shop").stream().filter(m -> id.equals(m.property("testCase")))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void aMessageTheBridgeDidNotWriteIsDeadLetteredNeverSigned() throws Exception {
        forge("forged-unsealed", "visitor.online", null, null);
        forge("forged-other-key", "visitor.online", sealWith("a-key-that-is-not-the-bridges-0123456789"), null);
        forge("forged-altered", "visitor.online", bridgeSeal(), event("forged-altered", "visitor.online")
                .replace("\"v-1\"", "\"v-2\""));
        forge("forged-unsubscribed", "order.completed", bridgeSeal(), null);
        // Control: the same forgery with the bridge's own key is taken for the bridge's (the seal is what decides).
        forge("sealed-by-bridge-key", "visitor.online", bridgeSeal(), null);

        for (String id : List.of("forged-unsealed", "forged-other-key", "forged-altered", "forged-unsubscribed")) {
            Received dead = deadLetter(id);
            assertEquals("not-from-bridge", dead.property("chatbridgeReason"), id);
            assertEquals("webhook.shop", dead.property("chatbridgeSourceQueue"), id);
            assertTrue(String.valueOf(dead.property("chatbridgeDetail")).length() > 10, id);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("sealed-by-bridge-key").size() == 1);
        for (String id : List.of("forged-unsealed", "forged-other-key", "forged-altered", "forged-unsubscribed")) {
            assertTrue(partner.requestsFor(id).isEmpty(), id + " never reached the partner");
        }
    }

    @Test
    void thePartnerUrlIsPostedToExactlyAsWritten() {
        intruder.sendText("chat.visitor.online", ChatSystem.visitorOnline("raw-url-1", "v-9", Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("raw-url-1").size() == 1);
        WebhookReceiver.Request request = partner.requestsFor("raw-url-1").get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/chat" + QUERY, request.path());
        assertTrue(StandardWebhooks.verify(SECRET, "raw-url-1", request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature")));
    }
}
