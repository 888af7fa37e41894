package chatbridge.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** The Admin API's HTTP side: one request, its status and body as text. */
final class AdminApi {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A replay or purge moves dead letters in broker transactions and may take a while. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    record Answer(int status, String body) {
        boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            // Plain HTTP/1.1: the default would offer an h2c upgrade on every request, for nothing on a loopback call.
            .version(HttpClient.Version.HTTP_1_1)
            // A redirect would resend the bearer token to wherever it points; an answer of 3xx is reported instead.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String base;
    private final String authorization;

    /** @param base the management server, e.g. http://127.0.0.1:9876, without a trailing slash */
    AdminApi(String base, String token) {
        this.base = base;
        this.authorization = "Bearer " + token;
    }

    Answer get(String path, Map<String, String> query) throws IOException, InterruptedException {
        StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
        return send(request(path + parameters).GET());
    }

    /** @param json the body, or null for the requests that take none */
    Answer post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path);
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return send(request);
    }

    /** Percent-encodes a path segment or query value; a space as %20, which every server reads the same way. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "chat-bridge-admin");
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
