package chatbridge.demo;

import java.time.Duration;

/** How a demo run went: the counts of its summary line and the exit status. */
public record DemoResult(int published, int webhooksVerified, int repliesAccepted, int messagesQueued,
                         Duration elapsed, int exitCode) {
    /** Every published event was verified by the partner, answered, and its answer reached the chat system. */
    public boolean allGood() {
        return exitCode == 0;
    }
}
