package chatbridge.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import chatbridge.broker.BrokerAdmin;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;

/**
 * Whether the bridge delivers to each partner: paused by an operator, or held back by the partner's circuit breaker
 * while it keeps failing. Either way its delivery route stops taking events, which wait on its queue with their
 * attempts intact, and deliveries already under way finish.
 * <ul>
 *   <li>A pause is the broker's: the partner's queue is paused on the broker (persisted, so it outlasts restarts of
 *   the bridge and of the broker, and every bridge on that broker stops), and this bridge's consumers stop too.
 *   Every few seconds ({@link #tick}) each bridge reads the pauses back from the broker.</li>
 *   <li>A circuit is the partner's: see {@link CircuitBreaker}. While it is open, the partner's consumers stop; when
 *   a probe is due they start again and the first event is the probe, the others wait for its verdict. Each change
 *   this bridge makes (opened, probe failed, closed) is {@link CircuitNews news} for the other bridges on the broker
 *   (routes/partner-controls.yaml sends it on and hands theirs to {@link #heard}), so one bridge finding the partner
 *   down holds its events on all of them, and one successful probe resumes them all.</li>
 * </ul>
 * The route asks {@link #admit} before each delivery and {@link #record}s each answer; an event that must not be
 * delivered now is held: back onto its queue without spending an attempt (routes/error-handling.yaml, on-held).
 */
public class PartnerControl {
    /** Exchange property: this delivery's admission, {@link #DELIVER}, {@link #PROBE} or {@link #HOLD}. */
    public static final String ADMISSION = "chatbridgeAdmission";
    public static final String DELIVER = "deliver";
    public static final String PROBE = "probe";
    public static final String HOLD = "hold";

    private static final Logger LOG = LoggerFactory.getLogger(PartnerControl.class);
    /** Pauses are read back from the broker every this many ticks (a tick is a second). */
    private static final int BROKER_SYNC_TICKS = 5;

    public enum State {
        ACTIVE("active"), PAUSED("paused"), CIRCUIT_OPEN("circuit-open");

        private final String label;

        State(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One bridge's news of a partner's circuit: {@link #OPEN} with its next probe, or {@link #CLOSED}. */
    public record CircuitNews(String partnerId, String circuit, Instant nextProbeAt, String bridgeId) {
        public static final String OPEN = "open";
        public static final String CLOSED = "closed";
    }

    /**
     * What /admin/partners shows of a partner besides its queues. The state is the partner's (pause and circuit, the
     * same on every bridge); the times, last status and failure count are this bridge's own deliveries.
     */
    public record Status(String id, State state, Instant lastSuccessAt, Instant lastFailureAt, Integer lastStatus,
                         int consecutiveFailures, Instant nextProbeAt) {
    }

    /** Minutes of delivery activity kept per partner, for the console's chart. */
    public static final int ACTIVITY_MINUTES = 15;

    private static final class Controls {
        final CircuitBreaker circuit;
        volatile boolean paused;
        /** Per minute (epoch minute modulo the ring): requests the partner answered 2xx, and failed ones. */
        final long[] activityMinute = new long[ACTIVITY_MINUTES];
        final int[] delivered = new int[ACTIVITY_MINUTES];
        final int[] failed = new int[ACTIVITY_MINUTES];
        Instant lastSuccessAt;
        Instant lastFailureAt;
        Integer lastStatus;
        int consecutiveFailures;

        Controls(CircuitBreaker circuit) {
            this.circuit = circuit;
        }
    }

    private final PartnerRegistry partners;
    private final BrokerAdmin broker;
    private final CamelContext context;
    private final CircuitBreaker.Settings settings;
    private final Duration probeWait;
    private final Clock clock;
    private final Consumer<CircuitNews> announce;
    /** Tells this bridge's news from the others' (and settles which of two probers goes on probing). */
    private final String bridgeId = UUID.randomUUID().toString();
    private final Map<String, Controls> controls = new ConcurrentHashMap<>();
    private int ticks;
    /** Whether the pauses have been read from the broker since the bridge started: until then, nobody knows them. */
    private volatile boolean pausesKnown;

    /**
     * @param probeWait how long a delivery waits for the verdict of the probe under way before it is held: longer
     *                  than one request can take
     * @param announce  sends this bridge's circuit news to the other bridges
     */
    public PartnerControl(PartnerRegistry partners, BrokerAdmin broker, CamelContext context,
                          CircuitBreaker.Settings settings, Duration probeWait, Clock clock, Consumer<CircuitNews> announce) {
        this.partners = partners;
        this.broker = broker;
        this.context = context;
        this.settings = settings;
        this.probeWait = probeWait;
        this.clock = clock;
        this.announce = announce;
    }

    private Controls of(String partnerId) {
        return controls.computeIfAbsent(partnerId, id -> new Controls(new CircuitBreaker(settings)));
    }

    /** {@link #DELIVER}, {@link #PROBE} (the one delivery a half-open circuit lets through) or {@link #HOLD}. */
    public String admit(Exchange exchange, String partnerId) throws InterruptedException {
        Controls partner = of(partnerId);
        long deadline = System.nanoTime() + probeWait.toNanos();
        while (!partner.paused) {
            switch (partner.circuit.admit()) {
                case DELIVER:
                    return DELIVER;
                case PROBE:
                    exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                        @Override
                        public void onDone(Exchange done) {
                            partner.circuit.probeEnded();
                        }
                    });
                    LOG.debug("Partner {}: probing its circuit with this delivery", partnerId);
                    return PROBE;
                case WAIT:
                    if (System.nanoTime() >= deadline) {
                        return HOLD;
                    }
                    partner.circuit.awaitVerdict(deadline);
                    continue;
                default:
                    return HOLD;
            }
        }
        return HOLD;
    }

