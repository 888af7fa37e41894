package chatbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import chatbridge.delivery.WebhookSigner;
import chatbridge.partners.Partner;
import chatbridge.problems.Problem;

/**
 * Checks a Standard Webhooks signature on a partner's request (partners with requireSignature): the same headers
 * and scheme chat-bridge uses for its own webhooks, with a timestamp tolerance against replays.
 */
public class SignatureVerifier {
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(Duration tolerance, Clock clock) {
        this.tolerance = tolerance;
        this.clock = clock;
    }

    public void verify(Partner partner, String id, String timestamp, String signatures, byte[] body) {
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
            throw forbidden("this partner must sign requests: send webhook-id, webhook-timestamp and webhook-signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw forbidden("webhook-timestamp must be Unix seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            throw forbidden("webhook-timestamp is " + skew + " s away from now; the tolerance is " + tolerance.toSeconds() + " s");
        }
        for (byte[] key : partner.signingKeys()) {
            byte[] expected = WebhookSigner.sign(id, seconds, body, List.of(key)).getBytes(StandardCharsets.US_ASCII);
            for (String candidate : signatures.trim().split(" +")) {
                if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                    return;
                }
            }
        }
        throw forbidden("webhook-signature does not match the body");
    }

    private static Problem forbidden(String detail) {
        return new Problem(ProblemType.BAD_SIGNATURE, detail);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
