package chatbridge.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event types the bridge takes in, one per file in the catalog directory (config/events by default). */
public class EventCatalog {
    private final Map<String, EventType> byName = new LinkedHashMap<>();

    public EventCatalog(Collection<EventType> types) {
        types.forEach(type -> byName.put(type.name(), type));
    }

    public Collection<EventType> all() {
        return byName.values();
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<EventType> type(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isKnown(String name) {
        return byName.containsKey(name);
    }

    /** The catalog's types a subscription takes, in catalog order. */
    public List<String> matching(TypePattern pattern) {
        List<String> names = new ArrayList<>();
        for (String name : byName.keySet()) {
            if (pattern.matches(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
