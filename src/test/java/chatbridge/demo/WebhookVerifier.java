package chatbridge.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Standard Webhooks signature the way a partner would, written from the spec rather than by calling the
 * bridge's signer, so the demo proves the two agree:
 * {@code v1,base64(HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + body))}, key = the base64-decoded
 * part after {@code whsec_}, any of the space-separated signatures may match, and the timestamp must be recent
 * (a captured request replayed later is refused).
 */
final class WebhookVerifier {
    /** Why a webhook was refused; the message is safe to print (no secret, no signature). */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private final byte[] key;
    private final Duration tolerance;
    private final Clock clock;

    WebhookVerifier(String whsecSecret, Duration tolerance, Clock clock) {
        if (whsecSecret == null || !whsecSecret.startsWith("whsec_")) {
            throw new IllegalArgumentException("the signing secret must start with whsec_");
        }
        this.key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
        this.tolerance = tolerance;
        this.clock = clock;
    }

    void verify(String id, String timestamp, String signatureHeader, byte[] body) throws Rejected {
        if (id == null || id.isBlank() || timestamp == null || signatureHeader == null) {
            throw new Rejected("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Rejected("webhook-timestamp is not a number of seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            throw new Rejected("webhook-timestamp is " + skew + " s away from now (more than "
                    + tolerance.toSeconds() + " s)");
        }
        // Signed over the header value exactly as sent.
        byte[] expected = hmac(id + "." + timestamp + ".", body);
        boolean match = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (!candidate.startsWith("v1,")) {
                continue; // other schemes (v1a, ...) are not ours to check
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(candidate.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // Constant time, and every candidate is compared, so timing says nothing about the expected value.
            match |= MessageDigest.isEqual(expected, presented);
        }
        if (!match) {
            throw new Rejected("no v1 signature matches (wrong secret, or the body was altered)");
        }
    }

    private byte[] hmac(String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
