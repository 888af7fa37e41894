package chatbridge.delivery;

import java.nio.charset.StandardCharsets;

import chatbridge.events.StrictJson;
import chatbridge.failures.BridgeFailure;
import chatbridge.partners.Subscription;
import chatbridge.payloads.PayloadExpression;
import chatbridge.payloads.PayloadExpressionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * What a partner gets of an event: its subscription's filter decides whether it gets it at all, its transform what
 * the body is, and its envelope setting whether that body is wrapped as Standard Webhooks' {@code {"type",
 * "timestamp", "data"}}. Filters and transforms see the event as {@code {"type", "timestamp", "data": <the event as
 * published>}}. Without a transform the event's bytes are sent exactly as published.
 */
public class WebhookPayloads {

    /** Whether the partner's filter turns this event away (it is then acknowledged, counted and not sent). */
    public boolean filteredOut(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(WebhookDeliveries.ATTEMPT, WebhookAttempt.class);
        PayloadExpression filter = subscription(webhook).filter();
        if (filter == null) {
            return false;
        }
        try {
            return !filter.test(input(webhook));
        } catch (PayloadExpressionException e) {
            throw BridgeFailure.permanent("filter-failed", "filter of partner " + webhook.partner().id() + ": " + e.getMessage());
        }
    }

    /** Sets the exact bytes that will be signed and sent, for every in-process try of this delivery. */
    public void build(Exchange exchange) {
        WebhookAttempt webhook = exchange.getProperty(WebhookDeliveries.ATTEMPT, WebhookAttempt.class);
        PayloadExpression transform = subscription(webhook).transform();
        String data = webhook.event();
        if (transform != null) {
            try {
                data = StrictJson.MAPPER.writeValueAsString(transform.apply(input(webhook)));
            } catch (PayloadExpressionException | JsonProcessingException e) {
                throw BridgeFailure.permanent("transform-failed",
                        "transform of partner " + webhook.partner().id() + ": " + e.getMessage());
            }
        }
        String body = webhook.partner().envelope() ? envelope(webhook.eventType(), webhook.occurredAt(), data) : data;
        webhook.payload(body.getBytes(StandardCharsets.UTF_8));
    }

    private static Subscription subscription(WebhookAttempt webhook) {
        // begin() has checked that the partner subscribes to the type, so some subscription matches.
        return webhook.partner().subscriptionFor(webhook.eventType()).orElseThrow();
    }

    private static String envelope(String type, String timestamp, String data) {
        return "{\"type\":\"" + type + "\",\"timestamp\":\"" + timestamp + "\",\"data\":" + data + "}";
    }

    /** What filters and transforms see, parsed once per delivery. */
    private static JsonNode input(WebhookAttempt webhook) {
        if (webhook.expressionInput() == null) {
            ObjectNode input = StrictJson.MAPPER.createObjectNode();
            input.put("type", webhook.eventType());
            input.put("timestamp", webhook.occurredAt());
            try {
                input.set("data", StrictJson.MAPPER.readTree(webhook.event()));
            } catch (JsonProcessingException e) {
                // The event was validated at ingest and sealed since: this cannot be malformed.
                throw BridgeFailure.permanent("transform-failed", "the queued event is not JSON: " + e.getOriginalMessage());
            }
            webhook.expressionInput(input);
        }
        return webhook.expressionInput();
    }
}
