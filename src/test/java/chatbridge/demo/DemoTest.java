package chatbridge.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The demo a new user runs first, end to end in this JVM (the real bridge, broker, HTTP servers and JMS client): it
 * must close the loop for every event, print the whole story and stop everything it started.
 */
class DemoTest {
    /** What a user waits at most: bridge startup plus the demo's own 30 s bound, with room for a slow CI machine. */
    static final Duration BOUND = Duration.ofSeconds(90);

    record Run(DemoResult result, String trace, Duration took) {
        List<String> lines() {
            return trace.lines().toList();
        }
    }

    static Run run(DemoApplication demo, ByteArrayOutputStream buffer) {
        long start = System.nanoTime();
        DemoResult result = demo.run();
        return new Run(result, buffer.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }

    static ByteArrayOutputStream buffer() {
        return new ByteArrayOutputStream();
    }

    static PrintStream printer(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    @Test
    void everyEventGoesAllTheWayRoundAndTheDemoStopsByItself() {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        ByteArrayOutputStream buffer = buffer();
        Run run = run(new DemoApplication(printer(buffer), DemoApplication.DEFAULT_TIMEOUT), buffer);
        String trace = run.trace();

        assertEquals(0, run.result().exitCode(), trace);
        assertTrue(run.took().compareTo(BOUND) < 0, "took " + run.took());
        assertEquals(5, run.result().published(), trace);
        assertEquals(5, run.result().webhooksVerified(), trace);
        assertEquals(5, run.result().repliesAccepted(), trace);
        assertEquals(5, run.result().messagesQueued(), trace);
        List<String> lines = run.lines();
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.startsWith("demo: 5 events published, 5 webhooks verified, 5 replies accepted, "
                + "5 messages queued for the chat — all good"), summary);

        // Each event's four steps, in causal order.
        Matcher published = Pattern.compile("\\[chat] +published (\\S+) (evt-\\S+)").matcher(trace);
        int events = 0;
        while (published.find()) {
            events++;
            String id = published.group(2);
            int webhook = trace.indexOf("webhook " + id + " " + published.group(1) + " received (attempt 1): signature ok → 204");
            int reply = trace.indexOf("reply to " + id + " accepted by the Open API (202): msg_");
            int queued = trace.indexOf("(reply to " + id + "): ");
            assertTrue(published.start() < webhook && webhook < reply && reply < queued, id + " in order:\n" + trace);
        }
        assertEquals(5, events, trace);

        // Personalised, in the visitor's language, on the chat side too.
        assertTrue(trace.contains("message queued for v-1029 (reply to "), trace);
        assertTrue(trace.contains(": text \"欢迎回来，陈美！\""), trace);
        assertTrue(trace.contains(": text \"Welcome back, Ana!\""), trace);
        assertTrue(trace.contains(": text \"Welcome back, Lukas!\""), trace);
        assertTrue(trace.contains(": card \"Order 10042 confirmed\" · Total: USD 129.90. Thank you for your order! "
                + "· https://shop.example.com/orders/10042"), trace);
        assertTrue(trace.contains(": card \"订单 10043 已确认\" · 合计：CNY 899.00。感谢您的购买！ "
                + "· https://shop.example.com/orders/10043"), trace);

        assertFalse(trace.contains("whsec_"), "the signing secret is never printed");
        assertFalse(trace.contains("Bearer"), "the API key is never printed");

        // Nothing the demo started keeps the JVM alive (Netty's global executor idles out after a second).
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !threadsBefore.contains(t) && t.isAlive() && !t.isDaemon())
                .toList(), List::isEmpty);
    }

    @Test
    void aBrokenLoopEndsWithAFailedSummaryAndANonZeroStatus() {
        ByteArrayOutputStream buffer = buffer();
        Run run = run(new DemoApplication(printer(buffer), DemoApplication.DEFAULT_TIMEOUT).withWrongPartnerSecret(), buffer);
        String trace = run.trace();

        assertEquals(1, run.result().exitCode(), trace);
        assertEquals(5, run.result().published(), trace);
        assertEquals(0, run.result().webhooksVerified(), trace);
        // A rejected webhook ends the wait for its event at once: no waiting out the 30 s.
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
        assertTrue(trace.contains("REJECTED → 401: no v1 signature matches"), trace);
        List<String> lines = run.lines();
        String summary = lines.get(lines.size() - 1);
        assertEquals("demo: 5 events published, 0 webhooks verified, 0 replies accepted, 0 messages queued for the chat "
                + "— FAILED: 5 webhook(s) rejected by the partner", summary);
    }
}
