package chatbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed deliveries in the log, per partner: the first failure after a quiet spell is logged at once, in full; the
 * ones after it are counted and summarised once per interval (how many, by reason, and the last one), so a partner's
 * outage writes a line a minute instead of one per event per attempt. An interval without failures ends the spell.
 */
public class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

    private static final class Spell {
        Instant since;
        int count;
        final Map<String, Integer> byReason = new TreeMap<>();
        String last;
    }

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Spell> spells = new ConcurrentHashMap<>();

    public FailureLog(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * A delivery to the partner failed for good this try (no quick retry follows it).
     *
     * @return whether it was logged now (the first of a spell) rather than counted for the next summary
     */
    public boolean failed(String partner, String reason, String line) {
        boolean first;
        Spell spell = spells.computeIfAbsent(partner, p -> new Spell());
        synchronized (spell) {
            first = spell.since == null;
            if (first) {
                spell.since = clock.instant();
            } else {
                spell.count++;
                spell.byReason.merge(reason, 1, Integer::sum);
                spell.last = line;
            }
        }
        if (first) {
            LOG.warn(line);
        }
        return first;
    }

    /**
     * Once a second (route partner-controls): each partner whose interval is over gets its summary line, or, if
     * nothing failed in it, its spell ends.
     *
     * @return the summary lines written now
     */
    public List<String> summarize() {
        Instant now = clock.instant();
        List<String> written = new ArrayList<>();
        spells.forEach((partner, spell) -> {
            synchronized (spell) {
                if (spell.since == null || Duration.between(spell.since, now).compareTo(interval) < 0) {
                    return;
                }
                if (spell.count == 0) {
                    spells.remove(partner);
                    return;
                }
                String summary = "Partner " + partner + ": " + spell.count + " more failed deliveries in the last "
                        + Duration.between(spell.since, now).toSeconds() + " s " + spell.byReason + "; last: " + spell.last;
                LOG.warn(summary);
                written.add(summary);
                spell.since = now;
                spell.count = 0;
                spell.byReason.clear();
                spell.last = null;
            }
        });
        return written;
    }
}
