package chatbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A partner's webhook endpoint on 127.0.0.1: records every request and answers as the test tells it to.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** What the partner answers. delayMillis > 0 answers late (to provoke timeouts). */
    public record Reply(int status, Map<String, String> headers, long delayMillis) {
        public static Reply ok() {
            return new Reply(204, Map.of(), 0);
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0);
        }
    }

    /** One request as received: headers with lower-case names. */
    public record Request(Instant receivedAt, String method, String path, Map<String, String> headers, byte[] body, int attemptForId) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String webhookId() {
            return header("webhook-id");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    // Not copy-on-write: the fault suite records a million requests.
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean keepBodies = true;
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private final Map<String, Boolean> answeredWith2xx = new ConcurrentHashMap<>();
    private volatile Function<Request, Reply> responder = request -> Reply.ok();
    private volatile long latencyMillis;

    public WebhookReceiver() {
        this(0);
    }

    /** Listens on the given port, e.g. to bring up a partner that was unreachable. */
    public WebhookReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/chat";
    }

    /** Decides the answer per request; {@link Request#attemptForId()} counts requests per webhook-id from 1. */
    public void respondWith(Function<Request, Reply> responder) {
        this.responder = responder;
    }

    /**
     * Every answer from now on comes this long after the request: the partner's own processing time, still in time
     * (unlike {@link Reply#delayMillis()}, which the fault suite uses to outlast the bridge's timeout). With it, the
     * bridges' concurrency rather than the CPU limits how fast a partner is served.
     */
    public void latency(Duration latency) {
        this.latencyMillis = latency.toMillis();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public List<Request> requestsFor(String webhookId) {
        return requests().stream().filter(r -> webhookId.equals(r.webhookId())).toList();
    }

    /** Records requests without their bodies from now on (the responder still sees them): for big backlogs. */
    public void forgetBodies() {
        keepBodies = false;
    }

    public int acknowledgedCount() {
        return answeredWith2xx.size();
    }

    /** webhook-ids this partner acknowledged with a 2xx in time. */
    public java.util.Set<String> acknowledgedIds() {
        return java.util.Set.copyOf(answeredWith2xx.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        String id = headers.getOrDefault("webhook-id", "");
        int attempt = attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        Request request = new Request(Instant.now(), exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                headers, body, attempt);
        Reply reply = responder.apply(request);
        requests.add(keepBodies ? request : new Request(request.receivedAt(), request.method(), request.path(),
                Map.of("webhook-id", id), new byte[0], attempt));
        long delay = reply.delayMillis() + latencyMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay); // the partner being slow is the behaviour under test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), -1);
        exchange.close();
        if (reply.status() >= 200 && reply.status() < 300 && reply.delayMillis() == 0) {
            answeredWith2xx.put(id, true);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