    /**
     * Counts one request's outcome (every HTTP request, quick retries included) and answers whether the partner's
     * circuit is open now, in which case a delivery that would be retried is held instead.
     *
     * @param status the partner's HTTP status, null when it did not answer (the last answer it gave stays shown)
     * @param failed whether the partner failed the request (no answer, timeout, 408, 425, 429, 5xx)
     */
    public boolean record(String partnerId, Integer status, boolean failed, boolean probe) {
        Controls partner = of(partnerId);
        Instant now = clock.instant();
        synchronized (partner) {
            if (status != null) {
                partner.lastStatus = status; // the partner's last answer: a request it did not answer leaves it as it was
            }
            int slot = activitySlot(partner, now);
            if (status != null && status >= 200 && status < 300) {
                partner.lastSuccessAt = now;
                partner.consecutiveFailures = 0;
                partner.delivered[slot]++;
            } else {
                partner.lastFailureAt = now;
                partner.consecutiveFailures++;
                partner.failed[slot]++;
            }
        }
        switch (partner.circuit.record(failed, probe, now)) {
            case OPENED -> {
                LOG.warn("Partner {}: circuit open ({} % or more of at least {} requests failed within {} s); its events "
                        + "wait on {}, one probe every {} s", partnerId, settings.failureRatePercent(),
                        settings.minimumRequests(), settings.window().toSeconds(), PartnerRegistry.deliveryQueue(partnerId),
                        settings.probeInterval().toSeconds());
                consume(partnerId);
                announce(partnerId, partner.circuit);
            }
            case CLOSED -> {
                LOG.info("Partner {}: circuit closed, the probe was delivered (HTTP {}); deliveries resume", partnerId, status);
                consume(partnerId);
                announce(partnerId, partner.circuit);
            }
            case STILL_OPEN -> {
                LOG.debug("Partner {}: the probe failed (HTTP {}); next probe in {} s", partnerId, status,
                        settings.probeInterval().toSeconds());
                consume(partnerId);
                announce(partnerId, partner.circuit);
            }
            default -> {
            }
        }
        return partner.circuit.state() != CircuitBreaker.State.CLOSED;
    }

