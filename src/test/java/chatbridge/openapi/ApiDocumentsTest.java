package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import chatbridge.testing.ApiDocumentLinter;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.Catalogs;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI and AsyncAPI documents the bridge serves, made from its event catalog (here with a type added by
 * files), pass independent validators of their specifications (src/test/api-lint) and describe every type.
 */
class ApiDocumentsTest {
    static BridgeRunner bridge;
    static OpenApiClient api;
    static Path documents;

    @BeforeAll
    static void start() throws Exception {
        Path catalog = Catalogs.copy();
        Files.writeString(catalog.resolve("ticket.rated.yaml"), """
                type: ticket.rated
                description: A visitor rated the support ticket their chat became.
                schema: ticket.rated.schema.json
                fields: {id: /id, occurredAt: /ratedAt, orderingKey: /visitor/id}
                """);
        Files.writeString(catalog.resolve("ticket.rated.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "required": ["id", "ratedAt", "visitor", "score"],
                 "properties": {"id": {"type": "string"}, "ratedAt": {"type": "string", "format": "date-time"},
                   "visitor": {"$ref": "#/$defs/visitor"},
                   "score": {"type": "integer", "minimum": 1, "maximum": 5, "message": {"maximum": "at most 5 stars"}}},
                 "$defs": {"visitor": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
                """);
        bridge = new BridgeRunner().set("chatbridge.events.dir", catalog.toString()).start();
        api = new OpenApiClient(bridge.httpPort());
        documents = Files.createTempDirectory("api-documents");
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    static Path save(String path, String name) throws Exception {
        OpenApiClient.Answer answer = api.request("GET", path, null);
        assertEquals(200, answer.status(), path);
        return Files.writeString(documents.resolve(name), answer.body());
    }

    @Test
    void bothDocumentsPassIndependentValidatorsAsYamlAndAsJson() throws Exception {
        ApiDocumentLinter.lint(save("/openapi/v1/openapi.yaml", "openapi.yaml"), save("/openapi/v1/asyncapi.yaml", "asyncapi.yaml"))
                .assertNoErrors();
        ApiDocumentLinter.Result json = ApiDocumentLinter.lint(save("/openapi/v1/openapi.json", "openapi.json"),
                save("/openapi/v1/asyncapi.json", "asyncapi.json"));
        json.assertNoErrors();
        assertTrue(json.output().contains("total: 0 error(s), 0 warning(s)"), json.output());
    }

    @Test
    void theValidatorsDoFindErrors() throws Exception {
        // The check above could not pass by validating nothing: a broken copy of each document fails.
        Path openapi = Files.writeString(documents.resolve("broken-openapi.yaml"),
                api.request("GET", "/openapi/v1/openapi.yaml", null).body().replaceFirst("(?m)^info:", "inf0:"));
        Path asyncapi = Files.writeString(documents.resolve("broken-asyncapi.yaml"),
                api.request("GET", "/openapi/v1/asyncapi.yaml", null).body().replace("action: send", "action: publish"));
        ApiDocumentLinter.Result result = ApiDocumentLinter.lint(openapi, asyncapi);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("redocly: error") && result.output().contains("asyncapi-parser: error"), result.output());
    }

    @Test
    void theDocumentsAreReadOnly() {
        for (String path : new String[]{"/openapi/v1/asyncapi.json", "/openapi/v1/asyncapi.yaml"}) {
            OpenApiClient.Answer answer = api.request("POST", path, null);
            assertEquals(405, answer.status(), path);
            assertTrue(answer.contentType().startsWith("application/problem+json"), path);
        }
    }

    @Test
    void everyCatalogTypeIsAWebhookAndAChannel() {
        JsonNode openapi = api.request("GET", "/openapi/v1/openapi.json", null).json();
        JsonNode asyncapi = api.request("GET", "/openapi/v1/asyncapi.json", null).json();
        for (String type : new String[]{"visitor.online", "order.completed", "ticket.rated"}) {
            JsonNode webhook = openapi.at("/webhooks/" + type + "/post");
            assertEquals(type, webhook.at("/requestBody/content/application~1json/schema/properties/type/const").asText(), type);
            assertEquals("#/components/schemas/" + type,
                    webhook.at("/requestBody/content/application~1json/schema/properties/data/$ref").asText());
            assertTrue(webhook.get("parameters").toString().contains("webhook-signature"), type);
            assertEquals("chat." + type, asyncapi.at("/channels/chat." + type + "/address").asText());
            assertEquals("send", asyncapi.at("/operations/publish-" + type.replace('.', '-') + "/action").asText());
        }
        // The schema as the catalog has it, minus the bridge's own detail messages.
        JsonNode score = openapi.at("/components/schemas/ticket.rated/properties/score");
        assertEquals(5, score.get("maximum").asInt());
        assertTrue(score.get("message") == null, score.toString());
        assertEquals("receive", asyncapi.at("/operations/receivePartnerMessages/action").asText());
        // A schema's own $defs stay reachable where the schema now sits.
        assertEquals("#/components/schemas/ticket.rated/$defs/visitor",
                openapi.at("/components/schemas/ticket.rated/properties/visitor/$ref").asText());
        assertEquals("#/components/messages/ticket.rated/payload/schema/$defs/visitor",
                asyncapi.at("/components/messages/ticket.rated/payload/schema/properties/visitor/$ref").asText());
    }
}
