package chatbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import chatbridge.testing.StandardWebhooks;

/**
 * Generated bad requests for the Open API, twelve kinds in turn: garbage bytes, truncated and oversized JSON,
 * missing and guessed keys, bad and forged signatures, wrong types, unknown message types, wrong content types,
 * wrong methods, path traversal and dangerous link schemes. None of them may be accepted or answered with a 5xx.
 *
 * @param openKey   an API key of a partner without request signing
 * @param signedKey an API key of a partner that must sign requests with {@code secret}
 */
public record HostileRequests(String openKey, String signedKey, String secret) {

    /** Mostly over the Open API's 64 KiB limit; one in five also over the HTTP server's 1 MiB. */
    private static int oversizedLength(Random random) {
        return random.nextInt(5) == 0 ? 1_048_576 + random.nextInt(1_000_000) : 65_536 + random.nextInt(300_000);
    }

    public OpenApiClient.Answer send(OpenApiClient api, Random random, int i) {
        String valid = OpenApiClient.text("v-" + i, null, "hello");
        byte[] garbage = new byte[1 + random.nextInt(2000)];
        random.nextBytes(garbage);
        return switch (i % 12) {
            case 0 -> api.post("/openapi/v1/messages", openKey, "application/json", garbage);
            case 1 -> api.postJson(openKey, valid.substring(0, random.nextInt(valid.length())));
            case 2 -> api.post("/openapi/v1/messages", openKey, "application/json",
                    ("{\"visitorId\":\"v\",\"message\":{\"type\":\"text\",\"text\":\"" + "A".repeat(oversizedLength(random)) + "\"}}")
                            .getBytes(StandardCharsets.UTF_8));
            case 3 -> api.postJson(random.nextBoolean() ? null : "guess-" + random.nextInt(), valid);
            case 4 -> api.postJson(signedKey, valid, "webhook-id", "x", "webhook-timestamp",
                    Long.toString(Instant.now().getEpochSecond()), "webhook-signature", "v1,"
                            + StandardWebhooks.expectedSignature(secret, "x", "1", valid.getBytes(StandardCharsets.UTF_8)));
            case 5 -> api.postJson(signedKey, valid, "webhook-id", "x", "webhook-timestamp", "not-a-number",
                    "webhook-signature", "garbage");
            case 6 -> api.postJson(openKey, "{\"visitorId\":" + random.nextInt() + ",\"message\":[]}");
            case 7 -> api.postJson(openKey, "{\"visitorId\":\"v\",\"message\":{\"type\":\"" + "x".repeat(random.nextInt(50)) + "\"}}");
            case 8 -> api.post("/openapi/v1/messages", openKey, random.nextBoolean() ? "text/xml" : "multipart/form-data",
                    valid.getBytes(StandardCharsets.UTF_8));
            case 9 -> api.request(random.nextBoolean() ? "PUT" : "DELETE", "/openapi/v1/messages", openKey);
            case 10 -> api.request("GET", "/" + Integer.toHexString(random.nextInt()) + "/../etc/passwd", null);
            default -> api.postJson(openKey, "{\"visitorId\":\"v\",\"message\":{\"type\":\"link\",\"text\":\"t\",\"url\":\""
                    + (random.nextBoolean() ? "javascript:alert(1)" : "file:///etc/passwd") + "\"}}");
        };
    }
}
