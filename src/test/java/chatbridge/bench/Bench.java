package chatbridge.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import chatbridge.broker.BrokerAdmin;
import chatbridge.events.DeliveryEnvelope;
import chatbridge.security.DeliverySeal;
import chatbridge.testing.Catalogs;
import chatbridge.events.EventValidator;
import chatbridge.testing.BridgeJar;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.core.ConditionTimeoutException;

/**
 * chat-bridge's benchmark: the broker's own limit, the bridge's outbound drain and latency, the Open API, and the
 * plainest Camel route a user would write, all on 127.0.0.1 with bounded counts and durations. Run with
 * bench/run.sh; prints a table and writes it as JSON and CSV to bench/results/.
 */
public final class Bench {
    private static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    private static final String API_KEY = "bench-api-key-0123456789";

    /** The whole machine's busy CPU time per event delivered in a phase (MachineCpu). */
    private static final String CPU_PER_EVENT = "machine CPU per event";

    record Row(String phase, String metric, double value, String unit, String target, double heapMiB, double rssMiB) {
    }

    private final Map<String, String> options;
    private final List<Row> rows = new ArrayList<>();
    private final int events;
    private final int consumers;
    private final int batchSize;
    private final int batchMaxWaitMillis;
    private Sink sink;
    private BridgeJar bridge;
    /** The same bridge with the hand-written validator of before the event catalog (phase 2v). */
    private BridgeJar handWritten;
    private Path bridgeLog;
    private String brokerUrl;
    private final boolean standalone;
    private StandaloneArtemis broker;
    private static final Path RESULTS = Path.of("bench", "results");
    private static final EventValidator VALIDATOR = new EventValidator(65_536, Catalogs.builtIn());
    /** The bridge's BRIDGE_MESSAGE_KEY, so phase 2b can seal the events it puts on the partner's queue itself. */
    private static final String MESSAGE_KEY = "bench-only-delivery-seal-key-0123456789";
    private static final DeliveryEnvelope ENVELOPE = new DeliveryEnvelope(Clock.systemUTC(),
            new DeliverySeal(List.of(MESSAGE_KEY.getBytes(StandardCharsets.UTF_8))));
    private final String stamp;
    private final List<String> profiledPhases;
    private final List<ProfileSummary> profiles = new ArrayList<>();

