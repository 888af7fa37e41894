package chatbridge.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A partner application as chat-bridge expects one: receives the signed webhooks, verifies them, acknowledges
 * quickly (204) and answers afterwards through the Open API, with an Idempotency-Key derived from the webhook-id
 * so a redelivered webhook never produces a second message.
 *
 * <p>Runs inside {@link DemoApplication}, or on its own against a running bridge (see {@link #main}).
 */
public final class PartnerSimulator implements AutoCloseable {
    private static final Duration SIGNATURE_TOLERANCE = Duration.ofMinutes(5);
    private static final int OPEN_API_TRIES = 3;

    private final WebhookVerifier verifier;
    private final String apiKey;
    private final URI messagesEndpoint;
    private final Journal journal;
    private final HttpServer server;
    private final ExecutorService requestThreads = Executors.newFixedThreadPool(4);
    // One reply at a time, in the order the webhooks came: the partner's answers stay in event order.
    private final ExecutorService replyThread = Executors.newSingleThreadExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    /**
     * @param port        0 for any free port
     * @param openApiBase the bridge's Open API, e.g. {@code http://127.0.0.1:8080}
     */
    /** Print each webhook's body too (PRINT_BODIES=true; the partner's own view, so payloads may be shown). */
    private boolean printBodies;

    PartnerSimulator printBodies(boolean print) {
        this.printBodies = print;
        return this;
    }

    PartnerSimulator(int port, String webhookSecret, String apiKey, URI openApiBase, Journal journal) {
        this.verifier = new WebhookVerifier(webhookSecret, SIGNATURE_TOLERANCE, Clock.systemUTC());
        this.apiKey = apiKey;
        this.messagesEndpoint = openApiBase.resolve("/openapi/v1/messages");
        this.journal = journal;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("the partner simulator cannot listen on port " + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(requestThreads);
    }

    PartnerSimulator start() {
        server.start();
        return this;
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/chat";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            try {
                verifier.verify(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body);
            } catch (WebhookVerifier.Rejected e) {
                exchange.sendResponseHeaders(401, -1);
                journal.webhookRejected(id, 401, e.getMessage());
                return;
            }
            JsonNode payload;
            try {
                payload = PartnerReplies.JSON.readTree(body);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                journal.webhookRejected(id, 400, "the body is not JSON");
                return;
            }
            int attempt = attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            // Acknowledge first, work afterwards: a slow answer would make the bridge retry.
            exchange.sendResponseHeaders(204, -1);
            if (handled.add(id)) {
                journal.webhookVerified(id, payload.path("type").asText(), attempt, 204);
                if (printBodies) {
                    journal.webhookBody(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                }
                replyThread.execute(() -> reply(id, payload));
            } else {
                journal.webhookRepeated(id, attempt);
            }
        }
    }

    private void reply(String webhookId, JsonNode payload) {
        PartnerReplies.Reply reply = PartnerReplies.replyTo(webhookId, payload);
        if (reply == null) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(messagesEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                // The same key for every try: the bridge answers a retried request with the first message's id.
                .header("Idempotency-Key", "reply-" + webhookId)
                .POST(HttpRequest.BodyPublishers.ofString(reply.request().toString(), StandardCharsets.UTF_8))
                .build();
        for (int tryNumber = 1; ; tryNumber++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                JsonNode answer = readJson(response.body());
                if (response.statusCode() == 202) {
                    journal.replyAccepted(webhookId, 202, answer.path("id").asText("?"), reply.description());
                } else {
                    // problem+json: title and detail say what was wrong; request headers are never echoed.
                    journal.replyFailed(webhookId, "HTTP " + response.statusCode() + " "
                            + answer.path("title").asText("") + ": " + answer.path("detail").asText(response.body()));
                }
                return;
            } catch (IOException e) {
                if (tryNumber >= OPEN_API_TRIES) {
                    journal.replyFailed(webhookId, "Open API unreachable after " + tryNumber + " tries: " + e);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return PartnerReplies.JSON.readTree(body);
        } catch (IOException e) {
            return PartnerReplies.JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        requestThreads.shutdownNow();
        replyThread.shutdown();
        try {
            if (!replyThread.awaitTermination(5, TimeUnit.SECONDS)) {
                replyThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            replyThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The partner on its own, for trying the bridge by hand (README, "Drop an event by hand"). Settings come from
     * the same variables the bridge reads, so one set of exports configures both:
     * PARTNER_WEBHOOK_SECRET and PARTNER_API_KEY (required), PARTNER_PORT (default 18080), OPENAPI_URL
     * (default http://127.0.0.1:8080) and PRINT_BODIES (true: print each webhook's body). Runs until stopped with Ctrl-C.
     */
    public static void main(String... args) {
        System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml, before the first logger is made
        PrintStream out = DemoApplication.utf8Stdout();
        String secret = System.getenv("PARTNER_WEBHOOK_SECRET");
        String key = System.getenv("PARTNER_API_KEY");
        if (secret == null || secret.isBlank() || key == null || key.isBlank()) {
            out.println("Set PARTNER_WEBHOOK_SECRET (whsec_...) and PARTNER_API_KEY, the same values the bridge gets.");
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PARTNER_PORT", "18080"));
        URI openApi = URI.create(System.getenv().getOrDefault("OPENAPI_URL", "http://127.0.0.1:8080"));
        Journal journal = new Journal(out);
        PartnerSimulator partner = new PartnerSimulator(port, secret.trim(), key.trim(), openApi, journal)
                .printBodies(Boolean.parseBoolean(System.getenv("PRINT_BODIES"))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(partner::close));
        journal.demo("partner simulator listening on " + partner.webhookUrl() + ", replying through " + openApi
                + " (Ctrl-C stops it)");
        // The HTTP server's dispatcher thread keeps the JVM running.
    }
}
