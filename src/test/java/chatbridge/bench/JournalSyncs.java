package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

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
        return slowerThan(millis).size();
    }

    /** The share of the instants with an fsync over minMillis that runs at them or starts within lookAheadMillis. */
    double shareNear(List<Instant> instants, double minMillis, double lookAheadMillis) {
        return share(instants.stream().mapToLong(JournalSyncs::nanos), minMillis, lookAheadMillis);
    }

    /** The same share for every millisecond of the recorded time: what chance alone would give. */
    double shareOfTimeNear(double minMillis, double lookAheadMillis) {
        return share(LongStream.iterate(from, at -> at < to, at -> at + 1_000_000), minMillis, lookAheadMillis);
    }

    private double share(LongStream instants, double minMillis, double lookAheadMillis) {
        List<long[]> slow = slowerThan(minMillis);
        long lookAhead = (long) (lookAheadMillis * 1e6);
        return instants.mapToDouble(at -> slow.stream().anyMatch(sync -> sync[0] - lookAhead <= at && at <= sync[1]) ? 1 : 0)
                .average().orElse(Double.NaN);
    }

    private List<long[]> slowerThan(double millis) {
        return syncs.stream().filter(sync -> sync[1] - sync[0] > millis * 1e6).toList();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
