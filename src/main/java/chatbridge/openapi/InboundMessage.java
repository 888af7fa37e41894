package chatbridge.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A partner's message, validated.
 *
 * @param message the message object ({"type": "text" | "link" | "card", ...}) with only the documented fields
 */
public record InboundMessage(String visitorId, String inReplyTo, String type, ObjectNode message) {
}
