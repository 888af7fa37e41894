package chatbridge.metrics;

import java.time.Clock;
import java.util.function.Supplier;

import chatbridge.broker.BrokerAdmin;
import chatbridge.control.PartnerControl;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** Binds the bridge's own meters; Camel's registry (camel.metrics.*) holds them and serves /observe/metrics. */
public class MetricsConfiguration implements CamelConfiguration {
    private CamelContext context;

    @BindToRegistry(value = "bridgeMetrics", lazy = true)
    public BridgeMetrics bridgeMetrics() {
        return new BridgeMetrics(meterRegistry(), Clock.systemUTC());
    }

    @BindToRegistry(value = "brokerGauges", lazy = true)
    public BrokerGauges brokerGauges(@BeanInject("brokerAdmin") BrokerAdmin broker,
                                     @BeanInject("partnerControl") PartnerControl control,
                                     @PropertyInject("chatbridge.openapi.queue") String partnerMessagesQueue) {
        return new BrokerGauges(broker, control, partnerMessagesQueue, meterRegistry());
    }

    /** camel-micrometer-prometheus binds its registry as metricsRegistry when Camel starts, after these beans. */
    private Supplier<MeterRegistry> meterRegistry() {
        return () -> context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }

    @Override
    public void configure(CamelContext camelContext) {
        this.context = camelContext;
    }
}
