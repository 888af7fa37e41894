package chatbridge.partners;

import chatbridge.catalog.TypePattern;
import chatbridge.payloads.PayloadExpression;

/**
 * What a partner takes of some event types (one entry of its {@code events:} list): the types, and optionally a
 * filter (an event it is false for is not sent) and a transform (the body the partner gets instead of the event).
 * Both see the event as {@code {"type", "timestamp", "data": <the event as published>}}.
 */
public record Subscription(TypePattern types, PayloadExpression filter, PayloadExpression transform) {

    @Override
    public String toString() {
        return types + (filter == null ? "" : " filtered") + (transform == null ? "" : " transformed");
    }
}
