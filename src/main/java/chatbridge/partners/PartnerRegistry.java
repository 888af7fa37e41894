package chatbridge.partners;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import chatbridge.failures.BridgeFailure;

/**
 * The configured partners, looked up by id and by the event types they subscribe to. A reload of the partners file
 * replaces the whole set at once ({@link #replace}): every lookup sees either the old partners or the new ones, and a
 * delivery already under way keeps the partner it started with.
 */
public class PartnerRegistry {
    /** The destination of partner.messages when the chat system takes them over HTTP (CHAT_API_URL). */
    public static final String CHAT_API_ID = "chat-api";

    private record Snapshot(Map<String, Partner> byId, Map<String, List<String>> endpointsByType) {
        static Snapshot of(Collection<Partner> partners) {
            Map<String, Partner> byId = new LinkedHashMap<>();
            Map<String, List<String>> endpointsByType = new LinkedHashMap<>();
            for (Partner partner : partners) {
                byId.put(partner.id(), partner);
                for (String type : partner.events()) {
                    endpointsByType.computeIfAbsent(type, t -> new ArrayList<>()).add("jms:queue:" + partner.deliveryQueue());
                }
            }
            return new Snapshot(Collections.unmodifiableMap(byId), endpointsByType);
        }
    }

    private volatile Snapshot snapshot;

    public PartnerRegistry(Collection<Partner> partners) {
        this.snapshot = Snapshot.of(partners);
    }

    /** Each partner has its own queue, so one partner's outage never delays another's deliveries. */
    public static String deliveryQueue(String partnerId) {
        return "webhook." + partnerId;
    }

    /** The id of the partner's delivery route, made from the partner-webhook-delivery template. */
    public static String deliveryRouteId(String partnerId) {
        return "webhook-delivery-" + partnerId;
    }

    /** Replaces every partner at once (a reload of the partners file). */
    public void replace(Collection<Partner> partners) {
        snapshot = Snapshot.of(partners);
    }

    /** The current partners, in configuration order; this collection does not change when they are replaced. */
    public Collection<Partner> all() {
        return snapshot.byId().values();
    }

    public Optional<Partner> byId(String id) {
        return Optional.ofNullable(snapshot.byId().get(id));
    }

    /** Whether any partner takes events of this type: a type nobody takes is not consumed at all. */
    public boolean hasSubscribers(String eventType) {
        return snapshot.endpointsByType().containsKey(eventType);
    }

    /**
     * The delivery queue endpoints of every partner subscribed to the type, for a recipient list. Never empty: an
     * event nobody takes any more (a reload removed its last subscriber while it was being read) is a retryable
     * failure, so it goes back to its queue, whose consumer is being stopped, instead of being acknowledged for nobody.
     */
    public List<String> deliveryEndpointsFor(String eventType) {
        List<String> endpoints = snapshot.endpointsByType().get(eventType);
        if (endpoints == null) {
            throw BridgeFailure.retryable("no-subscriber", "no partner subscribes to " + eventType + " any more");
        }
        return endpoints;
    }
}
