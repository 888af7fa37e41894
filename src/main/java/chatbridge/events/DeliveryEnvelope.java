package chatbridge.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import chatbridge.failures.BridgeHeaders;
import chatbridge.security.DeliverySeal;
import org.apache.camel.Body;
import org.apache.camel.Headers;

/**
 * What a validated event carries onto the partners' delivery queues: the event JSON as published, and these headers
 * (the route has removed every other one, so nothing from the chat system's message, an _AMQ_DUPL_ID say, follows).
 * <ul>
 *   <li>JMSXGroupID = the ordering key of the catalog entry (the visitor id): one visitor's events stay in order across concurrent delivery consumers;</li>
 *   <li>chatbridgeEventId, chatbridgeEventType, chatbridgeOccurredAt;</li>
 *   <li>chatbridgeQueuedAt = when the bridge queued it for the partners (ISO-8601 UTC, milliseconds);</li>
 *   <li>chatbridgeSeal: proof for the delivery route that the bridge wrote it ({@link DeliverySeal}).</li>
 * </ul>
 * One Java call instead of a header expression per line in the route: this runs once per event on the ingest
 * consumer, which keeps publish order and is therefore single-threaded.
 */
public class DeliveryEnvelope {
    private final Clock clock;
    private final DeliverySeal seal;

    public DeliveryEnvelope(Clock clock, DeliverySeal seal) {
        this.clock = clock;
        this.seal = seal;
    }

    /** Adds the delivery headers and returns the body to queue: the event as published. */
    public String wrap(@Body ChatEvent event, @Headers Map<String, Object> headers) {
        headers.put(BridgeHeaders.GROUP_ID, event.orderingKey());
        String occurredAt = event.occurredAt().toString();
        headers.put(BridgeHeaders.EVENT_ID, event.id());
        headers.put(BridgeHeaders.EVENT_TYPE, event.type());
        headers.put(BridgeHeaders.OCCURRED_AT, occurredAt);
        headers.put(BridgeHeaders.QUEUED_AT, clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        headers.put(DeliverySeal.HEADER, seal.seal(event.id(), event.type(), occurredAt, event.json()));
        return event.json();
    }
}
