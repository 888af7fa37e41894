package chatbridge.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chatbridge.broker.BrokerAdmin;
import chatbridge.control.PartnerControl;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import chatbridge.problems.Problem;

/** GET /admin/partners and the pause and resume of one: each partner's state beside the depths of its queues. */
public class PartnerAdmin {
    /** One partner as the admin API shows it. Times and status are this bridge's; depths are the broker's. */
    public record PartnerView(String id, String state, String queue, long queued, long inFlight, long deadLetters,
                              long expired, String lastSuccessAt, String lastFailureAt, Integer lastStatus,
                              int consecutiveFailures) {
    }

    private final PartnerRegistry partners;
    private final PartnerControl control;
    private final BrokerAdmin broker;

    public PartnerAdmin(PartnerRegistry partners, PartnerControl control, BrokerAdmin broker) {
        this.partners = partners;
        this.control = control;
        this.broker = broker;
    }

    public Map<String, List<PartnerView>> list() {
        return Map.of("partners", views(control.statuses()));
    }

    /** GET /admin/activity: per partner and minute, delivered and failed requests of the last 15 minutes. */
    public Map<String, List<PartnerControl.Activity>> activity() {
        return Map.of("partners", control.activity());
    }

    public PartnerView pause(String partnerId) {
        known(partnerId);
        return views(List.of(control.pause(partnerId))).get(0);
    }

    public PartnerView resume(String partnerId) {
        known(partnerId);
        return views(List.of(control.resume(partnerId))).get(0);
    }

    private void known(String partnerId) {
        if (partnerId == null || partners.byId(partnerId).isEmpty()) {
            throw new Problem(AdminProblem.UNKNOWN_PARTNER, "no partner '" + partnerId + "' is configured; the partners are "
                    + partners.all().stream().map(Partner::id).toList());
        }
    }

    private List<PartnerView> views(List<PartnerControl.Status> statuses) {
        Map<String, String> queueOf = new LinkedHashMap<>();
        List<String> queues = new ArrayList<>();
        for (PartnerControl.Status status : statuses) {
            String queue = partners.byId(status.id()).map(Partner::deliveryQueue)
                    .orElse(PartnerRegistry.deliveryQueue(status.id()));
            queueOf.put(status.id(), queue);
            queues.addAll(List.of(queue, "DLQ." + queue, "EXPIRED." + queue));
        }
        Map<String, BrokerAdmin.Depth> depths = broker.depths(queues);
        List<PartnerView> views = new ArrayList<>();
        for (PartnerControl.Status status : statuses) {
            String queue = queueOf.get(status.id());
            BrokerAdmin.Depth depth = depths.get(queue);
            views.add(new PartnerView(status.id(), status.state().toString(), queue, depth.messages(), depth.delivering(),
                    total(depths.get("DLQ." + queue)), total(depths.get("EXPIRED." + queue)), text(status.lastSuccessAt()),
                    text(status.lastFailureAt()), status.lastStatus(), status.consecutiveFailures()));
        }
        return views;
    }

    private static long total(BrokerAdmin.Depth depth) {
        return depth == null ? 0 : depth.messages() + depth.delivering();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
