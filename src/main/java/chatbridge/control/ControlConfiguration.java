package chatbridge.control;

import java.time.Clock;
import java.time.Duration;

import chatbridge.broker.BrokerAdmin;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** Binds the partner controls (pause, circuit breaker) the delivery route asks before each delivery. */
public class ControlConfiguration implements CamelConfiguration {
    private CamelContext context;

    // lazy: the registry and the broker admin are other configuration classes'.
    @BindToRegistry(value = "partnerControl", lazy = true)
    public PartnerControl partnerControl(
            @BeanInject("partnerRegistry") PartnerRegistry partners,
            @BeanInject("brokerAdmin") BrokerAdmin broker,
            @PropertyInject("chatbridge.circuit.enabled") boolean enabled,
            @PropertyInject("chatbridge.circuit.failure-rate-percent") int failureRatePercent,
            @PropertyInject("chatbridge.circuit.minimum-requests") int minimumRequests,
            @PropertyInject("chatbridge.circuit.window-seconds") int windowSeconds,
            @PropertyInject("chatbridge.circuit.probe-interval-seconds") int probeIntervalSeconds,
            @PropertyInject("chatbridge.delivery.connect-timeout-seconds") int connectTimeoutSeconds,
            @PropertyInject("chatbridge.delivery.response-timeout-seconds") int responseTimeoutSeconds) {
        CircuitBreaker.Settings settings = new CircuitBreaker.Settings(enabled, failureRatePercent, minimumRequests,
                Duration.ofSeconds(windowSeconds), Duration.ofSeconds(probeIntervalSeconds));
        // A delivery waiting for the probe's verdict waits as long as one request can take, and a little more.
        Duration probeWait = Duration.ofSeconds(connectTimeoutSeconds + responseTimeoutSeconds + 5L);
        return new PartnerControl(partners, broker, context, settings, probeWait, Clock.systemUTC());
    }

    /** Runs before any lazy bean is made: partnerControl is first looked up when the routes start. */
    @Override
    public void configure(CamelContext camelContext) {
        this.context = camelContext;
    }
}
