package chatbridge.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import java.util.Set;

import chatbridge.catalog.CatalogLoader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Reading the hand-written part of an API description from the jar, and writing the finished one as JSON and YAML. */
public final class ApiDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiDocuments() {
    }

    public static ObjectNode resource(String path) {
        try (InputStream in = ApiDocuments.class.getResourceAsStream(path)) {
            Object yaml = new Load(LoadSettings.builder().build()).loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return JSON.valueToTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(path + " is part of the jar", e);
        }
    }

    public static String json(JsonNode document) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }

    static String yaml(JsonNode document) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setWidth(120).build();
        return new Dump(settings).dumpToString(JSON.convertValue(document, Object.class));
    }

    /** Keywords whose value is a map of names to subschemas. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "dependentSchemas");
    /** Keywords whose value is a subschema, or an array of them. */
    private static final Set<String> SUBSCHEMAS = Set.of("items", "additionalProperties", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "allOf", "anyOf", "oneOf", "prefixItems");

    /**
     * A catalog schema as a schema object inside another document: its own dialect and id stay behind, and so do the
     * bridge's detail messages ({@code message}), which no other schema reader knows. The x-chatbridge-reason
     * extension stays (x- keys are allowed everywhere).
     *
     * @param at the JSON pointer, as a URI fragment, where the schema is placed in the document
     */
    static ObjectNode embedded(JsonNode schema, String at) {
        ObjectNode copy = schema.deepCopy();
        copy.remove("$schema");
        copy.remove("$id");
        withoutMessages(copy);
        rebaseRefs(copy, at);
        return copy;
    }

    /**
     * A $ref inside the schema ("#/$defs/visitor") points into the schema; inside another document such refs resolve
     * from that document's root, so they are rewritten to start where the schema now is.
     */
    private static void rebaseRefs(JsonNode node, String at) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.textValue().startsWith("#")) {
                object.put("$ref", at + ref.textValue().substring(1));
            }
        }
        node.forEach(child -> rebaseRefs(child, at));
    }

    private static void withoutMessages(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        object.remove(CatalogLoader.MESSAGE_KEYWORD);
        object.properties().forEach(keyword -> {
            if (SCHEMA_MAPS.contains(keyword.getKey())) {
                keyword.getValue().forEach(ApiDocuments::withoutMessages);
            } else if (SUBSCHEMAS.contains(keyword.getKey())) {
                if (keyword.getValue().isArray()) {
                    keyword.getValue().forEach(ApiDocuments::withoutMessages);
                } else {
                    withoutMessages(keyword.getValue());
                }
            }
        });
    }
}
