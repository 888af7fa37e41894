package chatbridge.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.Catalogs;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * routes/examples/VipVisitorTagging.java, a Java DSL RouteBuilder, is compiled at startup next to the YAML routes
 * and, named as visitor.online's via in the catalog, tags VIP visitors between validation and fan-out.
 */
class JavaDslRouteTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static WebhookReceiver partner;
    static BridgeRunner bridge;
    static ChatSystem chat;

    @BeforeAll
    static void start() throws Exception {
        Path catalog = Catalogs.copy();
        Files.writeString(catalog.resolve("visitor.online.yaml"), "via: direct:tag-vip-visitors\n",
                java.nio.file.StandardOpenOption.APPEND);
        partner = new WebhookReceiver();
        bridge = new BridgeRunner()
                .set("chatbridge.events.dir", catalog.toString())
                .set("camel.main.routesIncludePattern", "file:routes/*.yaml,file:routes/examples/VipVisitorTagging.java")
                .partners("""
                        partners:
                          - id: shop
                            webhookUrl: "%s"
                            secrets: [%s]
                            events: [visitor.online]
                        """.formatted(partner.url(), SECRET))
                .start();
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        partner.close();
    }

    @Test
    void theJavaRouteIsLoadedAndTagsVipVisitorsOnly() {
        assertTrue(bridge.context().getRoute("tag-vip-visitors") != null, "the Java DSL route is running");
        String gold = ChatSystem.visitorOnline("vip-1", "v-1", Instant.now());
        String bronze = ChatSystem.visitorOnline("vip-2", "v-2", Instant.now()).replace("\"tier\":\"gold\"", "\"tier\":\"bronze\"");
        chat.sendText("chat.visitor.online", gold);
        chat.sendText("chat.visitor.online", bronze);
        await().atMost(Duration.ofSeconds(20)).until(() -> partner.requestsFor("vip-1").size() == 1
                && partner.requestsFor("vip-2").size() == 1);
        String tagged = partner.requestsFor("vip-1").get(0).bodyText();
        assertTrue(tagged.contains("\"vip\":true") && tagged.contains("\"carried\":\"through\""), tagged);
        String untouched = partner.requestsFor("vip-2").get(0).bodyText();
        assertFalse(untouched.contains("\"vip\""), untouched);
        assertTrue(untouched.endsWith(",\"data\":" + bronze + "}"), "an untagged event is sent exactly as published");
    }

    @Test
    void eventsBoundForTheJavaRouteKeepTheSharedErrorHandling() {
        // Validation runs before the Java route: invalid input still reaches DLQ.chat.visitor.online with its reason.
        chat.sendText("chat.visitor.online", "{\"id\":\"vip-bad\",\"type\":\"visitor.online\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> chat.browse("DLQ.chat.visitor.online").stream()
                .anyMatch(m -> "missing-field".equals(m.property("chatbridgeReason"))));
        assertEquals(0, partner.requestsFor("vip-bad").size());
    }
}
