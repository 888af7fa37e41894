package chatbridge.control;

import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Names the partners this bridge does not deliver to now: paused by an operator, or with an open circuit. The bridge
 * is degraded then, not down: it still takes every event (they wait on the partners' queues), and a restart would not
 * bring a partner back. So the check stays UP, with "degraded" and the partners in its message and details
 * (the message with /observe/health?exposureLevel=full, the details with &data=true as well), and never makes the bridge unready.
 */
public class PartnerStatesHealthCheck extends AbstractHealthCheck {
    private final PartnerControl control;

    public PartnerStatesHealthCheck(PartnerControl control) {
        super("chat-bridge", "partners");
        this.control = control;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<PartnerControl.Status> held = control.statuses().stream()
                .filter(status -> status.state() != PartnerControl.State.ACTIVE).toList();
        for (PartnerControl.Status status : control.statuses()) {
            builder.detail("partner." + status.id(), status.state().toString());
        }
        builder.detail("status", held.isEmpty() ? "ok" : "degraded");
        builder.message(held.isEmpty() ? "every partner is active"
                : "degraded: " + String.join(", ", held.stream().map(s -> s.id() + " " + s.state()).toList()));
        builder.up();
    }
}
