package chatbridge.control;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import chatbridge.broker.BrokerAdmin;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.PropertyInject;

/** Binds the partner controls (pause, circuit breaker) the delivery route asks before each delivery. */
public class ControlConfiguration implements CamelConfiguration {
    /** The start of route circuit-news-out (routes/partner-controls.yaml). */
    static final String CIRCUIT_NEWS_OUT = "seda:circuit-news-out";
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
        // Handed to route circuit-news-out on its own thread: a send made on a delivery thread would join the
        // delivery's transaction, wait for its commit, and vanish with its rollback.
        ProducerTemplate news = context.createProducerTemplate();
        Consumer<PartnerControl.CircuitNews> announce = circuit -> {
            Map<String, Object> headers = new HashMap<>();
            headers.put("chatbridgePartnerId", circuit.partnerId());
            headers.put("chatbridgeCircuit", circuit.circuit());
            headers.put("chatbridgeBridgeId", circuit.bridgeId());
            if (circuit.nextProbeAt() != null) {
                headers.put("chatbridgeNextProbeAt", circuit.nextProbeAt().toEpochMilli());
            }
            news.sendBodyAndHeaders(CIRCUIT_NEWS_OUT, "", headers);
        };
        return new PartnerControl(partners, broker, context, settings, probeWait, Clock.systemUTC(), announce);
    }

    /** Runs before any lazy bean is made: partnerControl is first looked up when the routes start. */
    @Override
    public void configure(CamelContext camelContext) {
        this.context = camelContext;
    }
}
