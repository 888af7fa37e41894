package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent busy (user, nice, system, irq, softirq from /proc/stat; not idle, I/O wait or
 * steal), in milliseconds. Divided by the events of a phase it is that phase's CPU cost per event, for every process
 * that took part (bridge, broker, sink, publisher). Time the VM's host took away (steal) is not in it, so it says what
 * a design costs where a rate also says how busy the host was; with both, a phase that is CPU-bound (rate x CPU per
 * event near the core count) is told from one that waits.
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");
    /** USER_HZ: /proc/stat and /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat count in 1/100 s on Linux. */
    static final long MILLIS_PER_TICK = 10;

    private MachineCpu() {
    }

    /** Busy milliseconds since boot, or -1 where /proc/stat is not there (not Linux). */
    static long busyMillis() {
        try {
            String cpu = Files.readAllLines(STAT).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = cpu.trim().split("\\s+");
            long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                    + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            return ticks * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
