package chatbridge.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import chatbridge.openapi.OpenApiClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.Test;

/** The bridge's own meters on /observe/metrics, by name and labels, after one event of every outcome. */
class MetricsTest {
    private static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void everyOutcomeIsCountedUnderItsNameAndLabels() throws Exception {
        AtomicInteger flaky = new AtomicInteger();
        try (WebhookReceiver partner = new WebhookReceiver(); BridgeRunner bridge = new BridgeRunner()) {
            partner.respondWith(request -> switch (request.webhookId()) {
                case "m-rejected" -> Reply.status(400);
                case "m-flaky" -> flaky.getAndIncrement() == 0 ? Reply.status(503) : Reply.ok();
                default -> Reply.ok();
            });
            bridge.set("chatbridge.delivery.local-retries", "1")
                    .partners("""
                            partners:
                              - id: shop
                                webhookUrl: %s
                                secrets: [%s]
                                events:
                                  - visitor.online
                                  - type: order.completed
                                    filter: {jsonata: "data.visitor.id != 'v-filtered'"}
                                apiKeys: [shop-key-0123456789]
                            """.formatted(partner.url(), SECRET))
                    .start();
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                Instant now = Instant.now();
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("m-ok", "v-1", now));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("m-filtered", "v-filtered", now));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("m-rejected", "v-2", now));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("m-flaky", "v-3", now));
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("m-old", "v-4", now.minusSeconds(3600)));
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("m-bad", "", now));
            }
            OpenApiClient openApi = new OpenApiClient(bridge.httpPort());
            byte[] reply = "{\"visitorId\":\"v-1\",\"message\":{\"type\":\"text\",\"text\":\"hi\"}}".getBytes(StandardCharsets.UTF_8);
            assertEquals(202, openApi.post("/openapi/v1/messages", "shop-key-0123456789", "application/json", reply).status());
            assertEquals(401, openApi.post("/openapi/v1/messages", "wrong-key", "application/json", reply).status());

            String base = "http://127.0.0.1:" + bridge.managementPort() + "/observe/metrics";
            String[] expected = {
                "chatbridge_deliveries_total{event_type=\"order.completed\",outcome=\"delivered\",partner=\"shop\"} 2.0",
                "chatbridge_deliveries_total{event_type=\"order.completed\",outcome=\"filtered\",partner=\"shop\"} 1.0",
                "chatbridge_deliveries_total{event_type=\"order.completed\",outcome=\"dead_lettered\",partner=\"shop\"} 1.0",
                "chatbridge_deliveries_total{event_type=\"order.completed\",outcome=\"retried\",partner=\"shop\"} 1.0",
                "chatbridge_deliveries_total{event_type=\"visitor.online\",outcome=\"expired\",partner=\"shop\"} 1.0",
                "chatbridge_ingest_events_total{event_type=\"order.completed\",outcome=\"accepted\"} 4.0",
                "chatbridge_ingest_events_total{event_type=\"visitor.online\",outcome=\"accepted\"} 1.0",
                "chatbridge_ingest_events_total{event_type=\"visitor.online\",outcome=\"invalid\"} 1.0",
                "chatbridge_openapi_requests_total{partner=\"shop\",status=\"202\"} 1.0",
                "chatbridge_openapi_requests_total{partner=\"unknown\",status=\"401\"} 1.0",
                "chatbridge_event_lag_seconds_count{event_type=\"order.completed\",partner=\"shop\"} 2",
                "chatbridge_delivery_attempt_duration_seconds_count{partner=\"shop\"} 4",
                "chatbridge_queue_messages{queue=\"DLQ.webhook.shop\"} 1.0",
                "chatbridge_queue_messages{queue=\"EXPIRED.webhook.shop\"} 1.0",
                "chatbridge_queue_messages{queue=\"DLQ.chat.visitor.online\"} 1.0",
                "chatbridge_queue_messages{queue=\"webhook.shop\"} 0.0",
                "chatbridge_partner_state{partner=\"shop\",state=\"active\"} 1.0",
                "chatbridge_partner_state{partner=\"shop\",state=\"paused\"} 0.0",
            };
            String[] scraped = new String[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                scraped[0] = scrape(base);
                List<String> missing = Arrays.stream(expected).filter(line -> !scraped[0].contains(line)).toList();
                assertEquals(List.of(), missing, () -> "scraped:\n" + scraped[0].lines()
                        .filter(l -> l.startsWith("chatbridge_") && !l.contains("_bucket")).collect(Collectors.joining("\n")));
            });
            assertTrue(scraped[0].contains("chatbridge_event_lag_seconds_bucket{event_type=\"order.completed\",partner=\"shop\",le="),
                    "the lag is a histogram");
            assertTrue(scraped[0].contains("chatbridge_delivery_attempt_duration_seconds_bucket{partner=\"shop\",le="),
                    "the attempt duration is a histogram");
        }
    }

    private static String scrape(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
