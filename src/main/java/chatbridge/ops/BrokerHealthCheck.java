package chatbridge.ops;

import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * /observe/health says DOWN while the broker cannot be reached, and UP again once it can: the consumers reconnect by
 * themselves, this makes the outage visible. Opens a fresh (unpooled) connection, since a pooled one may be a
 * stale connection the pool has not noticed is dead yet.
 */
public class BrokerHealthCheck extends AbstractHealthCheck {
    private final ConnectionFactory direct;
    private final String description;

    public BrokerHealthCheck(ConnectionFactory direct, String description) {
        super("chat-bridge", "broker");
        this.direct = direct;
        this.description = description;
    }

    /** Readiness only: restarting the bridge would not bring the broker back. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("broker", description);
        try (Connection connection = direct.createConnection()) {
            connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE).close();
            builder.up();
        } catch (Exception e) {
            builder.message("broker unreachable: " + e.getMessage()).down();
        }
    }
}
