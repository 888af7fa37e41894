package chatbridge.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import chatbridge.broker.BridgeHeaders;
import org.apache.camel.Body;
import org.apache.camel.Headers;

/**
 * What a validated event carries onto the partners' delivery queues: the event JSON as published, and exactly these
 * headers, so nothing from the chat system's message (an _AMQ_DUPL_ID, say) follows it.
 * <ul>
 *   <li>JMSXGroupID = the visitor id: one visitor's events stay in order across concurrent delivery consumers;</li>
 *   <li>chatbridgeEventId, chatbridgeEventType, chatbridgeOccurredAt;</li>
 *   <li>chatbridgeQueuedAt = when the bridge queued it for the partners (ISO-8601 UTC, milliseconds).</li>
 * </ul>
 * One Java call instead of a header expression per line in the route: this runs once per event on the ingest
 * consumer, which keeps publish order and is therefore single-threaded.
 */
public class DeliveryEnvelope {
    private final Clock clock;

    public DeliveryEnvelope(Clock clock) {
        this.clock = clock;
    }

    /** Replaces the headers and returns the body to queue: the event as published. */
    public String wrap(@Body ChatEvent event, @Headers Map<String, Object> headers) {
        headers.clear();
        headers.put(BridgeHeaders.GROUP_ID, event.visitorId());
        headers.put(BridgeHeaders.EVENT_ID, event.id());
        headers.put(BridgeHeaders.EVENT_TYPE, event.type());
        headers.put(BridgeHeaders.OCCURRED_AT, event.occurredAt().toString());
        headers.put(BridgeHeaders.QUEUED_AT, clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        return event.json();
    }
}
