package chatbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An operator calling the admin API on the bridge's management port over a real socket. */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** @param token the bearer token sent, or null for none */
    public AdminClient(int managementPort, String token) {
        this.base = "http://127.0.0.1:" + managementPort;
        this.token = token;
    }

    public record Answer(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POST with no body (pause, resume, reload). */
    public Answer post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** POST with a JSON body (replay, purge). */
    public Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer send(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** The state of one partner as GET /admin/partners shows it. */
    public JsonNode partner(String id) {
        for (JsonNode partner : get("/admin/partners").json().get("partners")) {
            if (partner.get("id").asText().equals(id)) {
                return partner;
            }
        }
        throw new AssertionError("no partner " + id + " in /admin/partners");
    }

    private Answer send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.timeout(ANSWER_TIMEOUT).build();
        try {
            // Waited for here as well: once in a CI run, the JDK client's own timeout never fired and a GET on the
            // management port blocked the suite for 18 minutes; this way the test fails, naming the request.
            HttpResponse<String> response = http.sendAsync(built, HttpResponse.BodyHandlers.ofString())
                    .get(ANSWER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to " + built.method() + " " + built.uri() + " within "
                    + (ANSWER_TIMEOUT.toSeconds() + 5) + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
