package chatbridge.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the event catalog: every {@code <type>.yaml} in one directory, each naming its JSON Schema file beside it.
 * Anything wrong (a key it does not know, a schema that is not valid JSON Schema 2020-12, two types on one queue)
 * stops startup with one line naming the file and the field.
 */
public class CatalogLoader {
    /** The queue names the chat system's broker role may publish to (artemis/broker.xml, chat.#). */
    static final String QUEUE_PREFIX = "chat.";
    /** Type names are words between dots; they become queue names, header values and OpenAPI keys. */
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)*");
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Set<String> KEYS = Set.of("type", "description", "queue", "schema", "fields", "delivery", "via");
    private static final Set<String> FIELD_KEYS = Set.of("id", "type", "occurredAt", "orderingKey");
    private static final Set<String> DELIVERY_KEYS = Set.of("maxAttempts", "freshnessSeconds");
    /** An entry that says nothing about delivery: the Standard Webhooks schedule (about a day), no freshness limit. */
    static final int DEFAULT_MAX_ATTEMPTS = 12;

    /**
     * Extra schema keywords the bridge reads: {@code message} (the detail a violation reports, per keyword) and
     * {@code x-chatbridge-reason} (the chatbridgeReason a violation of this schema's own keywords reports, when
     * the default for the keyword does not fit).
     */
    public static final String MESSAGE_KEYWORD = "message";
    public static final String REASON_KEYWORD = "x-chatbridge-reason";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnaryOperator<String> placeholders;
    private final JsonSchemaFactory schemas;
    private final JsonSchema metaSchema;
    private final SchemaValidatorsConfig config;

    /** @param placeholders resolves {{...}} in values, so an entry can read its limits from the environment */
    public CatalogLoader(UnaryOperator<String> placeholders) {
        this.placeholders = placeholders;
        JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new NonValidationKeyword(MESSAGE_KEYWORD))
                .keyword(new NonValidationKeyword(REASON_KEYWORD))
                .build();
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(dialect).defaultMetaSchemaIri(SchemaId.V202012));
        this.config = SchemaValidatorsConfig.builder()
                .pathType(PathType.LEGACY)
                .formatAssertionsEnabled(true)
                .errorMessageKeyword(MESSAGE_KEYWORD)
                .build();
        this.metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012), SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());
    }

    public EventCatalog load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("event catalog " + directory + " is not a directory (EVENTS_DIR)");
        }
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.{yaml,yml}")) {
            entries.forEach(file -> files.put(file.getFileName().toString(), file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the event catalog " + directory + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("event catalog " + directory + " has no <type>.yaml file");
        }
        Map<String, EventType> byQueue = new LinkedHashMap<>();
        List<EventType> types = new ArrayList<>();
        for (Path file : files.values()) {
            EventType type = read(file);
            EventType other = byQueue.put(type.sourceQueue(), type);
            if (other != null) {
                throw new IllegalArgumentException(file + ": queue: " + type.sourceQueue() + " is already the queue of "
                        + other.name() + " (" + other.file() + "); each type needs its own queue");
            }
            types.add(type);
        }
        return new EventCatalog(types);
    }

    EventType read(Path file) {
        Map<String, Object> entry = yaml(file);
        checkKeys(entry, KEYS, file, "");
        String name = string(entry, "type", file, true);
        if (!TYPE_NAME.matcher(name).matches() || name.length() > 100) {
            throw invalid(file, "type", "'" + name + "' is not a type name (words of a-z, 0-9, '_' and '-' between dots)");
        }
        String expectedFile = name + ".yaml";
        String fileName = file.getFileName().toString();
        if (!fileName.equals(expectedFile) && !fileName.equals(name + ".yml")) {
            throw invalid(file, "type", "type " + name + " belongs in " + expectedFile + ", one file per type");
        }
        String queue = entry.containsKey("queue") ? string(entry, "queue", file, true) : QUEUE_PREFIX + name;
        if (!queue.startsWith(QUEUE_PREFIX) || !QUEUE_NAME.matcher(queue).matches()) {
            throw invalid(file, "queue", queue + " must be a queue name under chat. (the chat system may publish "
                    + "only there: artemis/broker.xml)");
        }
        String description = entry.containsKey("description") ? string(entry, "description", file, true) : name + " events";

        Map<String, Object> fields = map(entry, "fields", file);
        checkKeys(fields, FIELD_KEYS, file, "fields.");
        JsonPointer id = pointer(fields, "id", file, true);
        JsonPointer typeField = pointer(fields, "type", file, false);
        JsonPointer occurredAt = pointer(fields, "occurredAt", file, true);
        JsonPointer orderingKey = pointer(fields, "orderingKey", file, true);

        Map<String, Object> delivery = entry.containsKey("delivery") ? map(entry, "delivery", file) : Map.of();
        checkKeys(delivery, DELIVERY_KEYS, file, "delivery.");
        int maxAttempts = number(delivery, "maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, file);
        int freshnessSeconds = number(delivery, "freshnessSeconds", 0, 0, file);

        String via = entry.containsKey("via") ? string(entry, "via", file, true) : EventType.FAN_OUT;
        if (!via.startsWith("direct:")) {
            throw invalid(file, "via", via + " must be a direct: endpoint (it runs inside the ingest transaction)");
        }

        Path schemaFile = file.resolveSibling(string(entry, "schema", file, true));
        JsonNode schemaJson = schemaJson(schemaFile, file);
        JsonSchema schema = compile(schemaJson, schemaFile);
        return new EventType(name, description, queue, schema, schemaJson, id, typeField, occurredAt, orderingKey,
                new DeliveryPolicy(maxAttempts, Duration.ofSeconds(freshnessSeconds)), via, file);
    }

    private JsonNode schemaJson(Path schemaFile, Path file) {
        JsonNode node;
        try (InputStream in = Files.newInputStream(schemaFile)) {
            node = JSON.readTree(in);
        } catch (IOException e) {
            throw invalid(file, "schema", "cannot read " + schemaFile + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw invalid(file, "schema", schemaFile + " must hold a JSON Schema object");
        }
        JsonNode dialect = node.get("$schema");
        if (dialect != null && !SchemaId.V202012.equals(dialect.asText())) {
            throw invalid(file, "schema", schemaFile + ": $schema must be " + SchemaId.V202012 + " (or left out)");
        }
        // The schema itself is checked against the 2020-12 meta-schema: a misspelt type or a bad pattern is found now,
        // not on the first event.
        for (ValidationMessage problem : metaSchema.validate(node)) {
            throw invalid(file, "schema", schemaFile + " is not a valid JSON Schema 2020-12: "
                    + problem.getInstanceLocation() + ": " + problem.getMessage());
        }
        return node;
    }

    private JsonSchema compile(JsonNode node, Path schemaFile) {
        try {
            JsonSchema schema = schemas.getSchema(SchemaLocation.of(schemaFile.toUri().toString()), node, config);
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(schemaFile + ": cannot compile the schema: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> yaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromInputStream(in);
            if (!(doc instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + ": expected a mapping with type:, schema: and fields:");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) doc;
            return map;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void checkKeys(Map<String, Object> map, Set<String> known, Path file, String prefix) {
        for (String key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw invalid(file, prefix + key, "unknown key; known keys here are " + new TreeSet<>(known));
            }
        }
    }

    private String string(Map<String, Object> map, String key, Path file, boolean required) {
        return string(map, key, file, required, key);
    }

    /** @param label how the message names the key, e.g. fields.id */
    private String string(Map<String, Object> map, String key, Path file, boolean required, String label) {
        Object value = map.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            if (required) {
                throw invalid(file, label, "required");
            }
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalid(file, label, "must be a single value");
        }
        return placeholders.apply(String.valueOf(value)).trim();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> entry, String key, Path file) {
        Object value = entry.get(key);
        if (!(value instanceof Map<?, ?>)) {
            throw invalid(file, key, value == null ? "required" : "must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    private JsonPointer pointer(Map<String, Object> fields, String key, Path file, boolean required) {
        String text = string(fields, key, file, required, "fields." + key);
        if (text == null) {
            return null;
        }
        if (!text.startsWith("/")) {
            throw invalid(file, "fields." + key, "'" + text + "' must be a JSON pointer such as /visitor/id");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw invalid(file, "fields." + key, "'" + text + "' is not a JSON pointer: " + e.getMessage());
        }
    }

    private int number(Map<String, Object> map, String key, int fallback, int min, Path file) {
        String text = string(map, key, file, false, "delivery." + key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min) {
                throw invalid(file, "delivery." + key, "must be at least " + min);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(file, "delivery." + key, "'" + text + "' is not a whole number");
        }
    }

    private static IllegalArgumentException invalid(Path file, String field, String problem) {
        return new IllegalArgumentException(file + ": " + field + ": " + problem);
    }
}
