package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The fsyncs of a JFR recording (jdk.FileForce; all of them when recorded with file-threshold=0ms): how many were
 * slow, and whether they line up with given instants more often than with any instant.
 */
final class JournalSyncs {
    private final List<long[]> syncs = new ArrayList<>(); // start and end, nanoseconds since the epoch
    private final long from;
    private final long to;

    private JournalSyncs(long from, long to) {
        this.from = from;
        this.to = to;
    }

    static JournalSyncs read(Path recording, Instant from, Instant to) throws IOException {
        JournalSyncs journal = new JournalSyncs(nanos(from), nanos(to));
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.FileForce")) {
                    long start = nanos(event.getStartTime());
                    if (start >= journal.from && start <= journal.to) {
                        journal.syncs.add(new long[] {start, start + event.getDuration().toNanos()});
                    }
                }
            }
        }
        return journal;
    }

    int countOver(double millis) {
        return (int) syncs.stream().filter(sync -> sync[1] - sync[0] > millis * 1e6).count();
    }

    /** The share of the instants with an fsync over minMillis that runs at them or starts within lookAheadMillis. */
    double shareNear(List<Instant> instants, double minMillis, double lookAheadMillis) {
        List<long[]> slow = slowerThan(minMillis);
        return instants.isEmpty() ? Double.NaN : (double) instants.stream().map(JournalSyncs::nanos)
                .filter(at -> slow.stream().anyMatch(sync -> sync[0] - lookAheadMillis * 1e6 <= at && at <= sync[1]))
                .count() / instants.size();
    }

    /** The same share for every millisecond of the recorded time: what chance alone would give. */
    double shareOfTimeNear(double minMillis, double lookAheadMillis) {
        List<long[]> slow = slowerThan(minMillis);
        long hits = 0;
        long all = 0;
        for (long at = from; at < to; at += 1_000_000) {
            all++;
            long instant = at;
            if (slow.stream().anyMatch(sync -> sync[0] - lookAheadMillis * 1e6 <= instant && instant <= sync[1])) {
                hits++;
            }
        }
        return all == 0 ? Double.NaN : (double) hits / all;
    }

    private List<long[]> slowerThan(double millis) {
        return syncs.stream().filter(sync -> sync[1] - sync[0] > millis * 1e6).toList();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
