package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a JVM's JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...) have spent, from
 * /proc/&lt;pid&gt;/task. A phase measured while they still run measures the compiler: on this 2-core VM the bridge's
 * C2 threads took a quarter of the machine 30 s into the Open API's load and fell quiet only after about 45 s.
 */
final class JitActivity {
    private JitActivity() {
    }

    /** Compiler threads' CPU milliseconds so far, or -1 where /proc is not there (not Linux). */
    static long compilerCpuMillis(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.mapToLong(JitActivity::compilerTicks).sum() * MachineCpu.MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long compilerTicks(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (!name.contains("CompilerThre")) {
                return 0;
            }
            // After "(name) ": state, ppid, ... utime is the 12th field and stime the 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // a thread that ended meanwhile
        }
    }
}