    private Bench(Map<String, String> options) {
        this.options = options;
        this.events = Integer.parseInt(options.getOrDefault("events", "200000"));
        this.consumers = Integer.parseInt(options.getOrDefault("delivery-consumers", "8"));
        this.batchSize = Integer.parseInt(options.getOrDefault("batch-size", "100"));
        this.standalone = options.getOrDefault("broker", "embedded").equals("standalone");
        this.batchMaxWaitMillis = Integer.parseInt(options.getOrDefault("batch-max-wait-millis", "5"));
        String profile = options.get("profile");
        this.profiledPhases = profile == null ? List.of() : List.of("true".equals(profile) ? new String[] {"2"} : profile.split(","));
        this.stamp = (standalone ? "standalone-" : "embedded-") + Instant.now().toString().replace(":", "").replaceAll("\\..*", "");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        new Bench(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("chat-bridge-bench");
        // The sink first: it holds its port from now on, so the bridge's free ports below cannot be the sink's (the
        // other way round, the sink once got the port just found free for the Open API, which then failed to bind).
        sink = new Sink();
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        int httpPort = Ports.free();
        brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        Map<String, String> env = new LinkedHashMap<>();
        if (standalone) {
            // --broker=standalone: the apache-artemis distribution from Maven Central as its own process, with the
            // project's broker.xml (artemis/create-standalone.sh); the bridge connects over TCP.
            broker = new StandaloneArtemis(work.resolve("artemis-instance").toAbsolutePath(), brokerPort,
                    work.resolve("artemis.log")).start();
            env.put("BROKER_URL", brokerUrl);
            env.put("BROKER_USER", StandaloneArtemis.USER);
            env.put("BROKER_PASSWORD", StandaloneArtemis.PASSWORD);
        } else {
            env.put("BROKER_DATA_DIR", work.resolve("broker").toString());
            env.put("BROKER_ACCEPTOR", brokerUrl + "?protocols=CORE,AMQP,STOMP");
        }
        env.put("BRIDGE_MESSAGE_KEY", MESSAGE_KEY);
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("PARTNERS_FILE", work.resolve("none.yaml").toString());
        env.put("PARTNER_ID", "bench");
        env.put("PARTNER_WEBHOOK_URL", sink.url("/hooks/chat"));
        env.put("PARTNER_WEBHOOK_SECRET", SECRET);
        env.put("PARTNER_API_KEY", API_KEY);
        env.put("OPENAPI_RATE_LIMIT_PER_SECOND", "0");
        // Phase 4b's route beside the bridge's own.
        env.put("ROUTES_PATTERN", "file:routes/*.yaml,file:routes/*.java,file:bench/routes/*.yaml");
        // A 1M backlog takes longer to drain than a welcome stays fresh (5 min): without this, its tail would be
        // moved to EXPIRED.webhook.bench by design instead of measured.
        env.put("VISITOR_ONLINE_FRESHNESS_SECONDS", "0");
        env.put("DELIVERY_CONSUMERS", Integer.toString(consumers));
        env.put("CONSUMER_BATCH_SIZE", Integer.toString(batchSize));
        env.put("CONSUMER_BATCH_MAX_WAIT_MILLIS", Integer.toString(batchMaxWaitMillis));
        env.put("INGEST_CONSUMERS", options.getOrDefault("ingest-consumers", "1"));
        if (options.containsKey("consumer-window-size")) {
            env.put("BROKER_CONSUMER_WINDOW_SIZE", options.get("consumer-window-size"));
        }
        if (options.containsKey("broker-properties")) {
            env.put("BROKER_PROPERTIES", Path.of(options.get("broker-properties")).toAbsolutePath().toString());
        }
        List<String> jvm = List.of(options.getOrDefault("bridge-heap", "-Xmx1g"));
        Path jar = Path.of(options.getOrDefault("jar", "target/chat-bridge.jar"));
        Path log = work.resolve("bridge.log");
        bridgeLog = log;
        System.out.printf("chat-bridge bench: %,d events of ~1 KiB, %s broker, %d delivery consumers; bridge log %s%n",
                events, standalone ? "standalone" : "embedded", consumers, log);
        bridge = new BridgeJar(jar, log, env, jvm, managementPort);
        List<String> handWrittenJvm = new ArrayList<>(jvm);
        handWrittenJvm.add("-Dcamel.main.configurationClasses=" + bridgeConfigurationClasses() + ","
                + HandWrittenValidation.class.getName());
        handWritten = new BridgeJar(jar, log, env, handWrittenJvm, managementPort, List.of(Path.of("target/test-classes")));
        try {
            bridge.start(false);
            phase("1 broker limit", this::brokerLimit);
            bridge.stop();
            bridge.start(true);
            if (wanted("2")) {
                phase("2 outbound drain", this::outboundDrain);
            }
            if (wanted("2b")) {
                phase("2 delivery hop alone", this::deliveryHop);
            }
            if (wanted("2v")) {
                phase("2v validation A/B", this::validationAB);
            }
            if (wanted("3")) {
                phase("3 outbound latency", this::outboundLatency);
            }
            if (wanted("4")) {
                phase("4 open api", () -> openApi(httpPort, "/openapi/v1/messages", "4 open api", "4"));
            }
            if (wanted("4b")) {
                phase("4b open api without the broker",
                        () -> openApi(httpPort, "/bench/openapi/v1/messages", "4b open api, no broker", "4b"));
            }
            if (wanted("5")) {
                phase("5 naive baseline", this::naiveBaseline);
            }
            if (wanted("5p")) {
                phase("5p bridge vs naive", this::pairedWithNaive);
            }
            if (options.containsKey("big")) {
                phase("6 1M backlog", this::bigBacklog);
            }
        } finally {
            bridge.stop();
            sink.close();
            if (broker != null) {
                broker.close();
            }
        }
        report();
    }

    /** A client of the broker under test, as the chat system or a partner's own consumer would be. */
    private ActiveMQConnectionFactory factory() {
        return standalone ? new ActiveMQConnectionFactory(brokerUrl, StandaloneArtemis.USER, StandaloneArtemis.PASSWORD)
                : new ActiveMQConnectionFactory(brokerUrl);
    }

    /** --phases=2,4 runs only those (phase 1, the ceiling, always runs). */
    private boolean wanted(String phase) {
        return !options.containsKey("phases") || List.of(options.get("phases").split(",")).contains(phase);
    }

    interface Phase {
        static void noop() {
        }

        void run() throws Exception;
    }

    private void phase(String name, Phase phase) throws Exception {
        System.out.println("running " + name + " ...");
        phase.run();
    }

    /**
     * --profile=2,2b,4 records a JFR profile of the bridge while those phases do their work (--profile alone: 2)
     * and prints where its CPU went after the table; the recordings stay in bench/results/ for JDK Mission Control.
     * The recording starts before the phase's warm-up: starting JFR makes the bridge's JIT compile again for as long
     * as a warm-up takes (with settings=profile it weaves its socket and file events into the JDK's classes), and a
     * recording started after the warm-up measured the compiler (the drain ran at a third of its speed). Only the
     * samples from measureFromNow() on are summarised.
     */
    private final class Profile implements AutoCloseable {
        private final String key;
        private final boolean recording;
        private Instant measuredFrom = Instant.MAX;
        private Path file;

        /** jfrOptions: more for JFR.start, such as the profile settings' file-threshold=0ms (every fsync). */
        Profile(String key, String... jfrOptions) throws Exception {
            this.key = key;
            this.recording = profiledPhases.contains(key);
            if (recording) {
                List<String> start = new ArrayList<>(List.of("JFR.start", "name=bench-phase-" + key, "settings=profile"));
                start.addAll(List.of(jfrOptions));
                bridge.jcmd(start.toArray(String[]::new));
            }
        }

        void measureFromNow() {
            measuredFrom = Instant.now();
        }

        /** The recording, once closed; null when this phase was not profiled. */
        Path file() {
            return file;
        }

        @Override
        public void close() throws Exception {
            if (recording) {
                file = RESULTS.resolve("profile-" + stamp + "-phase-" + key + ".jfr").toAbsolutePath();
                Files.createDirectories(RESULTS);
                bridge.jcmd("JFR.stop", "name=bench-phase-" + key, "filename=" + file);
                profiles.add(ProfileSummary.read(key, file, measuredFrom));
            }
        }
    }

    private void add(String phase, String metric, double value, String unit, String target) throws Exception {
        rows.add(new Row(phase, metric, value, unit, target, bridge.heapUsedMiB(), bridge.rssMiB()));
    }

    // 1. The ceiling: the same broker drained by plain JMS consumers that commit like the bridge does (a batch of
    // batch-size messages or batch-max-wait-millis, whichever first), with no HTTP and no Camel.
    private void brokerLimit() throws Exception {
        fill("bench.broker-limit", events, text(Bench::orderEvent));
        ActiveMQConnectionFactory factory = factory();
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        // One connection per consumer, as independent clients would have.
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            done.add(pool.submit(() -> {
                try (Connection connection = factory.createConnection();
                     Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                     MessageConsumer consumer = session.createConsumer(session.createQueue("bench.broker-limit"))) {
                    connection.start();
                    int open = 0;
                    long openedAt = 0;
                    while (true) {
                        long wait = open == 0 ? 2000 : Math.max(1, batchMaxWaitMillis - (System.nanoTime() - openedAt) / 1_000_000);
                        Message message = consumer.receive(wait);
                        if (message == null) {
                            if (open == 0) {
                                break;
                            }
                        } else if (open++ == 0) {
                            openedAt = System.nanoTime();
                        }
                        if (open > 0 && (message == null || open >= batchSize
                                || System.nanoTime() - openedAt >= batchMaxWaitMillis * 1_000_000)) {
                            session.commit();
                            received.addAndGet(open);
                            open = 0;
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9 - 2.0; // the last receive waited 2 s for nothing
        add("1 broker limit", "drain (JMS, transacted, batches of " + batchSize + ", " + consumers + " consumers)",
                received.get() / seconds, "msg/s", "ceiling");
    }

    // 2. The bridge drains a backlog of chat.order.completed to the partner.
    private void outboundDrain() throws Exception {
        warmDrain("2 outbound drain", "chat.order.completed", text(Bench::orderEvent), "2");
        double rate = events / sink.activeSeconds();
        double cpu = sink.busyMillisSinceFirst() / events;
        add("2 outbound drain", "events delivered, signed, transacted", rate, "events/s", ">= 10,000");
        add("2 outbound drain", CPU_PER_EVENT, cpu, "ms", "");
        double ceiling = rows.get(0).value();
        add("2 outbound drain", "ratio to broker limit", rate / ceiling, "x", ">= 0.5");
        add("2 outbound drain", "duplicates", sink.requests() - sink.distinct(), "requests", "0");
    }

    // 2b. The delivery hop alone: the same events already validated and on the partner's queue with the headers the
    // ingest route gives them (DeliveryEnvelope), so only the webhook-delivery route runs. The most a design with one
    // Camel hop per event (the broker fanning out to the partner queues) could reach with this delivery route.
    private void deliveryHop() throws Exception {
        warmDrain("2 delivery hop alone", "webhook.bench", Bench::envelopedOrderEvent, "2b");
        add("2 delivery hop alone", "pre-enveloped on webhook.bench, no ingest hop",
                events / sink.activeSeconds(), "events/s", "");
        add("2 delivery hop alone", CPU_PER_EVENT, sink.busyMillisSinceFirst() / events, "ms", "");
    }

    // 2v. JSON Schema validation (the event catalog) against the hand-written validator the bridge had before it:
    // the same drain of the same backlog, both builds' routes identical but for the eventValidator bean, alternating
    // in one run (--validation-rounds, default 3) so machine noise hits both alike. Medians and their ratio.
    private void validationAB() throws Exception {
        int rounds = Integer.parseInt(options.getOrDefault("validation-rounds", "3"));
        List<Double> schema = new ArrayList<>();
        List<Double> handWrittenRates = new ArrayList<>();
        bridge.stop();
        for (int round = 0; round < rounds; round++) {
            boolean schemaFirst = round % 2 == 0;
            for (BridgeJar variant : schemaFirst ? List.of(bridge, handWritten) : List.of(handWritten, bridge)) {
                variant.start(false);
                fill("chat.order.completed", events, text(Bench::orderEvent));
                variant.stop();
                sink.reset(null);
                variant.start(true);
                waitFor(() -> sink.distinct() >= events, Duration.ofMinutes(10), "validation A/B drain");
                (variant == bridge ? schema : handWrittenRates).add(events / sink.activeSeconds());
                variant.stop();
            }
        }
        bridge.start(true);
        long swaps;
        try (var lines = Files.lines(bridgeLog)) {
            swaps = lines.filter(line -> line.contains(HandWrittenValidation.MARKER)).count();
        }
        if (swaps < 2L * rounds) {
            throw new IllegalStateException("the hand-written variant did not run with the hand-written validator ("
                    + swaps + " swaps logged in " + bridgeLog + ")");
        }
        double schemaMedian = median(schema);
        double handWrittenMedian = median(handWrittenRates);
        List<Double> paired = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            paired.add(schema.get(round) / handWrittenRates.get(round));
        }
        add("2v validation A/B", "drain, JSON Schema validation: median of " + rounds + " " + formatted(schema, "%.0f"),
                schemaMedian, "events/s", "");
        add("2v validation A/B", "drain, hand-written validator: median of " + rounds + " " + formatted(handWrittenRates, "%.0f"),
                handWrittenMedian, "events/s", "");
        add("2v validation A/B", "ratio JSON Schema / hand-written (of the medians)", schemaMedian / handWrittenMedian, "x", ">= 0.90");
        add("2v validation A/B", "ratio per round " + formatted(paired, "%.2f") + ", median", median(paired), "x", ">= 0.90");
        // The validators alone, in this JVM, one thread: what the drain's ratio is made of.
        HandWrittenEventValidator handWrittenValidator = new HandWrittenEventValidator(65_536);
        double schemaMicros = microsPerEvent(i -> VALIDATOR.validate(orderEvent(i), "order.completed"));
        double handWrittenMicros = microsPerEvent(i -> handWrittenValidator.validate(orderEvent(i), "order.completed"));
        add("2v validation A/B", "validator alone, JSON Schema (1 thread, order.completed)", schemaMicros, "µs/event", "");
        add("2v validation A/B", "validator alone, hand-written", handWrittenMicros, "µs/event", "");
    }

    /** Mean time of one call after a warm-up, over 200,000 distinct events. */
    private static double microsPerEvent(java.util.function.LongConsumer validation) {
        for (long i = 0; i < 100_000; i++) {
            validation.accept(i);
        }
        long start = System.nanoTime();
        for (long i = 0; i < 200_000; i++) {
            validation.accept(i);
        }
        return (System.nanoTime() - start) / 1e3 / 200_000;
    }

    /** "[1234, 1180, 1302]" for a row's label. */
    private static List<String> formatted(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** camel.main.configurationClasses as application.properties gives it, for the hand-written variant to extend. */
    private static String bridgeConfigurationClasses() throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("camel.main.configurationClasses").replace(" ", "");
    }

    /** Event i as the ingest route leaves it on a partner's queue: the bridge's own validator and envelope. */
    private static Message envelopedOrderEvent(Session session, long i) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        String body = ENVELOPE.wrap(VALIDATOR.validate(orderEvent(i), "order.completed"), headers);
        Message message = session.createTextMessage(body);
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            message.setObjectProperty(header.getKey(), header.getValue());
        }
        return message;
    }

    // 3. Events published at a fixed rate: publish -> partner received.
    private void outboundLatency() throws Exception {
        int rate = Integer.parseInt(options.getOrDefault("latency-rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("latency-seconds", "30"));
        Latencies latencies = new Latencies();
        Instant[] measured = new Instant[2];
        // Profiled, the recording holds every fsync of the broker's journal (not only those over 10 ms), to line
        // them up with the stalls below.
        Profile profile = new Profile("3", "file-threshold=0ms");
        try (profile) {
            untilJitQuiet("3 outbound latency", () -> {
                Latencies warmUp = new Latencies();
                sink.reset(warmUp);
                publishAtRate(rate, rate * WARM_UP_ROUND_SECONDS);
                waitFor(() -> warmUp.count() >= rate * WARM_UP_ROUND_SECONDS, Duration.ofMinutes(2), "latency warm-up");
            });
            profile.measureFromNow();
            sink.reset(latencies);
            measured[0] = Instant.now();
            publishAtRate(rate, rate * seconds);
            waitFor(() -> latencies.count() >= rate * seconds, Duration.ofMinutes(2), "latency run");
            measured[1] = Instant.now();
        }
        String label = "publish->partner at " + rate + "/s for " + seconds + " s";
        add("3 outbound latency", label + " p50", latencies.percentileMillis(50), "ms", "");
        add("3 outbound latency", label + " p99", latencies.percentileMillis(99), "ms", "<= 15");
        add("3 outbound latency", label + " max", latencies.percentileMillis(100), "ms", "");
        // What makes a p99 here: a few stalls that each hold up every event published during them, or a slow steady
        // state. Their times (this machine's clock) find them in a --profile=3 recording.
        List<Latencies.Stall> stalls = latencies.stalls(STALL_MILLIS, STALL_GAP_MILLIS);
        add("3 outbound latency", "stalls: events over " + (int) STALL_MILLIS + " ms published < "
                + (int) STALL_GAP_MILLIS + " ms apart", stalls.size(), "", "");
        add("3 outbound latency", "events held up by those stalls",
                stalls.stream().mapToInt(Latencies.Stall::events).sum(), "", "");
        stalls.stream().limit(5).forEach(stall -> System.out.printf(
                "  stall from %s: %d events published within %.3f s, the worst %.1f ms%n",
                stall.publishedFrom(), stall.events(), stall.seconds(), stall.worstMillis()));
        if (profile.file() != null) {
            JournalSyncs syncs = JournalSyncs.read(profile.file(), measured[0], measured[1]);
            add("3 outbound latency", "journal fsyncs over " + (int) SLOW_SYNC_MILLIS + " ms (profiled)",
                    syncs.countOver(SLOW_SYNC_MILLIS), "", "");
            List<Instant> stallStarts = stalls.stream().map(Latencies.Stall::publishedFrom).toList();
            add("3 outbound latency", "stalls with such an fsync in their first " + (int) SYNC_LOOK_AHEAD_MILLIS + " ms",
                    100 * syncs.shareNear(stallStarts, SLOW_SYNC_MILLIS, SYNC_LOOK_AHEAD_MILLIS), "%", "");
            add("3 outbound latency", "any instant with such an fsync in its next " + (int) SYNC_LOOK_AHEAD_MILLIS + " ms",
                    100 * syncs.shareOfTimeNear(SLOW_SYNC_MILLIS, SYNC_LOOK_AHEAD_MILLIS), "%", "");
        }
    }

    /**
     * An fsync this slow on an event's path (the publisher's durable send, the ingest's commit) holds it up; one that
     * starts up to the look-ahead after an event was published is still on its path (publish, ingest, batch commit).
     */
    private static final double SLOW_SYNC_MILLIS = 3;
    private static final double SYNC_LOOK_AHEAD_MILLIS = 12;

    /** The issue's p99 target; slower events published closer together than the gap count as one stall. */
    private static final double STALL_MILLIS = 15;
    private static final double STALL_GAP_MILLIS = 50;

    private void publishAtRate(int rate, int total) throws Exception {
        ActiveMQConnectionFactory factory = factory();
        try (Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue("chat.order.completed"))) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000)); // pacing the publisher, not a test wait
                }
                producer.send(grouped(session.createTextMessage(orderEvent(i)), i));
            }
        }
    }

