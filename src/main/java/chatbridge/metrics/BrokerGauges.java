package chatbridge.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import chatbridge.broker.BrokerAdmin;
import chatbridge.control.PartnerControl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the broker and the partner controls: {@code chatbridge_queue_messages{queue}} for every ingest
 * (chat.*), delivery (webhook.*, partner.messages), DLQ.* and EXPIRED.* queue, and {@code
 * chatbridge_partner_state{partner,state}} (1 for the partner's state, 0 for the others). The depths are read by
 * {@link #refresh} (route broker-gauges) rather than at every scrape, so a scrape never waits for the broker.
 */
public class BrokerGauges {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerGauges.class);

    private final BrokerAdmin broker;
    private final PartnerControl control;
    private final String partnerMessagesQueue;
    private final Supplier<MeterRegistry> registry;
    private final Map<String, Long> depths = new ConcurrentHashMap<>();
    private final Map<String, PartnerControl.State> states = new ConcurrentHashMap<>();

    public BrokerGauges(BrokerAdmin broker, PartnerControl control, String partnerMessagesQueue, Supplier<MeterRegistry> registry) {
        this.broker = broker;
        this.control = control;
        this.partnerMessagesQueue = partnerMessagesQueue;
        this.registry = registry;
    }

    public void refresh() {
        for (PartnerControl.Status status : control.statuses()) {
            if (states.put(status.id(), status.state()) == null) {
                for (PartnerControl.State state : PartnerControl.State.values()) {
                    Gauge.builder("chatbridge.partner.state", states, known -> known.get(status.id()) == state ? 1 : 0)
                            .tags("partner", status.id(), "state", state.toString()).register(registry.get());
                }
            }
        }
        List<String> queues = new ArrayList<>();
        try {
            List<String> existing = broker.queueNames();
            for (String queue : existing) {
                if (watched(queue)) {
                    queues.add(queue);
                }
            }
            broker.depths(queues, new HashSet<>(existing)).forEach((queue, depth) -> {
                if (depths.put(queue, depth.messages() + depth.delivering()) == null) {
                    Gauge.builder("chatbridge.queue.messages", depths, known -> known.getOrDefault(queue, 0L))
                            .tags("queue", queue).register(registry.get());
                }
            });
        } catch (BrokerAdmin.BrokerUnavailableException e) {
            LOG.debug("Queue depths not read from the broker this time: {}", e.getMessage());
        }
    }

    private boolean watched(String queue) {
        String source = queue.startsWith("DLQ.") || queue.startsWith("EXPIRED.") ? queue.substring(queue.indexOf('.') + 1) : queue;
        return source.startsWith("chat.") || source.startsWith("webhook.") || source.equals(partnerMessagesQueue);
    }
}
