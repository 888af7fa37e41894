package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the bridge's CPU went during a phase, from a JFR recording's execution samples: each sample is charged to
 * the innermost frame that is not the JDK's own (a HashMap.get inside Camel's header mapping counts as Camel's), and
 * grouped by the kind of thread that took it. The shares in bench/RESULTS.md were read this way.
 */
final class ProfileSummary {
    /** Package prefixes, most specific first: the first that matches a frame names its component. */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {"org.apache.camel.component.jms.", "Camel JMS binding"},
            new String[] {"org.springframework.", "Camel JMS binding"},
            new String[] {"org.apache.camel.component.micrometer.", "Micrometer"},
            new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"org.apache.camel.component.http.", "camel-http"},
            new String[] {"org.apache.camel.http.", "camel-http"},
            new String[] {"org.apache.hc.", "Apache HttpClient"},
            new String[] {"org.apache.camel.component.platform.http.", "Vert.x / Netty"},
            new String[] {"io.vertx.", "Vert.x / Netty"},
            new String[] {"io.netty.", "Vert.x / Netty"},
            new String[] {"com.fasterxml.jackson.", "Jackson"},
            new String[] {"org.apache.activemq.artemis.", "Artemis"},
            new String[] {"org.messaginghub.pooled.jms.", "Artemis"},
            new String[] {"chatbridge.", "chat-bridge code"},
            new String[] {"org.apache.camel.", "Camel core"},
            new String[] {"org.slf4j.", "logging"},
            new String[] {"org.apache.logging.", "logging"});
    private static final String[] THREADS = {"ingest", "delivery", "open api", "broker", "other"};

    private final String phase;
    private final Map<String, long[]> samples = new TreeMap<>();
    private final long[] totals = new long[THREADS.length];

    private ProfileSummary(String phase) {
        this.phase = phase;
    }

    String phase() {
        return phase;
    }

    /** @param from samples before it (the phase's warm-up) are left out */
    static ProfileSummary read(String phase, Path recording, Instant from) throws IOException {
        ProfileSummary summary = new ProfileSummary(phase);
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null
                    && !event.getStartTime().isBefore(from)) {
                int thread = threadKind(event.getThread("sampledThread").getJavaName());
                summary.samples.computeIfAbsent(component(event.getStackTrace().getFrames()), c -> new long[THREADS.length])[thread]++;
                summary.totals[thread]++;
            }
        }
        return summary;
    }

    private static int threadKind(String name) {
        if (name == null) {
            return 4;
        }
        if (name.contains("JmsConsumer[chat.")) {
            return 0;
        }
        if (name.contains("JmsConsumer[webhook.")) {
            return 1;
        }
        if (name.startsWith("vert.x")) {
            return 2;
        }
        // The embedded broker's threads (journal, paging, in-VM and Netty transport) and the Artemis client's.
        if (name.contains("ActiveMQ") || name.contains("activemq") || name.contains("Artemis") || name.startsWith("Thread-")) {
            return 3;
        }
        return 4;
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            for (String[] component : COMPONENTS) {
                if (type.startsWith(component[0])) {
                    return component[1];
                }
            }
            return "other libraries";
        }
        return "JDK only (GC, JIT, idle I/O)";
    }

    /** A table: per thread kind, its share of all samples, then each component's share of that thread kind. */
    String table() {
        long all = sum(totals);
        StringBuilder out = new StringBuilder();
        String format = "%-30s" + " %10s".repeat(THREADS.length) + "%n";
        out.append(String.format(Locale.ROOT, "profile of phase %s: %,d execution samples (JFR, settings=profile)%n", phase, all));
        Object[] header = new Object[THREADS.length + 1];
        header[0] = "component \\ threads";
        System.arraycopy(THREADS, 0, header, 1, THREADS.length);
        out.append(String.format(Locale.ROOT, format, header));
        Object[] shares = new Object[THREADS.length + 1];
        shares[0] = "share of all samples";
        for (int t = 0; t < THREADS.length; t++) {
            shares[t + 1] = percent(totals[t], all);
        }
        out.append(String.format(Locale.ROOT, format, shares));
        List<Map.Entry<String, long[]>> busiestFirst = samples.entrySet().stream()
                .sorted((a, b) -> Long.compare(sum(b.getValue()), sum(a.getValue()))).toList();
        for (Map.Entry<String, long[]> row : busiestFirst) {
            Object[] cells = new Object[THREADS.length + 1];
            cells[0] = row.getKey();
            for (int t = 0; t < THREADS.length; t++) {
                cells[t + 1] = percent(row.getValue()[t], totals[t]);
            }
            out.append(String.format(Locale.ROOT, format, cells));
        }
        return out.toString();
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * part / whole);
    }
}
