package chatbridge.events;

import java.time.Instant;

/**
 * A validated event from the chat system; {@code orderingKey} is the value at the catalog entry's ordering key
 * pointer (the visitor id for the built-in types). {@code json} is the body exactly as published (unknown fields
 * included), so it is carried through to partners without being re-serialized.
 */
public record ChatEvent(String id, String type, Instant occurredAt, String orderingKey, String json) {
}
