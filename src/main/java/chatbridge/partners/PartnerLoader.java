package chatbridge.partners;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import chatbridge.events.EventTypes;
import chatbridge.security.Secrets;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads partners from a YAML file (see config/partners.example.yaml) and, for the common single-partner case,
 * from PARTNER_* settings. Secrets and keys may be given as {@code env:NAME} or {@code file:/path} so they
 * never have to be written into the file itself.
 */
public class PartnerLoader {
    /** Partner ids become queue names and route ids. */
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Secrets secrets;

    public PartnerLoader(Secrets secrets) {
        this.secrets = secrets;
    }

    /** The single partner given by settings, if {@code webhookUrl} is set. */
    public record SinglePartner(String id, String webhookUrl, String secret, String events, String apiKey) {
    }

    public List<Partner> load(Path file, SinglePartner single) {
        Map<String, Partner> partners = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (Map<String, Object> entry : readFile(file)) {
                Partner partner = fromMap(entry, file.toString());
                if (partners.put(partner.id(), partner) != null) {
                    throw new IllegalArgumentException(file + ": partner '" + partner.id() + "' is defined twice");
                }
            }
        }
        if (single != null && single.webhookUrl() != null && !single.webhookUrl().isBlank()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", single.id());
            entry.put("webhookUrl", single.webhookUrl());
            entry.put("secrets", splitList(single.secret(), " "));
            entry.put("events", single.events() == null || single.events().isBlank()
                    ? EventTypes.ALL : splitList(single.events(), ","));
            entry.put("apiKeys", splitList(single.apiKey(), " "));
            // The settings override a file entry with the same id.
            partners.put(single.id(), fromMap(entry, "PARTNER_* settings"));
        }
        return new ArrayList<>(partners.values());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readFile(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Load(LoadSettings.builder().build()).loadFromReader(reader);
            if (doc == null) {
                return List.of();
            }
            if (!(doc instanceof Map<?, ?> root) || !(root.get("partners") instanceof List<?> list)) {
                throw new IllegalArgumentException(file + ": expected a top-level 'partners:' list");
            }
            return (List<Map<String, Object>>) list;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Partner fromMap(Map<String, Object> entry, String source) {
        String id = string(entry, "id", source);
        String where = source + ", partner '" + id + "'";
        if (!PARTNER_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": id must be lower-case letters, digits and '-'");
        }
        if (PartnerRegistry.CHAT_API_ID.equals(id)) {
            throw new IllegalArgumentException(where + ": the id " + id + " is reserved for the chat system's API");
        }
        URI url = httpUrl(string(entry, "webhookUrl", where), where);
        List<byte[]> keys = signingKeys(strings(entry, "secrets", where), where);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(where + ": at least one signing secret (whsec_...) is required");
        }
        Set<String> events = new LinkedHashSet<>(strings(entry, "events", where));
        for (String type : events) {
            if (!EventTypes.isKnown(type)) {
                throw new IllegalArgumentException(where + ": unknown event type '" + type + "'; known: " + EventTypes.ALL);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (entry.get("headers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> headers.put(String.valueOf(k), secrets.resolve(String.valueOf(v), where)));
        }
        List<String> apiKeys = new ArrayList<>();
        for (String key : strings(entry, "apiKeys", where)) {
            apiKeys.add(secrets.resolve(key, where));
        }
        boolean requireSignature = Boolean.parseBoolean(String.valueOf(entry.getOrDefault("requireSignature", "false")));
        return new Partner(id, url.toString(), Partner.endpointOf(url), PartnerRegistry.deliveryQueue(id), keys, Set.copyOf(events), Map.copyOf(headers),
                List.copyOf(apiKeys), requireSignature);
    }

    private static URI httpUrl(String url, String where) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + url + " is not a valid URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": the webhook URL must be an http(s) URL");
        }
        return uri;
    }

    private List<byte[]> signingKeys(List<String> configured, String where) {
        List<byte[]> keys = new ArrayList<>();
        for (String secret : configured) {
            keys.add(decodeSecret(secrets.resolve(secret, where), where));
        }
        return List.copyOf(keys);
    }

    /**
     * The chat system's HTTP API as a delivery destination for partner.messages: same signing (when a secret is
     * given), classification and retries as a partner webhook.
     */
    public Partner chatApi(String url, String secret, String token, String queue) {
        String where = "CHAT_API_* settings";
        Map<String, String> headers = token == null || token.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + secrets.resolve(token, where));
        URI api = httpUrl(url.trim(), where);
        return new Partner(PartnerRegistry.CHAT_API_ID, api.toString(), Partner.endpointOf(api), queue,
                signingKeys(splitList(secret, " "), where), Set.of(EventTypes.PARTNER_MESSAGE), headers, List.of(), false);
    }

    static byte[] decodeSecret(String secret, String where) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException(where + ": signing secrets must start with whsec_");
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(6));
            if (key.length < 24 || key.length > 64) {
                throw new IllegalArgumentException(where + ": a signing secret must decode to 24 to 64 bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new IllegalArgumentException(where + ": a signing secret is not valid base64 after whsec_");
        }
    }

    private static String string(Map<String, Object> entry, String key, String where) {
        Object value = entry.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException(where + ": '" + key + "' is required");
        }
        return String.valueOf(value).trim();
    }

    private static List<String> strings(Map<String, Object> entry, String key, String where) {
        Object value = entry.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be a list");
    }

    private static List<String> splitList(String value, String separator) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(separator)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