    /**
     * Another bridge's news of a partner's circuit (route circuit-news-in). This bridge's own news comes back too,
     * and news of a partner this bridge does not know is of no use to it: both are ignored.
     */
    public void heard(String partnerId, String circuit, Long nextProbeAtMillis, String fromBridge) {
        if (bridgeId.equals(fromBridge) || partners.byId(partnerId).isEmpty()) {
            return;
        }
        Controls partner = of(partnerId);
        if (CircuitNews.CLOSED.equals(circuit)) {
            if (partner.circuit.state() != CircuitBreaker.State.CLOSED) {
                partner.circuit.close();
                LOG.info("Partner {}: circuit closed by another bridge's probe; deliveries resume", partnerId);
                consume(partnerId);
            }
        } else if (CircuitNews.OPEN.equals(circuit) && nextProbeAtMillis != null) {
            boolean thisBridgeFirst = bridgeId.compareTo(String.valueOf(fromBridge)) < 0;
            if (partner.circuit.follow(Instant.ofEpochMilli(nextProbeAtMillis), thisBridgeFirst)
                    == CircuitBreaker.Change.FOLLOWED) {
                LOG.warn("Partner {}: circuit open, as another bridge found; its events wait on {}", partnerId,
                        PartnerRegistry.deliveryQueue(partnerId));
            }
            consume(partnerId);
        } else {
            LOG.warn("Ignored circuit news for partner {}: '{}' is neither open (with a next probe) nor closed", partnerId, circuit);
        }
    }

    /** News are a courtesy to the other bridges: if the broker cannot take them now, each bridge still judges alone. */
    private void announce(String partnerId, CircuitBreaker circuit) {
        CircuitBreaker.State state = circuit.state();
        CircuitNews news = state == CircuitBreaker.State.CLOSED
                ? new CircuitNews(partnerId, CircuitNews.CLOSED, null, bridgeId)
                : new CircuitNews(partnerId, CircuitNews.OPEN, circuit.nextProbeAt(), bridgeId);
        if (news.circuit().equals(CircuitNews.OPEN) && news.nextProbeAt() == null) {
            return;
        }
        try {
            announce.accept(news);
        } catch (RuntimeException e) {
            LOG.debug("Could not tell the other bridges about partner {}'s circuit: {}", partnerId, e.toString());
        }
    }

    /** Stops deliveries to the partner on every bridge of the broker, until {@link #resume}. */
    public Status pause(String partnerId) {
        Partner partner = known(partnerId);
        broker.pause(partner.deliveryQueue());
        of(partnerId).paused = true;
        consume(partnerId);
        LOG.info("Partner {}: paused; its events wait on {}", partnerId, partner.deliveryQueue());
        return status(partnerId);
    }

    /** Delivers to the partner again, with a closed circuit: the operator says it is back. */
    public Status resume(String partnerId) {
        Partner partner = known(partnerId);
        broker.resume(partner.deliveryQueue());
        Controls controls = of(partnerId);
        controls.paused = false;
        controls.circuit.close();
        consume(partnerId);
        announce(partnerId, controls.circuit);
        LOG.info("Partner {}: resumed", partnerId);
        return status(partnerId);
    }

    public Status status(String partnerId) {
        if (!pausesKnown) {
            readPausesFromBroker();
        }
        Controls partner = of(partnerId);
        State state = partner.paused ? State.PAUSED
                : partner.circuit.state() == CircuitBreaker.State.CLOSED ? State.ACTIVE : State.CIRCUIT_OPEN;
        synchronized (partner) {
            return new Status(partnerId, state, partner.lastSuccessAt, partner.lastFailureAt, partner.lastStatus,
                    partner.consecutiveFailures, partner.circuit.nextProbeAt());
        }
    }

    /** Requests a partner answered 2xx, and requests that failed, per minute: the last {@link #ACTIVITY_MINUTES}. */
    public record Activity(String id, List<String> minutes, List<Integer> delivered, List<Integer> failed) {
    }