    private static final int WARM_UP_ROUND_SECONDS = 5;

    /**
     * A drain measured on consumers that are already running and warm, as a bridge in production is: the queue is
     * paused in the broker, filled with a backlog, and resumed, first in rounds of --warm-up-round-events (default
     * 5,000) until the JIT is quiet (untilJitQuiet), then once with the --events that are measured. Measured cold
     * (the bridge started onto a full queue), C2 took 31 % of the bridge's CPU during phase 2b's drain, and the naive
     * route, a fraction of the code to compile, paid far less of that one-time cost. The rounds drain a backlog, as
     * the measured drain does, not a trickle: under a backlog the consumers take other paths (full batches), which
     * C2 would otherwise compile during the measurement.
     */
    private void warmDrain(String phase, String queue, MessageMaker maker, String profileKey) throws Exception {
        BrokerAdmin broker = brokerAdmin();
        try (Profile profile = new Profile(profileKey)) {
            warmUp(phase, broker, queue, maker);
            backlog(broker, queue, events, maker, true);
            profile.measureFromNow();
            waitFor(() -> sink.distinct() >= events, Duration.ofMinutes(15), phase);
        } finally {
            broker.close();
        }
    }

    private void warmUp(String phase, BrokerAdmin broker, String queue, MessageMaker maker) throws Exception {
        int roundEvents = Integer.parseInt(options.getOrDefault("warm-up-round-events", "5000"));
        untilJitQuiet(phase, () -> {
            backlog(broker, queue, roundEvents, maker, false);
            waitFor(() -> sink.distinct() >= roundEvents, Duration.ofMinutes(5), phase + " warm-up");
        });
    }

