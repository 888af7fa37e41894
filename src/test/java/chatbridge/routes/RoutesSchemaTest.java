package chatbridge.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every file in routes/ is valid Camel YAML DSL: checked against the JSON Schema that camel-yaml-dsl itself ships
 * (schema/camelYamlDsl.json), which names every EIP, option and id a route may have. A misspelt option fails the
 * build here, not when the bridge starts.
 */
class RoutesSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchema SCHEMA = loadSchema();

    static JsonSchema loadSchema() {
        try (InputStream schema = RoutesSchemaTest.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException("camel-yaml-dsl's schema is not on the classpath", e);
        }
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void isValidCamelYamlDsl(Path file) throws IOException {
        Object yaml;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            yaml = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        }
        JsonNode routes = JSON.valueToTree(yaml);
        List<String> problems = SCHEMA.validate(routes).stream().filter(m -> !isPlaceholder(m)).map(Object::toString).toList();
        assertTrue(problems.isEmpty(), file + ": " + problems);
    }

    /** A {{property}} placeholder where the schema wants a number or boolean: Camel resolves it before converting. */
    static boolean isPlaceholder(ValidationMessage message) {
        JsonNode value = message.getInstanceNode();
        return value != null && value.isTextual() && value.asText().matches("\\{\\{[^}]+}}")
                && "type".equals(message.getType());
    }

    @ParameterizedTest
    @MethodSource("misspelt")
    void theSchemaCatchesAMisspeltOption(String route) {
        assertFalse(SCHEMA.validate(JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(route))).isEmpty(), route);
    }

    static List<String> misspelt() {
        return List.of(
                "- route: {from: {uri: 'direct:a', steps: [{removeHeader: {pattern: '*'}}]}}",
                "- route: {from: {uri: 'direct:a', steps: [{toD: {url: 'jms:queue:x'}}]}}",
                "- routeConfiguration: {onException: [{onException: {exception: [java.lang.Exception], handeled: {constant: true}}}]}");
    }
}
