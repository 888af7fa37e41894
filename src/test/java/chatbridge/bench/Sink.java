package chatbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The partner side of the benchmark: answers 204 at once and records, per request, the webhook-id (to count
 * distinct deliveries and duplicates), the arrival time, and the publish-to-arrival latency when the event carries
 * the publisher's {@code benchSentNanos} (same machine, so System.nanoTime is comparable across processes).
 */
final class Sink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(24);
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final LongAdder requests = new LongAdder();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private final AtomicLong busyMillisAtFirst = new AtomicLong(-1);
    private volatile Latencies latencies;

    Sink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Starts counting afresh; with a Latencies, records publish-to-arrival latency too. */
    void reset(Latencies latencies) {
        ids.clear();
        requests.reset();
        firstNanos.set(0);
        lastNanos.set(0);
        busyMillisAtFirst.set(-1);
        this.latencies = latencies;
    }

    long distinct() {
        return ids.size();
    }

    long requests() {
        return requests.sum();
    }

    /** Seconds between the first and the last request since the reset. */
    double activeSeconds() {
        return (lastNanos.get() - firstNanos.get()) / 1e9;
    }

    /** The machine's busy CPU milliseconds (MachineCpu) since the first request after the reset, NaN if unknown. */
    double busyMillisSinceFirst() {
        long first = busyMillisAtFirst.get();
        long now = MachineCpu.busyMillis();
        return first < 0 || now < 0 ? Double.NaN : now - first;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (firstNanos.compareAndSet(0, now)) {
            busyMillisAtFirst.set(MachineCpu.busyMillis());
        }
        lastNanos.accumulateAndGet(now, Math::max);
        requests.increment();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        if (id == null) {
            id = eventId(body); // the naive route sends the bare event
        }
        ids.add(id);
        Latencies recorder = latencies;
        if (recorder != null) {
            long sent = sentNanos(body);
            if (sent > 0) {
                recorder.record(now - sent, sent);
            }
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** The event's "id" field (the first "id" in the body). */
    static String eventId(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int start = text.indexOf("\"id\":\"") + 6;
        return start < 6 ? "" : text.substring(start, text.indexOf('"', start));
    }

    /** The "benchSentNanos": value carried through in the event, or 0. */
    static long sentNanos(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int at = text.indexOf("\"benchSentNanos\":");
        if (at < 0) {
            return 0;
        }
        int start = at + 17;
        int end = start;
        while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '-')) {
            end++;
        }
        return Long.parseLong(text.substring(start, end));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
