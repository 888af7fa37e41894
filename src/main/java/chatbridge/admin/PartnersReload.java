package chatbridge.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.control.PartnerControl;
import chatbridge.delivery.PartnerDeliveryRoutes;
import chatbridge.events.IngestRoutes;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import chatbridge.partners.PartnerSource;
import chatbridge.problems.Problem;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed partners file to the running bridge: partners are added, removed and updated without a restart
 * and without dropping a delivery under way. The new file is read and checked whole first; an invalid one changes
 * nothing. Then, in this order, so that no event is ever read for nobody:
 * <ol>
 *   <li>the ingest routes of event types no partner takes any more stop (their events wait on their queues);</li>
 *   <li>the registry switches to the new partners at once (fan-out, deliveries and Open API keys use it from then);</li>
 *   <li>the delivery routes of removed partners stop, after the deliveries they have under way (their queues and
 *   backlogs stay on the broker);</li>
 *   <li>added partners get their delivery routes, and types newly subscribed to their ingest routes.</li>
 * </ol>
 * A partner whose settings changed (URL, secrets, subscriptions, headers, keys) needs nothing more: every delivery
 * looks its partner up in the registry when it starts.
 */
public class PartnersReload {
    private static final Logger LOG = LoggerFactory.getLogger(PartnersReload.class);

    private final CamelContext context;
    private final PartnerSource source;
    private final PartnerRegistry registry;
    private final EventCatalog catalog;
    private final PartnerControl control;
    /** Digest of the file as last loaded (or last refused), so the watch reacts once per change. */
    private String seenFile;

    public PartnersReload(CamelContext context, PartnerSource source, PartnerRegistry registry, EventCatalog catalog,
                          PartnerControl control) {
        this.context = context;
        this.source = source;
        this.registry = registry;
        this.catalog = catalog;
        this.control = control;
        this.seenFile = fileDigest();
    }

    /** The watch (route partners-file-watch): reloads when the file's content changed since it was last read. */
    public synchronized void reloadIfChanged() {
        String now = fileDigest();
        if (now.equals(seenFile)) {
            return;
        }
        seenFile = now;
        try {
            reload();
        } catch (Problem refused) {
            LOG.error("Partners file {} changed but was not applied, the running partners are kept: {}", source.file(),
                    refused.getMessage());
        }
    }

    /** POST /admin/reload: the partners as the file and settings say now, whether or not the file changed. */
    public synchronized Map<String, List<String>> reload() {
        seenFile = fileDigest();
        List<Partner> loaded;
        try {
            loaded = source.load();
        } catch (IllegalArgumentException e) {
            throw new Problem(AdminProblem.INVALID_PARTNERS, e.getMessage());
        }
        Map<String, Partner> before = new LinkedHashMap<>();
        registry.all().forEach(p -> before.put(p.id(), p));
        Map<String, Partner> after = new LinkedHashMap<>();
        loaded.forEach(p -> after.put(p.id(), p));
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        after.forEach((id, partner) -> {
            Partner old = before.get(id);
            (old == null ? added : old.sameSettingsAs(partner) ? unchanged : updated).add(id);
        });
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);

        Map<String, Boolean> subscribedBefore = subscribed();
        try {
            for (EventType type : catalog.all()) {
                boolean takenAfter = loaded.stream().anyMatch(p -> p.subscribesTo(type.name()));
                if (subscribedBefore.get(type.name()) && !takenAfter) {
                    removeRoute(IngestRoutes.routeId(type));
                }
            }
            registry.replace(loaded);
            for (String id : removed) {
                removeRoute(PartnerRegistry.deliveryRouteId(id));
                control.forget(id);
            }
            for (String id : added) {
                PartnerDeliveryRoutes.add(context, after.get(id));
            }
            for (EventType type : catalog.all()) {
                if (!subscribedBefore.get(type.name()) && registry.hasSubscribers(type.name())) {
                    IngestRoutes.add(context, type);
                }
            }
        } catch (Exception e) {
            // The file was valid; Camel failed to add or stop a route. Say so loudly: the bridge is half-changed.
            LOG.error("Applying the partners file {} failed half-way; restart the bridge to apply it whole", source.file(), e);
            throw new IllegalStateException("applying the partners file failed half-way: " + e.getMessage(), e);
        }
        LOG.info("Partners reloaded from {}: added {}, removed {}, updated {}, unchanged {}", source.file(), added,
                removed, updated, unchanged);
        Map<String, List<String>> answer = new LinkedHashMap<>();
        answer.put("added", added);
        answer.put("removed", removed);
        answer.put("updated", updated);
        answer.put("unchanged", unchanged);
        return answer;
    }

    private Map<String, Boolean> subscribed() {
        Map<String, Boolean> subscribed = new HashMap<>();
        for (EventType type : catalog.all()) {
            subscribed.put(type.name(), registry.hasSubscribers(type.name()));
        }
        return subscribed;
    }

    /** Stops the route after the exchanges it has in flight, and removes it. */
    private void removeRoute(String routeId) throws Exception {
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
        }
    }

    private String fileDigest() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(source.file()));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
