package chatbridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import chatbridge.cli.AdminCli;
import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API on the real bridge's management port: who gets in, what it answers, and the CLI over it. */
class AdminApiTest {
    static final String TOKEN = "admin-token-for-tests-0123456789";
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/admin/partners"},
            new String[] {"GET", "/admin/activity"},
            new String[] {"POST", "/admin/partners/shop/pause"},
            new String[] {"POST", "/admin/partners/shop/resume"},
            new String[] {"GET", "/admin/dead-letters"},
            new String[] {"POST", "/admin/dead-letters/replay"},
            new String[] {"POST", "/admin/dead-letters/purge"},
            new String[] {"POST", "/admin/reload"},
            new String[] {"GET", "/admin/openapi.json"},
            new String[] {"GET", "/admin/openapi.yaml"},
            new String[] {"GET", "/admin/no-such-thing"});

    private static WebhookReceiver partner;
    private static BridgeRunner bridge;

    @BeforeAll
    static void start() {
        partner = new WebhookReceiver();
        bridge = new BridgeRunner()
                .set("chatbridge.admin.token", TOKEN)
                .set("chatbridge.partner.id", "shop")
                .set("chatbridge.partner.webhook-url", partner.url())
                .set("chatbridge.partner.webhook-secret", "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh")
                .start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
        partner.close();
    }

    @Test
    void everyEndpointRefusesAMissingOrWrongToken() {
        for (String token : new String[] {null, "wrong-token", TOKEN + "x", ""}) {
            AdminClient client = new AdminClient(bridge.managementPort(), token);
            for (String[] endpoint : ENDPOINTS) {
                AdminClient.Answer answer = client.send(endpoint[0], endpoint[1]);
                assertEquals(401, answer.status(), endpoint[0] + " " + endpoint[1] + " with token " + token);
                assertEquals("application/problem+json", answer.contentType());
                assertEquals("urn:chat-bridge:problem:unauthorized", answer.json().get("type").asText());
            }
        }
        // Refused means refused: the pause above did not happen.
        assertEquals("active", new AdminClient(bridge.managementPort(), TOKEN).partner("shop").get("state").asText());
    }

    @Test
    void theAdminApiIsNotOnThePartnerFacingPort() {
        AdminClient onPartnerPort = new AdminClient(bridge.httpPort(), TOKEN);
        AdminClient.Answer answer = onPartnerPort.get("/admin/partners");
        assertEquals(404, answer.status());
        assertEquals("urn:chat-bridge:problem:not-found", answer.json().get("type").asText());
    }

    @Test
    void partnersShowStateQueuesAndLastAnswers() {
        JsonNode shop = new AdminClient(bridge.managementPort(), TOKEN).partner("shop");
        for (String field : new String[] {"id", "state", "queued", "inFlight", "deadLetters", "expired", "lastSuccessAt",
                "lastFailureAt", "lastStatus", "consecutiveFailures"}) {
            assertTrue(shop.has(field), field + " in " + shop);
        }
        assertEquals("active", shop.get("state").asText());
        assertEquals("webhook.shop", shop.get("queue").asText());
        assertEquals(0, shop.get("deadLetters").asInt());
    }

    @Test
    void mistakesGetSpecificProblems() {
        AdminClient admin = new AdminClient(bridge.managementPort(), TOKEN);
        assertProblem(admin.post("/admin/partners/nobody/pause"), 404, "unknown-partner", null);
        assertProblem(admin.send("DELETE", "/admin/partners"), 405, "method-not-allowed", null);
        assertProblem(admin.get("/admin/dead-letters?limit=0"), 400, "invalid-parameter", "limit");
        assertProblem(admin.get("/admin/dead-letters?since=yesterday"), 400, "invalid-parameter", "since");
        assertProblem(admin.get("/admin/dead-letters?queue=webhook.shop"), 400, "invalid-parameter", "queue");
        assertProblem(admin.get("/admin/dead-letters?colour=red"), 400, "invalid-parameter", "colour");
        assertProblem(admin.post("/admin/dead-letters/replay", "{\"partner\": "), 400, "malformed-json", null);
        assertProblem(admin.post("/admin/dead-letters/replay", "{\"dryrun\": true}"), 400, "invalid-parameter", "dryrun");
        assertProblem(admin.post("/admin/dead-letters/replay", "{\"ids\": \"evt-1\"}"), 400, "invalid-parameter", "ids");
        assertProblem(admin.post("/admin/dead-letters/purge", "{\"partner\": \"shop\"}"), 422, "confirmation-required", null);
        assertProblem(admin.get("/admin/nothing-here"), 404, "not-found", null);
    }

    @Test
    void theServedDocumentIsTheOneInTheJar() throws Exception {
        AdminClient admin = new AdminClient(bridge.managementPort(), TOKEN);
        AdminClient.Answer yaml = admin.get("/admin/openapi.yaml");
        assertEquals(200, yaml.status());
        String expected = new String(AdminApiTest.class.getResourceAsStream("/openapi/admin-openapi.yaml").readAllBytes(),
                StandardCharsets.UTF_8);
        assertEquals(expected, yaml.body());
        AdminClient.Answer json = admin.get("/admin/openapi.json");
        assertEquals("3.1.0", json.json().get("openapi").asText());
        assertTrue(json.json().get("paths").has("/admin/dead-letters/replay"));
    }

    @Test
    void theCliTalksToTheRealApi() throws Exception {
        Map<String, String> env = Map.of("ADMIN_TOKEN", TOKEN, "ADMIN_URL", "http://127.0.0.1:" + bridge.managementPort());
        Outcome table = cli(env, "partners");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("shop") && table.out().contains("active"), table.out());

        Outcome json = cli(env, "partners", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals("shop", new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())
                .get("partners").get(0).get("id").asText());

        assertEquals(0, cli(env, "dlq", "list", "--partner", "shop", "--since", "2h").exitCode());
        Outcome dryRun = cli(env, "dlq", "replay", "--partner", "shop", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.err());
        assertTrue(dryRun.out().contains("0"), dryRun.out());

        Outcome unknown = cli(env, "partners", "pause", "nobody");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("nobody"), unknown.err());

        Outcome wrongToken = cli(Map.of("ADMIN_TOKEN", "nope", "ADMIN_URL", "http://127.0.0.1:" + bridge.managementPort()),
                "partners");
        assertEquals(3, wrongToken.exitCode());
    }

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AdminCli.run(args, env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Outcome outcome = new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(outcome.out().contains(TOKEN) || outcome.err().contains(TOKEN), "the token is never printed");
        return outcome;
    }

    static void assertProblem(AdminClient.Answer answer, int status, String slug, String field) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.contentType(), answer.body());
        assertEquals("urn:chat-bridge:problem:" + slug, answer.json().get("type").asText(), answer.body());
        if (field != null) {
            assertEquals(field, answer.json().get("field").asText(), answer.body());
        }
    }
}