    /**
     * The bridge's own management client, to pause and resume queues: a backlog built under consumers that keep
     * running (restarting the bridge to stop them would throw away what its JIT compiled). One per phase: the
     * embedded broker goes down with each restart of the bridge.
     */
    private BrokerAdmin brokerAdmin() {
        return BrokerAdmin.external(brokerUrl, standalone ? StandaloneArtemis.USER : null, standalone ? StandaloneArtemis.PASSWORD : null);
    }

    /** count events on the queue at once, to consumers that were running all along; the sink counts from here on. */
    private void backlog(BrokerAdmin broker, String queue, int count, MessageMaker maker, boolean report) throws Exception {
        broker.pause(queue);
        fill(queue, count, maker, report);
        sink.reset(null);
        broker.resume(queue);
    }

    /**
     * A phase's own load first, not counted, in rounds of about 5 s, until the JIT compilers of the bridge and of this
     * process (the load's client) are quiet (under 5 % of a core during a round): under the Open API's load the
     * bridge's C2 threads compiled for about 45 s, and a phase measured before that swung 2x between runs of one
     * build. At most --warm-up-seconds (default 90); the output says how long it took.
     */
    private void untilJitQuiet(String phase, Phase round) throws Exception {
        int maxSeconds = Integer.parseInt(options.getOrDefault("warm-up-seconds", "90"));
        double quietMillisPerSecond = 50; // 5 % of one core
        long[] pids = {bridge.pid(), ProcessHandle.current().pid()};
        long start = System.nanoTime();
        int seconds = 0;
        boolean quiet = false;
        while (!quiet && seconds < maxSeconds) {
            long[] before = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                before[i] = JitActivity.compilerCpuMillis(pids[i]);
            }
            long roundStart = System.nanoTime();
            round.run();
            double roundSeconds = (System.nanoTime() - roundStart) / 1e9;
            seconds = (int) Math.round((System.nanoTime() - start) / 1e9);
            quiet = true;
            for (int i = 0; i < pids.length; i++) {
                quiet &= JitActivity.compilerCpuMillis(pids[i]) - before[i] < quietMillisPerSecond * roundSeconds;
            }
        }
        System.out.printf("  warmed up for about %d s: %s%n", seconds, quiet ? "JIT quiet" : "JIT still compiling, measuring anyway");
        add(phase, quiet ? "warm-up until the JIT was quiet" : "warm-up, JIT still compiling after it", seconds, "s", "");
    }

    // 4. POST /openapi/v1/messages from many keep-alive connections; every 202 must be on the queue.
    /**
     * 4: the Open API, every 202 durable. 4b: the same route and server answering 202 without the broker
     * (bench/routes/openapi-without-broker.yaml), so that the two rows show what HTTP and the checks cost and what the
     * broker adds.
     */
    private void openApi(int httpPort, String path, String phase, String profileKey) throws Exception {
        int connections = Integer.parseInt(options.getOrDefault("openapi-connections", "64"));
        int seconds = Integer.parseInt(options.getOrDefault("openapi-seconds", "20"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).build();
        URI uri = URI.create("http://127.0.0.1:" + httpPort + path);
        OpenApiLoad load = new OpenApiLoad(client, uri, connections, seconds);
        double elapsed;
        double busyPerRequest;
        try (Profile profile = new Profile(profileKey)) {
            untilJitQuiet(phase, () -> new OpenApiLoad(client, uri, connections, WARM_UP_ROUND_SECONDS).run(Phase::noop));
            drain("partner.messages");
            long busyAtStart = MachineCpu.busyMillis();
            profile.measureFromNow();
            elapsed = load.run(Phase::noop);
            busyPerRequest = (double) (MachineCpu.busyMillis() - busyAtStart) / (load.accepted.get() + load.other.get());
        }
        long queued = drain("partner.messages");
        add(phase, "accepted (202) with " + connections + " connections", load.accepted.get() / elapsed, "req/s", ">= 10,000");
        add(phase, "latency p50", load.latencies.percentileMillis(50), "ms", "");
        add(phase, "latency p99", load.latencies.percentileMillis(99), "ms", "");
        add(phase, "machine CPU per request (client included)", busyPerRequest, "ms", "");
        add(phase, "non-202 answers", load.other.get(), "requests", "0");
        if (path.startsWith("/openapi/")) {
            add(phase, "202s missing from partner.messages", load.accepted.get() - queued, "messages", "0");
        }
    }

    /** POSTs from many keep-alive connections for a given time, counting answers and their latency. */
    private static final class OpenApiLoad {
        final Latencies latencies = new Latencies();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        private final HttpClient client;
        private final URI uri;
        private final int connections;
        private final int seconds;
        private final List<Future<?>> done = new ArrayList<>();

        OpenApiLoad(HttpClient client, URI uri, int connections, int seconds) {
            this.client = client;
            this.uri = uri;
            this.connections = connections;
            this.seconds = seconds;
        }

        /** Starts the load, runs {@code whileRunning} (which must wait for it), returns the seconds it took. */
        double run(Phase whileRunning) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            long start = System.nanoTime();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                done.add(pool.submit(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        String body = "{\"visitorId\":\"bench-v-" + connection + "\",\"message\":{\"type\":\"text\",\"text\":\"Welcome back! #" + i++ + "\"}}";
                        long sent = System.nanoTime();
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        latencies.record(System.nanoTime() - sent);
                        (response.statusCode() == 202 ? accepted : other).incrementAndGet();
                    }
                    return null;
                }));
            }
            whileRunning.run();
            await();
            pool.shutdown();
            return (System.nanoTime() - start) / 1e9;
        }

        void await() throws Exception {
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    // 5. The plainest route from the docs: non-transacted jms -> http, defaults, same backlog size, warmed up the
    // same way as phases 2 and 2b.
    private void naiveBaseline() throws Exception {
        double rate;
        double cpu;
        try (DefaultCamelContext camel = naiveRoute()) {
            warmDrain("5 naive baseline", "bench.naive", text(Bench::orderEvent), "5");
            rate = events / sink.activeSeconds();
            cpu = sink.busyMillisSinceFirst() / events;
        }
        add("5 naive baseline", "jms -> http, defaults", rate, "events/s", "");
        add("5 naive baseline", CPU_PER_EVENT, cpu, "ms", "");
        rows.stream().filter(r -> r.phase().startsWith("2") && r.unit().equals("events/s")).findFirst()
                .ifPresent(bridgeRow -> rows.add(new Row("5 naive baseline", "bridge / naive", bridgeRow.value() / rate, "x",
                        ">= 1.0", Double.NaN, Double.NaN)));
        rows.stream().filter(r -> r.phase().equals("2 outbound drain") && r.metric().equals(CPU_PER_EVENT)).findFirst()
                .ifPresent(bridgeRow -> rows.add(new Row("5 naive baseline", "bridge / naive, CPU per event",
                        bridgeRow.value() / cpu, "x", "", Double.NaN, Double.NaN)));
    }

    /** The naive route, started, in this process: bench.naive -> the partner sink. */
    private DefaultCamelContext naiveRoute() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(factory()));
        String target = sink.url("/naive");
        // A lambda, not a RouteBuilder subclass: the bridge's package scan would pick up a subclass in tests.
        RouteBuilder.addRoutes(camel, routes -> routes.from("jms:queue:bench.naive").to(target));
        camel.start();
        return camel;
    }

    // 5p. The full path against the naive route by turns within this run, both warm: phases 2 and 5 run minutes
    // apart, and this VM's speed changes in that time (their ratio ranged 0.41-0.76x in runs of one build). Rounds of
    // one bridge drain and one naive drain of --pair-events each (default 20,000; --pair-rounds, default 3; who goes
    // first alternates), the ratio taken within each round.
    private void pairedWithNaive() throws Exception {
        String phase = "5p bridge vs naive";
        int rounds = Integer.parseInt(options.getOrDefault("pair-rounds", "3"));
        int pairEvents = Integer.parseInt(options.getOrDefault("pair-events", "20000"));
        MessageMaker maker = text(Bench::orderEvent);
        List<Double> bridgeRates = new ArrayList<>();
        List<Double> naiveRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        BrokerAdmin broker = brokerAdmin();
        try (DefaultCamelContext camel = naiveRoute()) {
            warmUp(phase, broker, "chat.order.completed", maker);
            warmUp(phase, broker, "bench.naive", maker);
            for (int round = 0; round < rounds; round++) {
                double bridgeRate = 0;
                double naiveRate = 0;
                for (String queue : round % 2 == 0 ? List.of("chat.order.completed", "bench.naive")
                        : List.of("bench.naive", "chat.order.completed")) {
                    backlog(broker, queue, pairEvents, maker, false);
                    waitFor(() -> sink.distinct() >= pairEvents, Duration.ofMinutes(15), "5p " + queue);
                    if (queue.equals("bench.naive")) {
                        naiveRate = pairEvents / sink.activeSeconds();
                    } else {
                        bridgeRate = pairEvents / sink.activeSeconds();
                    }
                }
                bridgeRates.add(bridgeRate);
                naiveRates.add(naiveRate);
                ratios.add(bridgeRate / naiveRate);
            }
        } finally {
            broker.close();
        }
        add(phase, "full path, median of " + rounds + " " + formatted(bridgeRates, "%.0f"), median(bridgeRates), "events/s", "");
        add(phase, "naive route, median of " + rounds + " " + formatted(naiveRates, "%.0f"), median(naiveRates), "events/s", "");
        add(phase, "ratio per round " + formatted(ratios, "%.2f") + ", median", median(ratios), "x", ">= 1.0");
    }

    // 6. A 1M-event backlog drains with flat memory (broker paging).
    private void bigBacklog() throws Exception {
        int big = Integer.parseInt(options.getOrDefault("big-events", "1000000"));
        bridge.stop();
        bridge.start(false);
        fill("chat.visitor.online", big, text(Bench::visitorEvent));
        bridge.stop();
        sink.reset(null);
        bridge.start(true);
        double[] max = new double[2]; // heap, RSS: sampled every 5 s while the backlog drains
        try {
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5)).until(() -> {
                max[0] = Math.max(max[0], bridge.heapUsedMiB());
                max[1] = Math.max(max[1], bridge.rssMiB());
                return sink.distinct() >= big;
            });
        } catch (ConditionTimeoutException e) {
            System.out.println("  1M backlog: not drained within 20 minutes; reporting what was");
        }
        double maxHeap = max[0];
        double maxRss = max[1];
        add("6 1M backlog", "drained " + sink.distinct() + " of " + big, big / sink.activeSeconds(), "events/s", "all");
        add("6 1M backlog", "max heap used while draining", maxHeap, "MiB", "flat");
        add("6 1M backlog", "max RSS while draining", maxRss, "MiB", "flat");
    }

    interface MessageMaker {
        Message make(Session session, long i) throws JMSException;
    }

    /** Event i as the chat system publishes it: the JSON, grouped by visitor. */
    private static MessageMaker text(LongFunction<String> body) {
        return (session, i) -> grouped(session.createTextMessage(body.apply(i)), i);
    }

    private void fill(String queue, int count, MessageMaker maker) throws Exception {
        fill(queue, count, maker, true);
    }

    /** Persistent sends in transactions of 500 from 4 threads. */
    private void fill(String queue, int count, MessageMaker maker, boolean report) throws Exception {
        ActiveMQConnectionFactory factory = factory();
        long start = System.nanoTime();
        int threads = 4;
        try (Connection connection = factory.createConnection()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                         MessageProducer producer = session.createProducer(session.createQueue(queue))) {
                        for (long i = thread; i < count; i += threads) {
                            producer.send(maker.make(session, i));
                            if (i / threads % 500 == 499) {
                                session.commit();
                            }
                        }
                        session.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        if (report) {
            System.out.printf("  filled %s with %,d events in %.1f s%n", queue, count, (System.nanoTime() - start) / 1e9);
        }
    }

    private long drain(String queue) throws Exception {
        long count = 0;
        try (Connection connection = factory().createConnection();
             Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            connection.start();
            while (consumer.receive(2000) != null) {
                count++;
            }
        }
        return count;
    }

    interface Condition {
        boolean met() throws Exception;
    }

    private void waitFor(Condition condition, Duration limit, String what) {
        long[] nextProgress = {System.nanoTime() + TimeUnit.SECONDS.toNanos(10)};
        await(what).atMost(limit).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (System.nanoTime() > nextProgress[0]) {
                System.out.printf("  %s: partner has %,d distinct of %,d requests so far%n", what, sink.distinct(), sink.requests());
                nextProgress[0] += TimeUnit.SECONDS.toNanos(10);
            }
            return condition.met();
        });
    }

    /** ~1 KiB order.completed event carrying the publisher's clock. */
    static String orderEvent(long i) {
        return "{\"id\":\"bench-o-" + i + "-" + System.nanoTime() + "\",\"type\":\"order.completed\",\"occurredAt\":\""
                + Instant.now() + "\",\"benchSentNanos\":" + System.nanoTime() + ",\"visitor\":{\"id\":\"" + visitorOf(i)
                + "\",\"name\":\"Bench Visitor\",\"email\":\"visitor@example.com\",\"language\":\"en\",\"country\":\"US\"},"
                + "\"order\":{\"id\":\"o-" + i + "\",\"number\":\"" + (100000 + i) + "\",\"total\":{\"amount\":\"129.90\",\"currency\":\"USD\"},"
                + "\"items\":[{\"sku\":\"TEA-01\",\"name\":\"Porcelain tea set, twelve pieces, hand painted\",\"quantity\":1,\"price\":\"89.90\"},"
                + "{\"sku\":\"TEA-02\",\"name\":\"Oolong tea, 250 g tin, spring harvest\",\"quantity\":2,\"price\":\"20.00\"},"
                + "{\"sku\":\"GIFT-1\",\"name\":\"Gift wrapping with handwritten card\",\"quantity\":1,\"price\":\"0.00\"}],"
                + "\"url\":\"https://shop.example.com/orders/" + (100000 + i) + "\"},"
                + "\"session\":{\"id\":\"s-" + i + "\",\"page\":\"https://shop.example.com/checkout/complete\","
                + "\"referrer\":\"https://shop.example.com/cart\",\"device\":\"desktop\"}}";
    }

    /**
     * The chat system sets the visitor as the message group, as the README asks of publishers that want more than
     * one ingest consumer: Artemis then keeps each visitor's events in order across consumers (--ingest-consumers).
     */
    private static Message grouped(Message message, long i) throws JMSException {
        message.setStringProperty("JMSXGroupID", visitorOf(i));
        return message;
    }

    /** Events i and i + 1000 share a visitor, in orderEvent and visitorEvent alike. */
    static String visitorOf(long i) {
        return "bench-v-" + (i % 1000);
    }

    /** A small visitor.online event, for the big backlog. */
    static String visitorEvent(long i) {
        return "{\"id\":\"bench-vo-" + i + "\",\"type\":\"visitor.online\",\"occurredAt\":\"" + Instant.now()
                + "\",\"visitor\":{\"id\":\"" + visitorOf(i) + "\"}}";
    }

    private void report() throws IOException {
        StringBuilder table = new StringBuilder();
        String format = "%-20s %-52s %14s %-9s %-10s %10s %10s%n";
        table.append(String.format(Locale.ROOT, format, "phase", "metric", "value", "unit", "target", "heap MiB", "RSS MiB"));
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, format, row.phase(), row.metric(),
                    String.format(Locale.ROOT, row.value() >= 100 ? "%,.0f" : "%,.2f", row.value()), row.unit(), row.target(),
                    String.format(Locale.ROOT, "%.0f", row.heapMiB()), String.format(Locale.ROOT, "%.0f", row.rssMiB())));
        }
        System.out.println();
        System.out.println("broker: " + (standalone ? "standalone Artemis 2.44.0 distribution, own process, TCP on 127.0.0.1"
                : "embedded Artemis 2.44.0 in the bridge process") + " (NIO journal); machine: "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.print(table);
        Path dir = RESULTS;
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("phase,metric,value,unit,target,heap_mib,rss_mib\n");
        StringBuilder json = new StringBuilder("[\n");
        for (Row row : rows) {
            csv.append(String.format(Locale.ROOT, "\"%s\",\"%s\",%.3f,%s,\"%s\",%.0f,%.0f%n", row.phase(), row.metric(), row.value(),
                    row.unit(), row.target(), row.heapMiB(), row.rssMiB()));
            json.append(String.format(Locale.ROOT, "  {\"phase\":\"%s\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"target\":\"%s\","
                    + "\"heapMiB\":%.0f,\"rssMiB\":%.0f},%n", row.phase(), row.metric(), row.value(), row.unit(), row.target(),
                    row.heapMiB(), row.rssMiB()));
        }
        json.setLength(json.length() - 2);
        json.append("\n]\n");
        Files.writeString(dir.resolve("bench-" + stamp + ".csv"), csv);
        Files.writeString(dir.resolve("bench-" + stamp + ".json"), json);
        System.out.println("written: " + dir.resolve("bench-" + stamp + ".{csv,json}"));
        for (ProfileSummary profile : profiles) {
            String summary = profile.table();
            System.out.println();
            System.out.print(summary);
            Files.writeString(dir.resolve("profile-" + stamp + "-phase-" + profile.phase() + ".txt"), summary);
        }
    }
}
