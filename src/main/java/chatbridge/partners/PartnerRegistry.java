package chatbridge.partners;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured partners, looked up by id and by the event types they subscribe to. */
public class PartnerRegistry {
    private final Map<String, Partner> byId = new LinkedHashMap<>();
    private final Map<String, List<String>> endpointsByType = new LinkedHashMap<>();

    public PartnerRegistry(Collection<Partner> partners) {
        for (Partner partner : partners) {
            byId.put(partner.id(), partner);
            for (String type : partner.events()) {
                endpointsByType.computeIfAbsent(type, t -> new ArrayList<>())
                        .add("jms:queue:" + partner.deliveryQueue());
            }
        }
    }

    /** The destination of partner.messages when the chat system takes them over HTTP (CHAT_API_URL). */
    public static final String CHAT_API_ID = "chat-api";

    /** Each partner has its own queue, so one partner's outage never delays another's deliveries. */
    public static String deliveryQueue(String partnerId) {
        return "webhook." + partnerId;
    }

    public Collection<Partner> all() {
        return byId.values();
    }

    public Optional<Partner> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Whether any partner takes events of this type: a type nobody takes is not consumed at all. */
    public boolean hasSubscribers(String eventType) {
        return endpointsByType.containsKey(eventType);
    }

    /** The delivery queue endpoints of every partner subscribed to the type, for a recipient list. */
    public List<String> deliveryEndpointsFor(String eventType) {
        return endpointsByType.getOrDefault(eventType, List.of());
    }
}
