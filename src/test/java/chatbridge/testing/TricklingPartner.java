package chatbridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A partner that answers so slowly it never trips a per-read socket timeout: for each webhook-id, the first attempt
 * trickles its status line, the second its body, one byte every {@code byteInterval}, for as long as the bridge
 * listens (at most a minute). The third attempt gets a 204, and so does every attempt for an id it is told not to
 * trickle. Raw sockets, because an HTTP server library would buffer.
 */
public final class TricklingPartner implements AutoCloseable {
    public record Attempt(String webhookId, int number, Instant startedAt, Instant endedAt) {
        public Duration held() {
            return Duration.between(startedAt, endedAt);
        }
    }

    private final ServerSocket server;
    private final Duration byteInterval;
    private final Predicate<String> trickles;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final ConcurrentHashMap<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    public TricklingPartner(Duration byteInterval) throws IOException {
        this(byteInterval, webhookId -> true);
    }

    public TricklingPartner(Duration byteInterval, Predicate<String> trickles) throws IOException {
        this.byteInterval = byteInterval;
        this.trickles = trickles;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hooks";
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public Set<String> acknowledgedIds() {
        return Set.copyOf(acknowledged);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String webhookId = header(head, "webhook-id");
                String length = header(head, "content-length");
                in.readNBytes(length == null ? 0 : Integer.parseInt(length));
                int number = attemptsById.computeIfAbsent(String.valueOf(webhookId), id -> new AtomicInteger()).incrementAndGet();
                Instant started = Instant.now();
                if (number >= 3 || !trickles.test(webhookId)) {
                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    acknowledged.add(webhookId);
                    attempts.add(new Attempt(webhookId, number, started, Instant.now()));
                    continue;
                }
                byte[] answer = (number == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
                int start = number == 1 ? 0 : answer.length - 100_000;
                out.write(answer, 0, start);
                out.flush();
                try {
                    long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                    for (int i = start; i < answer.length && System.nanoTime() < until; i++) {
                        out.write(answer[i]);
                        out.flush();
                        Thread.sleep(byteInterval.toMillis()); // the point of this partner: one byte, then a pause
                    }
                } finally {
                    attempts.add(new Attempt(webhookId, number, started, Instant.now()));
                }
                return;
            }
        } catch (IOException | InterruptedException e) {
            // the bridge gave up on us: that is what is being tested
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
