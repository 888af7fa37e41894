package chatbridge.partners;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.TypePattern;
import chatbridge.payloads.PayloadExpression;
import chatbridge.payloads.PayloadExpressions;
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

    /** Not an event of the catalog: a partner's message forwarded to the chat system's API (CHAT_API_URL). */
    public static final String PARTNER_MESSAGE = "partner.message";
    private static final Set<String> KEYS = Set.of("id", "webhookUrl", "secrets", "events", "headers", "apiKeys",
            "requireSignature", "envelope");
    private static final Set<String> SUBSCRIPTION_KEYS = Set.of("type", "filter", "transform");
    private static final Set<String> EXPRESSION_KEYS = Set.of("jsonata", "jsonataFile", "jq", "jqFile");

    private final Secrets secrets;
    private final EventCatalog catalog;
    private final Duration expressionTimeLimit;

    /** @param expressionTimeLimit how long one filter or transform may run on one event */
    public PartnerLoader(Secrets secrets, EventCatalog catalog, Duration expressionTimeLimit) {
        this.secrets = secrets;
        this.catalog = catalog;
        this.expressionTimeLimit = expressionTimeLimit;
    }

    /** The single partner given by settings, if {@code webhookUrl} is set. */
    public record SinglePartner(String id, String webhookUrl, String secret, String events, String apiKey) {
    }

    /** The chat system's HTTP API, when CHAT_API_URL is set (see {@link #chatApi}). */
    public record ChatApi(String url, String secret, String token, String queue) {
    }

    public List<Partner> load(Path file, SinglePartner single) {
        Map<String, Partner> partners = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (Map<String, Object> entry : readFile(file)) {
                Partner partner = fromMap(entry, file.toString(), file.toAbsolutePath().getParent());
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
                    ? List.of("#") : splitList(single.events(), ","));
            entry.put("apiKeys", splitList(single.apiKey(), " "));
            // The settings override a file entry with the same id.
            partners.put(single.id(), fromMap(entry, "PARTNER_* settings", Path.of("").toAbsolutePath()));
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

    private Partner fromMap(Map<String, Object> entry, String source, Path baseDir) {
        String id = string(entry, "id", source);
        String where = source + ", partner '" + id + "'";
        for (Object key : entry.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; known: " + new TreeSet<>(KEYS));
            }
        }
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
        List<Subscription> subscriptions = subscriptions(entry.get("events"), where, baseDir);
        Map<String, Subscription> byType = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            List<String> types = catalog.matching(subscription.types());
            if (types.isEmpty() && !subscription.types().isWildcard()) {
                throw new IllegalArgumentException(where + ": unknown event type '" + subscription.types()
                        + "'; the catalog has " + catalog.names());
            }
            // The first subscription that takes a type decides its filter and transform.
            types.forEach(type -> byType.putIfAbsent(type, subscription));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (entry.get("headers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> headers.put(String.valueOf(k), secrets.resolve(String.valueOf(v), where)));
        }
        List<String> apiKeys = new ArrayList<>();
        for (String key : strings(entry, "apiKeys", where)) {
            apiKeys.add(secrets.resolve(key, where));
        }
        boolean requireSignature = flag(entry, "requireSignature", false, where);
        boolean envelope = flag(entry, "envelope", true, where);
        return new Partner(id, url.toString(), Partner.endpointOf(url), PartnerRegistry.deliveryQueue(id), keys,
                subscriptions, Collections.unmodifiableMap(byType), Map.copyOf(headers), List.copyOf(apiKeys),
                requireSignature, envelope);
    }

    /** Each entry of events: a type or pattern, or {type, filter, transform}. */
    private List<Subscription> subscriptions(Object value, String where, Path baseDir) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> entries)) {
            throw new IllegalArgumentException(where + ": 'events' must be a list");
        }
        List<Subscription> subscriptions = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!SUBSCRIPTION_KEYS.contains(String.valueOf(key))) {
                        throw new IllegalArgumentException(where + ": events: unknown key '" + key + "'; known: "
                                + new TreeSet<>(SUBSCRIPTION_KEYS));
                    }
                }
                String types = String.valueOf(map.get("type")).trim();
                String at = where + ", events '" + types + "'";
                subscriptions.add(new Subscription(pattern(types, where), expression(map.get("filter"), at + ", filter", baseDir),
                        expression(map.get("transform"), at + ", transform", baseDir)));
            } else if (entry != null && !String.valueOf(entry).isBlank()) {
                subscriptions.add(new Subscription(pattern(String.valueOf(entry).trim(), where), null, null));
            }
        }
        return List.copyOf(subscriptions);
    }

    private static TypePattern pattern(String text, String where) {
        try {
            return TypePattern.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": events: " + e.getMessage());
        }
    }

    /** {jsonata: ...}, {jsonataFile: ...}, {jq: ...} or {jqFile: ...}; a file is relative to the partners file. */
    private PayloadExpression expression(Object value, String where, Path baseDir) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map) || map.size() != 1 || !EXPRESSION_KEYS.contains(String.valueOf(map.keySet().iterator().next()))) {
            throw new IllegalArgumentException(where + ": write one of " + new TreeSet<>(EXPRESSION_KEYS)
                    + ", e.g. {jsonata: \"$number(data.order.total.amount) >= 100\"}");
        }
        String key = String.valueOf(map.keySet().iterator().next());
        String text = String.valueOf(map.values().iterator().next());
        String origin = where;
        if (key.endsWith("File")) {
            Path file = baseDir.resolve(text.trim());
            origin = file.toString();
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return key.startsWith("jsonata") ? PayloadExpressions.jsonata(text, origin, expressionTimeLimit)
                : PayloadExpressions.jq(text, origin, expressionTimeLimit);
    }

    private static boolean flag(Map<String, Object> entry, String key, boolean fallback, String where) {
        Object value = entry.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be true or false");
        }
        return Boolean.parseBoolean(text);
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
        Subscription partnerMessages = new Subscription(TypePattern.of(PARTNER_MESSAGE), null, null);
        return new Partner(PartnerRegistry.CHAT_API_ID, api.toString(), Partner.endpointOf(api), queue,
                signingKeys(splitList(secret, " "), where), List.of(partnerMessages),
                Map.of(PARTNER_MESSAGE, partnerMessages), headers, List.of(), false, true);
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
