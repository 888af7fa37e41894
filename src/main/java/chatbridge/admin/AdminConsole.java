package chatbridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import chatbridge.problems.Problem;
import chatbridge.problems.ProblemResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The console's static files (console/ in the jar: a page, its script and its style; no build step). The page holds
 * no data and needs no token to load; everything it shows and does goes through the admin API with the token the
 * operator enters. Served with a strict Content-Security-Policy: scripts and styles from this server only.
 */
public class AdminConsole {
    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets = Map.of(
            "/", asset("index.html", "text/html; charset=utf-8"),
            "/console.js", asset("console.js", "text/javascript; charset=utf-8"),
            "/console.css", asset("console.css", "text/css; charset=utf-8"));

    /** GET /console/..., for the admin-console route. */
    public void serve(Exchange exchange) {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        String file = path == null ? "" : path.replaceFirst("^/console", "");
        Asset asset = assets.get(file);
        if (!file.isEmpty() && asset == null) {
            throw new Problem(ProblemResponses.notFoundKind(), "no file at " + path);
        }
        message.getHeaders().clear();
        if (file.isEmpty()) {
            // Relative links of the page resolve from /console/, not /console.
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            message.setHeader("Location", "/console/");
            message.setBody("");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, asset.contentType());
        message.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Cache-Control", "no-store");
        message.setBody(asset.bytes());
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = AdminConsole.class.getResourceAsStream("/console/" + name)) {
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("console/" + name + " is part of the jar", e);
        }
    }
}
