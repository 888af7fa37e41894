package chatbridge.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo prints and counts. Every simulator reports its steps here; each step becomes one trace line, and
 * the demo waits on the counts to know when the loop is closed for every event.
 *
 * <p>The 202 to the partner and the message reaching the chat system race each other (the message is on the
 * broker before the 202 is sent), so a chat-side line that arrives first is held until the partner's line for
 * the same event is printed: each event's story reads in causal order.
 */
final class Journal {
    /** The steps one event has gone through. */
    private static final class Steps {
        final String label;
        boolean published;
        boolean webhookVerified;
        boolean replyAccepted;
        boolean messageQueued;
        /** The partner refused the webhook or the Open API refused the reply: no point waiting for it. */
        boolean failed;
        final List<String> heldChatLines = new ArrayList<>();

        Steps(String label) {
            this.label = label;
        }

        boolean done() {
            return webhookVerified && replyAccepted && messageQueued;
        }
    }

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final Map<String, Steps> events = new LinkedHashMap<>();
    private int rejectedWebhooks;
    private int failedReplies;

    Journal(PrintStream out) {
        this.out = out;
    }

    // --- what the simulators report ---------------------------------------------------------------------------

    synchronized void published(String eventId, String label, String queue) {
        events.computeIfAbsent(eventId, id -> new Steps(label)).published = true;
        line("chat", "published " + label + " on " + queue);
    }

    synchronized void webhookVerified(String eventId, String type, int attempt, int status) {
        steps(eventId).webhookVerified = true;
        line("partner", "webhook " + eventId + " " + type + " received (attempt " + attempt + "): signature ok → "
                + status);
        notifyAll();
    }

    /** The body as received, for trying transforms by hand (PartnerSimulator with PRINT_BODIES=true). */
    synchronized void webhookBody(String body) {
        line("partner", "  body: " + body);
    }

    synchronized void webhookRejected(String eventId, int status, String reason) {
        rejectedWebhooks++;
        steps(String.valueOf(eventId)).failed = true;
        line("partner", "webhook " + eventId + " REJECTED → " + status + ": " + reason);
        notifyAll();
    }

    synchronized void webhookRepeated(String eventId, int attempt) {
        line("partner", "webhook " + eventId + " received again (attempt " + attempt + "): signature ok → 204; "
                + "already handled, no second reply");
    }

    synchronized void replyAccepted(String eventId, int status, String messageId, String what) {
        Steps steps = steps(eventId);
        steps.replyAccepted = true;
        line("partner", "reply to " + eventId + " accepted by the Open API (" + status + "): " + messageId + ", " + what);
        steps.heldChatLines.forEach(held -> line("chat", held));
        steps.heldChatLines.clear();
        notifyAll();
    }

    synchronized void replyFailed(String eventId, String why) {
        failedReplies++;
        Steps steps = steps(eventId);
        steps.failed = true;
        line("partner", "reply to " + eventId + " FAILED: " + why);
        // The message may be queued even so (the 202 was lost on the way back): still show that it arrived.
        steps.heldChatLines.forEach(held -> line("chat", held));
        steps.heldChatLines.clear();
        notifyAll();
    }

    synchronized void messageQueued(String inReplyTo, String text) {
        Steps steps = inReplyTo == null ? null : events.get(inReplyTo);
        if (steps == null) {
            line("chat", text);
            return;
        }
        steps.messageQueued = true;
        if (steps.replyAccepted) {
            line("chat", text);
        } else {
            steps.heldChatLines.add(text);
        }
        notifyAll();
    }

    synchronized void demo(String text) {
        line("demo", text);
    }

    /** The last line: no time stamp, so it reads as the verdict. */
    synchronized void summary(String text) {
        out.println(text);
        out.flush();
    }

    // --- what the demo waits on -------------------------------------------------------------------------------

    /** Waits until the event has gone all the way round, failed, or the deadline passes. */
    synchronized boolean awaitDone(String eventId, long deadlineNanos) throws InterruptedException {
        while (!steps(eventId).done() && !steps(eventId).failed) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Duration.ofNanos(left).toMillis()));
        }
        return steps(eventId).done();
    }

    synchronized int published() {
        return (int) events.values().stream().filter(s -> s.published).count();
    }

    synchronized int webhooksVerified() {
        return (int) events.values().stream().filter(s -> s.webhookVerified).count();
    }

    synchronized int repliesAccepted() {
        return (int) events.values().stream().filter(s -> s.replyAccepted).count();
    }

    synchronized int messagesQueued() {
        return (int) events.values().stream().filter(s -> s.messageQueued).count();
    }

    synchronized int rejectedWebhooks() {
        return rejectedWebhooks;
    }

    synchronized int failedReplies() {
        return failedReplies;
    }

    /** Events that neither made it round nor failed (those are counted already), with the last step reached. */
    synchronized List<String> stuck() {
        List<String> stuck = new ArrayList<>();
        events.forEach((id, steps) -> {
            if (!steps.done() && !steps.failed) {
                String reached = steps.replyAccepted ? "reply accepted, not seen on partner.messages"
                        : steps.webhookVerified ? "webhook verified, no reply accepted"
                        : "published, no verified webhook";
                stuck.add(steps.label + ": " + reached);
            }
        });
        return stuck;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private Steps steps(String eventId) {
        // A webhook for an event this JVM did not publish (the partner simulator run on its own) still counts.
        return events.computeIfAbsent(eventId, Steps::new);
    }

    private void line(String who, String text) {
        long millis = elapsed().toMillis();
        out.printf("%4d.%03ds  %-9s %s%n", millis / 1000, millis % 1000, "[" + who + "]", text);
        out.flush();
    }
}