    public List<Activity> activity() {
        long nowMinute = clock.instant().getEpochSecond() / 60;
        List<Activity> all = new ArrayList<>();
        for (Partner partner : partners.all()) {
            Controls controls = of(partner.id());
            List<String> minutes = new ArrayList<>();
            List<Integer> delivered = new ArrayList<>();
            List<Integer> failed = new ArrayList<>();
            synchronized (controls) {
                for (long minute = nowMinute - ACTIVITY_MINUTES + 1; minute <= nowMinute; minute++) {
                    int slot = (int) Math.floorMod(minute, (long) ACTIVITY_MINUTES);
                    boolean current = controls.activityMinute[slot] == minute;
                    minutes.add(Instant.ofEpochSecond(minute * 60).toString());
                    delivered.add(current ? controls.delivered[slot] : 0);
                    failed.add(current ? controls.failed[slot] : 0);
                }
            }
            all.add(new Activity(partner.id(), minutes, delivered, failed));
        }
        return all;
    }

    private static int activitySlot(Controls partner, Instant now) {
        long minute = now.getEpochSecond() / 60;
        int slot = (int) Math.floorMod(minute, (long) ACTIVITY_MINUTES);
        if (partner.activityMinute[slot] != minute) {
            partner.activityMinute[slot] = minute;
            partner.delivered[slot] = 0;
            partner.failed[slot] = 0;
        }
        return slot;
    }

    /** Every configured partner's status, in configuration order. */
    public List<Status> statuses() {
        List<Status> statuses = new ArrayList<>();
        for (Partner partner : partners.all()) {
            statuses.add(status(partner.id()));
        }
        return statuses;
    }

    /**
     * Once a second (route partner-controls): starts the consumers of partners whose circuit is due a probe, and every
     * few seconds reads the pauses back from the broker, so a pause made through another bridge (or the broker
     * console) takes effect here too.
     */
    public void tick() {
        Instant now = clock.instant();
        for (Partner partner : partners.all()) {
            if (of(partner.id()).circuit.probeDue(now)) {
                consume(partner.id());
            }
        }
        if (ticks++ % BROKER_SYNC_TICKS == 0) {
            readPausesFromBroker();
        }
    }

    /** A partner the reload removed: its state goes, its queue stays on the broker. */
    public void forget(String partnerId) {
        controls.remove(partnerId);
    }

    private synchronized void readPausesFromBroker() {
        List<String> queues = partners.all().stream().map(Partner::deliveryQueue).toList();
        Map<String, BrokerAdmin.Depth> depths;
        try {
            depths = broker.depths(queues);
        } catch (RuntimeException e) {
            LOG.debug("Cannot read the partners' pauses from the broker now: {}", e.getMessage());
            return;
        }
        pausesKnown = true;
        for (Partner partner : partners.all()) {
            Controls controls = of(partner.id());
            boolean paused = depths.get(partner.deliveryQueue()).paused();
            if (controls.paused != paused) {
                controls.paused = paused;
                LOG.info("Partner {}: {} on the broker", partner.id(), paused ? "paused" : "resumed");
            }
            consume(partner.id());
        }
    }

    private Partner known(String partnerId) {
        return partners.byId(partnerId).orElseThrow(() -> new UnknownPartnerException(partnerId));
    }

    /**
     * Starts or stops the partner's consumers to match its state. Stopping does not wait: each consumer finishes
     * the event in its hands (which its admission then holds) and its open batch commits.
     */
    private void consume(String partnerId) {
        Controls partner = of(partnerId);
        boolean deliver = !partner.paused && partner.circuit.state() != CircuitBreaker.State.OPEN;
        String routeId = PartnerRegistry.deliveryRouteId(partnerId);
        Route route = context.getRoute(routeId);
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        if (route == null || status == null || !status.isStarted() || !(route.getConsumer() instanceof JmsConsumer consumer)) {
            return; // not started (yet), or stopping: it starts with the state in force then
        }
        AbstractMessageListenerContainer container;
        try {
            container = consumer.getListenerContainer();
        } catch (Exception e) {
            throw new IllegalStateException("no listener container for route " + routeId, e);
        }
        if (container == null || !container.isActive()) {
            return;
        }
        if (deliver && !container.isRunning()) {
            container.start();
        } else if (!deliver && container.isRunning()) {
            container.stop();
        }
    }

    /** No partner with that id is configured. */
    public static final class UnknownPartnerException extends RuntimeException {
        UnknownPartnerException(String partnerId) {
            super("no partner '" + partnerId + "' is configured", null, false, false);
        }
    }
}
