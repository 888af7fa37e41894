package chatbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import chatbridge.problems.Problem;

/**
 * Finds the partner an {@code Authorization: Bearer <key>} header belongs to. Keys are compared as SHA-256
 * digests in constant time, and every configured key is compared, so timing tells nothing about a key. The keys are
 * the registry's current partners': a reload that rotates a key takes effect with the next request.
 */
public class ApiKeyAuthenticator {
    private record Credential(byte[] digest, Partner partner) {
    }

    /** The credentials of one set of partners, digested once for all the requests that meet that set. */
    private record Credentials(Collection<Partner> partners, List<Credential> list) {
    }

    private final PartnerRegistry registry;
    private volatile Credentials credentials = new Credentials(List.of(), List.of());

    public ApiKeyAuthenticator(PartnerRegistry registry) {
        this.registry = registry;
    }

    private List<Credential> credentials() {
        Collection<Partner> partners = registry.all();
        Credentials known = credentials;
        if (known.partners() != partners) {
            List<Credential> list = new ArrayList<>();
            for (Partner partner : partners) {
                for (String key : partner.apiKeys()) {
                    list.add(new Credential(digest(key), partner));
                }
            }
            known = new Credentials(partners, List.copyOf(list));
            credentials = known;
        }
        return known.list();
    }

    public Partner authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("missing Authorization header; send Authorization: Bearer <api key>");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() == 7) {
            throw unauthorized("the Authorization header must use the Bearer scheme");
        }
        byte[] presented = digest(authorization.substring(7).trim());
        Partner match = null;
        for (Credential credential : credentials()) {
            if (MessageDigest.isEqual(presented, credential.digest()) && match == null) {
                match = credential.partner();
            }
        }
        if (match == null) {
            throw unauthorized("the API key is not valid");
        }
        return match;
    }

    private static Problem unauthorized(String detail) {
        return new Problem(ProblemType.UNAUTHORIZED, detail).header("WWW-Authenticate", "Bearer realm=\"chat-bridge\"");
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
