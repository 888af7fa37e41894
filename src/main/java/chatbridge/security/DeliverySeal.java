package chatbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that a message on a delivery queue was written by chat-bridge: the fan-out (and the Open API, for
 * partner.messages) adds {@code chatbridgeSeal = v1,<base64 HMAC-SHA256(key, id \n type \n occurredAt \n body)>}
 * with a key only the bridges know, and the delivery route checks it before it signs anything with a partner's
 * secret. Broker roles already keep other clients off those queues; the seal also holds where they do not (an
 * admin user of a standalone broker can write anywhere).
 * <p>
 * Several keys rotate like webhook secrets: the first seals, any of them verifies, so messages sealed before a
 * rotation still go out.
 */
public final class DeliverySeal {
    /** The message property carrying the seal. */
    public static final String HEADER = "chatbridgeSeal";
    private static final String VERSION = "v1,";

    private final List<SecretKeySpec> keys;

    public DeliverySeal(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a delivery seal needs at least one key");
        }
        this.keys = keys.stream().map(key -> new SecretKeySpec(key, "HmacSHA256")).toList();
    }

    public String seal(String eventId, String eventType, String occurredAt, String body) {
        return VERSION + Base64.getEncoder().encodeToString(mac(keys.get(0), eventId, eventType, occurredAt, body));
    }

    /** @return true when {@code seal} was made by one of the keys over exactly these values */
    public boolean verify(String seal, String eventId, String eventType, String occurredAt, String body) {
        if (seal == null || !seal.startsWith(VERSION) || eventId == null || eventType == null || occurredAt == null
                || body == null) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(seal.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (SecretKeySpec key : keys) {
            if (MessageDigest.isEqual(presented, mac(key, eventId, eventType, occurredAt, body))) {
                return true;
            }
        }
        return false;
    }

    /** One per thread: looking the algorithm up costs more than the HMAC of an event (measured: bench, phase 4). */
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    });

    private static byte[] mac(SecretKeySpec key, String eventId, String eventType, String occurredAt, String body) {
        try {
            Mac mac = HMAC.get();
            mac.init(key);
            // Newlines cannot occur in ids, types or timestamps, so the fields cannot be shifted into each other.
            mac.update((eventId + "\n" + eventType + "\n" + occurredAt + "\n").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HmacSHA256 key of any length is valid", e);
        }
    }
}
