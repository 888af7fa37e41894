package chatbridge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Latency samples in nanoseconds, with the System.nanoTime at which each event was published; percentiles in
 * milliseconds, and the stalls behind a high percentile: runs of slow events published close together.
 */
final class Latencies {
    /** System.nanoTime and the wall clock of this process, to name a stall's time in a JFR recording. */
    private static final long WALL_NANOS_MINUS_NANO_TIME = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private long[] samples = new long[1 << 16];
    private long[] sentAt = new long[1 << 16];
    private int count;

    synchronized void record(long nanos) {
        record(nanos, 0);
    }

    synchronized void record(long nanos, long sentNanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
            sentAt = Arrays.copyOf(sentAt, count * 2);
        }
        sentAt[count] = sentNanos;
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Events slower than thresholdMillis, published less than gapMillis apart, as one stall. */
    record Stall(Instant publishedFrom, double seconds, int events, double worstMillis) {
    }

    /** The stalls (runs of events over thresholdMillis), the longest-waiting first. */
    synchronized List<Stall> stalls(double thresholdMillis, double gapMillis) {
        List<long[]> slow = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (samples[i] > thresholdMillis * 1e6 && sentAt[i] != 0) {
                slow.add(new long[] {sentAt[i], samples[i]});
            }
        }
        slow.sort(Comparator.comparingLong(s -> s[0]));
        List<Stall> stalls = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= slow.size(); i++) {
            if (i == slow.size() || slow.get(i)[0] - slow.get(i - 1)[0] > gapMillis * 1e6) {
                long worst = 0;
                for (int j = start; j < i; j++) {
                    worst = Math.max(worst, slow.get(j)[1]);
                }
                long from = slow.get(start)[0];
                stalls.add(new Stall(wallClock(from), (slow.get(i - 1)[0] - from) / 1e9, i - start, worst / 1e6));
                start = i;
            }
        }
        stalls.sort(Comparator.comparingDouble(Stall::worstMillis).reversed());
        return stalls;
    }

    private static Instant wallClock(long nanoTime) {
        long wall = nanoTime + WALL_NANOS_MINUS_NANO_TIME;
        return Instant.ofEpochSecond(wall / 1_000_000_000L, wall % 1_000_000_000L);
    }
}
