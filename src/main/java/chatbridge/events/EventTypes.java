package chatbridge.events;

import java.util.List;

/** The event types chat-bridge understands, with the queue each arrives on. */
public final class EventTypes {
    public static final String VISITOR_ONLINE = "visitor.online";
    public static final String ORDER_COMPLETED = "order.completed";
    public static final List<String> ALL = List.of(VISITOR_ONLINE, ORDER_COMPLETED);
    /** Not a chat event: a partner's message forwarded to the chat system's API (CHAT_API_URL). */
    public static final String PARTNER_MESSAGE = "partner.message";

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }

    /** chat.visitor.online for visitor.online: the queue the chat system publishes the type onto. */
    public static String sourceQueue(String type) {
        return "chat." + type;
    }
}
