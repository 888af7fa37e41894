package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSSecurityException;

import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The standalone Artemis distribution as artemis/create-standalone.sh sets it up, with the jar: the same roles as
 * the embedded broker, and an admin user, who may write anywhere, still cannot make the bridge sign a message.
 */
class StandaloneSecurityIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void rolesHoldAndAnAdminCannotForgeADelivery() throws Exception {
        Path work = Files.createTempDirectory("chat-bridge-standalone-security");
        int managementPort = Ports.free();
        try (WebhookReceiver partner = new WebhookReceiver();
             StandaloneArtemis broker = new StandaloneArtemis(work.resolve("artemis-instance").toAbsolutePath(),
                     Ports.free(), work.resolve("artemis.log")).start()) {
            assertThrows(JMSSecurityException.class, () -> new ActiveMQConnectionFactory(broker.url()).createConnection().close(),
                    "no anonymous login");

            Map<String, String> env = new LinkedHashMap<>();
            env.put("BROKER_URL", broker.url());
            env.put("BROKER_USER", StandaloneArtemis.USER);
            env.put("BROKER_PASSWORD", StandaloneArtemis.PASSWORD);
            env.put("HTTP_PORT", String.valueOf(Ports.free()));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("PARTNERS_FILE", work.resolve("none.yaml").toString());
            env.put("PARTNER_ID", "shop");
            env.put("PARTNER_WEBHOOK_URL", partner.url());
            env.put("PARTNER_WEBHOOK_SECRET", SECRET);
            try (BridgeJar withoutKey = new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("no-key.log"),
                    env, List.of(), managementPort)) {
                assertTrue(withoutKey.runUntilExit(Duration.ofSeconds(60)) != 0, "an external broker needs BRIDGE_MESSAGE_KEY");
            }
            assertTrue(Files.readAllLines(work.resolve("no-key.log")).stream().anyMatch(line -> line.contains("Set BRIDGE_MESSAGE_KEY")));

            env.put("BRIDGE_MESSAGE_KEY", "file:" + Files.writeString(work.resolve("message.key"), "standalone-it-seal-key-0123456789abcdef\n"));
            try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), work.resolve("bridge.log"), env,
                    List.of(), managementPort);
                 ChatSystem chat = new ChatSystem(broker.url(), StandaloneArtemis.CHAT_USER, StandaloneArtemis.CHAT_PASSWORD);
                 ChatSystem admin = new ChatSystem(broker.url(), StandaloneArtemis.ADMIN_USER, StandaloneArtemis.ADMIN_PASSWORD);
                 ChatSystem operator = new ChatSystem(broker.url(), StandaloneArtemis.OPERATOR_USER, StandaloneArtemis.OPERATOR_PASSWORD)) {
                bridge.start(true);
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("standalone-1", "v-1", Instant.now()));
                await().atMost(Duration.ofSeconds(20)).until(() -> partner.requestsFor("standalone-1").size() == 1);
                WebhookReceiver.Request request = partner.requestsFor("standalone-1").get(0);
                assertTrue(StandardWebhooks.verify(SECRET, "standalone-1", request.header("webhook-timestamp"),
                        request.body(), request.header("webhook-signature")));

                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> chat.sendText("webhook.shop", "{}"), "the chat system cannot write a delivery");
                assertTrue(refused.getCause().getMessage().contains("does not have permission='SEND'"), refused.getCause().getMessage());
                assertThrows(IllegalStateException.class, () -> chat.browse("DLQ.chat.visitor.online"));

                // The admin role may write onto webhook.shop; the message looks like the bridge's but is not sealed.
                String body = ChatSystem.visitorOnline("forged-by-admin", "v-1", Instant.now());
                Map<String, Object> headers = new HashMap<>(Map.of("chatbridgeEventId", "forged-by-admin",
                        "chatbridgeEventType", "visitor.online", "chatbridgeOccurredAt", Instant.now().toString(),
                        "chatbridgeSeal", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "JMSXGroupID", "v-1"));
                admin.sendText("webhook.shop", body, headers);
                Received[] dead = new Received[1];
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    dead[0] = operator.browse("DLQ.webhook.shop").stream()
                            .filter(m -> "forged-by-admin".equals(m.property("chatbridgeEventId"))).findFirst().orElse(null);
                    return dead[0] != null;
                });
                assertEquals("not-from-bridge", dead[0].property("chatbridgeReason"));
                assertTrue(partner.requestsFor("forged-by-admin").isEmpty(), "never signed, never sent");
                assertThrows(IllegalStateException.class, () -> operator.sendText("chat.visitor.online", body));
            }
        }
    }
}
