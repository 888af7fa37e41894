package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import chatbridge.testing.ApiDocumentLinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Admin API's OpenAPI document (src/main/resources/openapi/admin-openapi.yaml, written by hand after
 * notes/admin-contract.md) passes independent validators of the specification (src/test/api-lint), as YAML and
 * converted to JSON, with no warning either. Needs no bridge: the document is a file of the jar.
 */
class AdminApiDocumentTest {
    static final Path SOURCE = Path.of("src/main/resources/openapi/admin-openapi.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path documents;

    /** The document as JSON, read with the YAML library the bridge reads its API documents with. */
    static JsonNode document() throws Exception {
        return JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(SOURCE)));
    }

    @Test
    void theDocumentPassesIndependentValidatorsAsYamlAndAsJson() throws Exception {
        ApiDocumentLinter.Result yaml = ApiDocumentLinter.lint(SOURCE, null);
        yaml.assertNoErrors();
        assertTrue(yaml.output().contains("total: 0 error(s), 0 warning(s)"), yaml.output());
        Path json = Files.writeString(documents.resolve("admin-openapi.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document()));
        ApiDocumentLinter.Result result = ApiDocumentLinter.lint(json, null);
        result.assertNoErrors();
        assertTrue(result.output().contains("total: 0 error(s), 0 warning(s)"), result.output());
    }

    @Test
    void theValidatorsDoFindErrors() throws Exception {
        // The check above could not pass by validating nothing: broken copies fail.
        String document = Files.readString(SOURCE);
        String noDescription = document.replace("""
                        '200':
                          description: The partners.
                """, """
                        '200':
                """);
        assertNotEquals(document, noDescription);
        ApiDocumentLinter.Result result = ApiDocumentLinter.lint(Files.writeString(documents.resolve("no-description.yaml"), noDescription), null);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("redocly: error struct #/paths/~1admin~1partners/get/responses/200"), result.output());

        String missingSchema = document.replace("$ref: '#/components/schemas/ReloadResult'", "$ref: '#/components/schemas/ReloadResults'");
        assertNotEquals(document, missingSchema);
        result = ApiDocumentLinter.lint(Files.writeString(documents.resolve("missing-schema.yaml"), missingSchema), null);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("redocly: error no-unresolved-refs"), result.output());
        assertTrue(result.output().contains("openapi-schema-validator: error"), result.output());
    }

    @Test
    void theDocumentDescribesEveryOperationOfTheContract() throws Exception {
        JsonNode document = document();
        Set<String> operations = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(new TreeSet<>(Set.of(
                "GET /admin/partners",
                "GET /admin/activity",
                "POST /admin/partners/{id}/pause",
                "POST /admin/partners/{id}/resume",
                "GET /admin/dead-letters",
                "POST /admin/dead-letters/replay",
                "POST /admin/dead-letters/purge",
                "POST /admin/reload",
                "GET /admin/openapi.json",
                "GET /admin/openapi.yaml")), operations);
        assertEquals("http://127.0.0.1:9876", document.at("/servers/0/url").asText());
        assertEquals("bearer", document.at("/components/securitySchemes/bearerAuth/scheme").asText());
        assertTrue(document.at("/security/0").has("bearerAuth"), document.get("security").toString());
        // Every operation answers a missing or wrong token with 401 and the API being off with 404.
        document.get("paths").forEach(path -> path.forEach(operation -> {
            assertTrue(operation.at("/responses/401").has("$ref"), operation.get("operationId").asText());
            assertTrue(operation.at("/responses/404").has("$ref"), operation.get("operationId").asText());
            assertTrue(operation.get("security") == null, operation.get("operationId").asText());
        }));
        for (String schema : new String[]{"ReplayRequest", "PurgeRequest"}) {
            assertEquals(false, document.at("/components/schemas/" + schema + "/additionalProperties").asBoolean(true), schema);
        }
    }
}
