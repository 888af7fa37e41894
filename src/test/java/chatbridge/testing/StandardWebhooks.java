package chatbridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent Standard Webhooks verifier written from the spec, so tests do not check the bridge's signer
 * against itself.
 */
public final class StandardWebhooks {
    private StandardWebhooks() {
    }

    /** True when any v1 signature in the header matches HMAC-SHA256(secret, id.timestamp.body). */
    public static boolean verify(String whsecSecret, String id, String timestamp, byte[] body, String signatureHeader) {
        String expected = expectedSignature(whsecSecret, id, timestamp, body);
        for (String candidate : signatureHeader.split(" ")) {
            if (candidate.equals("v1," + expected)) {
                return true;
            }
        }
        return false;
    }

    public static String expectedSignature(String whsecSecret, String id, String timestamp, byte[] body) {
        try {
            byte[] key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
