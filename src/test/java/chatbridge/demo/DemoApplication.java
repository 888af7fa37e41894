package chatbridge.demo;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import chatbridge.testing.BridgeRunner;

/**
 * The whole loop in one command, on the embedded broker: a simulated chat system publishes a few events, the real
 * bridge delivers them as signed webhooks to a simulated partner, the partner answers each through the Open API,
 * and the answers arrive on partner.messages. Every step is printed; the last line is the verdict. Stops by itself.
 *
 * <pre>java -cp target/chat-bridge.jar:target/test-classes chatbridge.demo.DemoApplication</pre>
 * (from the project directory: the bridge reads routes/*.yaml from there, like the production jar).
 */
public final class DemoApplication {
    /** How long the events may take to go round once the bridge is up; a few hundred milliseconds is normal. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final String PARTNER_ID = "demo-shop";

    private final PrintStream out;
    private final Duration timeout;
    private boolean partnerGetsWrongSecret;

    public DemoApplication(PrintStream out, Duration timeout) {
        this.out = out;
        this.timeout = timeout;
    }

    /** Breaks the loop on purpose (for the test that a broken loop fails): the partner verifies with another secret. */
    DemoApplication withWrongPartnerSecret() {
        partnerGetsWrongSecret = true;
        return this;
    }

    public static void main(String... args) {
        // Before anything logs: the trace is the demo's output, the bridge's INFO logs would bury it.
        System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml, before the first logger is made
        DemoResult result = new DemoApplication(utf8Stdout(), DEFAULT_TIMEOUT).run();
        if (result.exitCode() != 0) {
            System.exit(result.exitCode());
        }
        // Success returns normally: the JVM ends because every thread the demo started has ended.
    }

    public DemoResult run() {
        Journal journal = new Journal(out);
        if (!Files.isDirectory(Path.of("routes"))) {
            journal.summary("demo: run it from the chat-bridge directory: the bridge reads its flows from routes/*.yaml");
            return new DemoResult(0, 0, 0, 0, journal.elapsed(), 2);
        }
        out.println("chat-bridge demo: a simulated chat system publishes events; the bridge delivers them as signed");
        out.println("webhooks to a simulated partner, which answers through the Open API; the answers come back to");
        out.println("the chat system on partner.messages.");
        out.println();

        // Fresh for every run and never printed: nothing to leak, nothing to collide with.
        String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
        String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("chat-bridge-demo");
        } catch (IOException e) {
            journal.summary("demo: cannot create a temporary directory: " + e.getMessage());
            return new DemoResult(0, 0, 0, 0, journal.elapsed(), 2);
        }

        BridgeRunner bridge = new BridgeRunner(dataDir);
        String openApiUrl = "http://127.0.0.1:" + bridge.httpPort();
        PartnerSimulator partner = null;
        ChatSystemSimulator chat = null;
        List<String> problems = new ArrayList<>();
        try {
            String partnerSecret = partnerGetsWrongSecret
                    ? "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32)) : webhookSecret;
            partner = new PartnerSimulator(0, partnerSecret, apiKey, URI.create(openApiUrl), journal).start();
            journal.demo("partner simulator listening on " + partner.webhookUrl() + " (verifies every signature)");
            journal.demo("starting chat-bridge: embedded Artemis in a temporary directory, partner '"
                    + PARTNER_ID + "' subscribed to every event type ...");
            bridge.set("chatbridge.broker.embedded.acceptor", bridge.brokerUrl() + "?protocols=CORE")
                    .set("chatbridge.partner.id", PARTNER_ID)
                    .set("chatbridge.partner.webhook-url", partner.webhookUrl())
                    .set("chatbridge.partner.webhook-secret", webhookSecret)
                    .set("chatbridge.partner.api-key", apiKey)
                    .set("chatbridge.partner.events", "")
                    // Partner messages stay on partner.messages for the chat-system simulator to read.
                    .set("chatbridge.openapi.queue", ChatSystemSimulator.PARTNER_MESSAGES)
                    .start();
            journal.demo("chat-bridge is up: broker " + bridge.brokerUrl() + ", Open API " + openApiUrl);
            chat = new ChatSystemSimulator(bridge.brokerUrl(), journal);
            journal.demo("chat-system simulator connected to the broker, reading " + ChatSystemSimulator.PARTNER_MESSAGES);
            out.println();

            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> published = new ArrayList<>();
            for (Function<Instant, DemoEvents.DemoEvent> next : DemoEvents.script()) {
                DemoEvents.DemoEvent event = next.apply(Instant.now());
                chat.publish(event);
                published.add(event.id());
                // One event at a time, so each one's story reads as a block; a lost one only costs the deadline.
                journal.awaitDone(event.id(), deadline);
            }
            for (String id : published) {
                journal.awaitDone(id, deadline);
            }
            out.println();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        } catch (Exception e) {
            problems.add("the demo stopped early: " + explain(e));
        } finally {
            problems.addAll(stop(chat, partner, bridge, journal));
            deleteQuietly(dataDir);
        }
        return verdict(journal, problems);
    }

    private DemoResult verdict(Journal journal, List<String> problems) {
        int published = journal.published();
        int verified = journal.webhooksVerified();
        int replied = journal.repliesAccepted();
        int queued = journal.messagesQueued();
        boolean allGood = problems.isEmpty() && published == DemoEvents.script().size() && verified == published
                && replied == published && queued == published && journal.rejectedWebhooks() == 0
                && journal.failedReplies() == 0;
        if (journal.rejectedWebhooks() > 0) {
            problems.add(journal.rejectedWebhooks() + " webhook(s) rejected by the partner");
        }
        if (journal.failedReplies() > 0) {
            problems.add(journal.failedReplies() + " reply(ies) refused by the Open API");
        }
        List<String> stuck = journal.stuck();
        if (!stuck.isEmpty()) {
            problems.add("not round within " + timeout.toSeconds() + " s: " + String.join("; ", stuck));
        }
        Duration elapsed = journal.elapsed();
        String counts = "demo: %d events published, %d webhooks verified, %d replies accepted, %d messages queued for the chat"
                .formatted(published, verified, replied, queued);
        journal.summary(allGood
                ? counts + " — all good (%.1f s)".formatted(elapsed.toMillis() / 1000.0)
                : counts + " — FAILED: " + String.join("; ", problems));
        return new DemoResult(published, verified, replied, queued, elapsed, allGood ? 0 : 1);
    }

    /** The simulators first, then the bridge: the chat system's JMS client must close before the broker it uses. */
    private static List<String> stop(ChatSystemSimulator chat, PartnerSimulator partner, BridgeRunner bridge, Journal journal) {
        List<String> problems = new ArrayList<>();
        long started = System.nanoTime();
        if (chat != null) {
            chat.close();
        }
        if (partner != null) {
            partner.close();
        }
        try {
            bridge.close();
        } catch (Exception e) {
            problems.add("the bridge did not stop cleanly: " + explain(e));
        }
        journal.demo("stopped the chat system, the partner and the bridge in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return problems;
    }

    /** The exception and its root cause: Camel wraps the one that says what is wrong (a port in use, say). */
    private static String explain(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (cause: " + root + ")";
    }

    static PrintStream utf8Stdout() {
        // Java 17 would encode for the platform's locale and print 欢迎 as "??" under LANG=C.
        return new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
