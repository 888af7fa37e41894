package chatbridge.cli;

import static chatbridge.cli.FakeAdminApi.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chatbridge.cli.FakeAdminApi.Request;
import chatbridge.testing.Ports;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeAdminApi api;

    record Outcome(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        String line(String containing) {
            return outLines().stream().filter(line -> line.contains(containing)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with " + containing + " in:\n" + out));
        }
    }

    @BeforeEach
    void startApi() throws IOException {
        api = new FakeAdminApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    /** The CLI in-process, with exactly these environment variables. */
    private Outcome run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = AdminCli.run(args, environment::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Outcome outcome = new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(outcome.out().contains(TOKEN) || outcome.err().contains(TOKEN), "the token is never printed");
        return outcome;
    }

    /** As an operator would run it: ADMIN_URL and ADMIN_TOKEN exported. */
    private Outcome admin(String... args) {
        return run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", TOKEN), args);
    }

    private Request onlyRequest() {
        assertEquals(1, api.requests().size(), "requests: " + api.requests());
        return api.requests().get(0);
    }

    @Test
    void partnersPrintsAnAlignedTableOfEveryPartner() {
        Outcome outcome = admin("partners");

        assertEquals(0, outcome.exitCode(), outcome.err());
        Request request = onlyRequest();
        assertEquals("GET", request.method());
        assertEquals("/admin/partners", request.path());
        assertEquals(null, request.rawQuery());
        assertEquals("Bearer " + TOKEN, request.authorization());

        String header = outcome.outLines().get(0);
        assertTrue(header.matches("id +state +queued +inFlight +deadLetters +expired +lastStatus +consecutiveFailures"
                + " +lastSuccessAt +lastFailureAt"), header);
        String acme = outcome.line("acme-shop");
        String globex = outcome.line("globex-crm");
        String initech = outcome.line("initech");
        assertTrue(acme.matches("acme-shop +paused +12 +1 +3 +0 +503 +4 +2026-12-02T10:00:00Z +2026-12-02T10:05:00Z"),
                acme);
        assertTrue(globex.matches("globex-crm +active +0 +0 +0 +0 +- +0 +- +-"), globex);
        assertTrue(initech.matches("initech +circuit-open +1500 +0 +27 +2 +500 +118 +\\S+ +\\S+"), initech);
        assertEquals(header.indexOf("state"), acme.indexOf("paused"));
        assertEquals(header.indexOf("state"), initech.indexOf("circuit-open"));
        assertEquals(header.indexOf("lastSuccessAt"), acme.indexOf("2026-12-02T10:00:00Z"));
        // Numbers are right-aligned under their header.
        int queuedEnds = header.indexOf("queued") + "queued".length();
        assertEquals(queuedEnds, acme.indexOf("12") + 2);
        assertEquals(queuedEnds, initech.indexOf("1500") + 4);
        assertEquals("", outcome.err());
    }

    @Test
    void jsonPrintsTheApisBodyAsReceived() {
        Outcome partners = admin("partners", "--json");
        assertEquals(0, partners.exitCode(), partners.err());
        assertEquals(FakeAdminApi.PARTNERS, partners.out());

        Outcome replay = admin("--json", "dlq", "replay", "--partner", "acme-shop");
        assertEquals(0, replay.exitCode(), replay.err());
        assertEquals(FakeAdminApi.REPLAYED + "\n", replay.out());
    }

    @Test
    void theTokenFromTheCommandLineWinsOverAdminToken() {
        Outcome outcome = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", "an-old-token"), "partners", "--token", TOKEN);

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertEquals("Bearer " + TOKEN, onlyRequest().authorization());
    }

    @Test
    void aFileOrEnvTokenIsResolvedBeforeItIsSent(@TempDir Path directory) throws IOException {
        Path tokenFile = Files.writeString(directory.resolve("admin-token"), TOKEN + "\n");

        Outcome fromFile = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", "file:" + tokenFile), "partners");
        Outcome fromVariable = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", "env:BRIDGE_ADMIN_SECRET",
                "BRIDGE_ADMIN_SECRET", TOKEN), "partners");
        Outcome fromOption = run(Map.of("ADMIN_URL", api.url()), "partners", "--token=file:" + tokenFile);

        assertEquals(List.of(0, 0, 0), List.of(fromFile.exitCode(), fromVariable.exitCode(), fromOption.exitCode()),
                fromFile.err() + fromVariable.err() + fromOption.err());
        assertEquals(3, api.requests().size());
        api.requests().forEach(request -> assertEquals("Bearer " + TOKEN, request.authorization()));
    }

    @Test
    void theUrlComesFromTheOptionThenAdminUrlThenManagementPort() {
        String nothingListening = "http://127.0.0.1:" + Ports.free();

        Outcome fromOption = run(Map.of("ADMIN_URL", nothingListening, "ADMIN_TOKEN", TOKEN),
                "partners", "--url", api.url() + "/");
        Outcome fromPort = run(Map.of("MANAGEMENT_PORT", String.valueOf(api.port()), "ADMIN_TOKEN", TOKEN), "partners");

        assertEquals(0, fromOption.exitCode(), fromOption.err());
        assertEquals(0, fromPort.exitCode(), fromPort.err());
        assertEquals(2, api.requests().size());
        api.requests().forEach(request -> assertEquals("/admin/partners", request.path()));
    }

    @Test
    void pauseAndResumePostToThePartnerAndSayItsStateNow() {
        Outcome paused = admin("partners", "pause", "acme-shop");
        Outcome resumed = admin("partners", "resume", "acme-shop");

        assertEquals(0, paused.exitCode(), paused.err());
        assertEquals(0, resumed.exitCode(), resumed.err());
        Request pause = api.requests().get(0);
        Request resume = api.requests().get(1);
        assertEquals("POST /admin/partners/acme-shop/pause", pause.method() + " " + pause.path());
        assertEquals("POST /admin/partners/acme-shop/resume", resume.method() + " " + resume.path());
        assertEquals("", pause.body());
        assertEquals("Bearer " + TOKEN, pause.authorization());
        assertEquals("acme-shop is paused now (12 queued, 1 in flight, 3 dead letters)\n", paused.out());
        assertEquals("acme-shop is active now (12 queued, 1 in flight, 3 dead letters)\n", resumed.out());
    }

    @Test
    void anErrorAnswerPrintsTheProblemDetailOnStderrAndExits1() {
        Outcome unknownPartner = admin("partners", "pause", "nobody");
        Outcome badLimit = admin("dlq", "list", "--limit", "5000");

        assertEquals(1, unknownPartner.exitCode());
        assertEquals("", unknownPartner.out());
        assertEquals("error: no partner nobody (HTTP 404 unknown-partner)\n", unknownPartner.err());
        assertEquals(1, badLimit.exitCode());
        assertEquals("error: limit must be between 1 and 1000 (HTTP 400 invalid-parameter, field limit)\n",
                badLimit.err());
    }

    @Test
    void dlqListPassesEveryFilterUnchanged() {
        Outcome outcome = admin("dlq", "list", "--queue", "DLQ.webhook.acme-shop", "--partner", "acme-shop",
                "--type", "order.completed", "--reason", "http-400", "--since", "2h", "--until=2026-12-02T10:00:00Z",
                "--limit", "50");

        assertEquals(0, outcome.exitCode(), outcome.err());
        Request request = onlyRequest();
        assertEquals("GET /admin/dead-letters", request.method() + " " + request.path());
        assertEquals(Map.of("queue", "DLQ.webhook.acme-shop", "partner", "acme-shop", "type", "order.completed",
                "reason", "http-400", "since", "2h", "until", "2026-12-02T10:00:00Z", "limit", "50"),
                request.parameters());
    }

    @Test
    void dlqListPrintsATableWhoseDetailIsCutToTheTerminalWidth() {
        Outcome outcome = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", TOKEN, "COLUMNS", "160"), "dlq", "list");

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertEquals(Map.of(), onlyRequest().parameters());
        String header = outcome.outLines().get(0);
        assertTrue(header.matches("id +queue +type +partner +reason +attempts +lastStatus +failedAt +detail"), header);
        String first = outcome.line("evt-1");
        String poison = outcome.line("ID:9z8y");
        assertTrue(first.matches("evt-1 +DLQ\\.webhook\\.acme-shop +order\\.completed +acme-shop +http-400 +3 +400"
                + " +2026-12-02T10:05:00Z +partner answered 400: \\{\"error\":\".*\\.\\.\\."), first);
        assertEquals(160, first.length());
        assertTrue(poison.matches("ID:9z8y +DLQ\\.chat\\.order\\.completed +- +- +poison +- +- +- +not JSON"), poison);
        assertEquals(header.indexOf("detail"), first.indexOf("partner answered"));
        assertEquals(header.indexOf("attempts") + "attempts".length(), first.indexOf(" 3 ") + 2);
        assertEquals("2 dead letters; more match: narrow the filters or raise --limit (up to 1000)",
                outcome.outLines().get(3));
    }

    @Test
    void aDetailsLineBreaksAndEscapeSequencesDoNotReachTheTerminal() {
        Outcome outcome = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", TOKEN, "COLUMNS", "1000"), "dlq", "list");

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertEquals(4, outcome.outLines().size(), outcome.out());
        assertTrue(outcome.line("evt-1").endsWith("for the accepted formats\"}  [31mred [0m"), outcome.line("evt-1"));
        assertFalse(outcome.out().contains("\u001b"));
    }

    @Test
    void dlqListWithBodyAsksForThemAndPrintsThemUnderTheTable() {
        Outcome outcome = admin("dlq", "list", "--body", "--partner", "acme-shop");

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertEquals(Map.of("partner", "acme-shop", "include", "body"), onlyRequest().parameters());
        assertTrue(outcome.out().contains("body of evt-1 (DLQ.webhook.acme-shop):\n  " + FakeAdminApi.FIRST_BODY + "\n"),
                outcome.out());
        assertTrue(outcome.out().contains("body of ID:9z8y (DLQ.chat.order.completed):\n  not JSON\n"), outcome.out());
    }

    @Test
    void dlqReplaySendsFiltersAndIdsInAJsonBody() throws IOException {
        Outcome outcome = admin("dlq", "replay", "--partner", "acme-shop", "--since", "2h", "--limit", "10",
                "--id", "evt-1", "--id", "evt-2", "--ignore-freshness");

        assertEquals(0, outcome.exitCode(), outcome.err());
        Request request = onlyRequest();
        assertEquals("POST /admin/dead-letters/replay", request.method() + " " + request.path());
        assertEquals("application/json", request.contentType());
        assertEquals(JSON.readTree("""
                {"partner": "acme-shop", "since": "2h", "limit": 10, "ids": ["evt-1", "evt-2"], "ignoreFreshness": true}
                """), request.json());
        assertEquals("replayed 12 dead letters (2 skipped)\n", outcome.out());
    }

    @Test
    void dlqReplayDryRunOnlyCounts() throws IOException {
        Outcome outcome = admin("dlq", "replay", "--reason", "http-503", "--dry-run");

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertEquals(JSON.readTree("{\"reason\": \"http-503\", \"dryRun\": true}"), onlyRequest().json());
        assertEquals("dry run: 12 dead letters match\n", outcome.out());
    }

    @Test
    void dlqPurgeWithoutYesIsAUsageErrorAndSendsNothing() {
        Outcome outcome = admin("dlq", "purge", "--partner", "acme-shop");

        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().startsWith("error: ") && outcome.err().contains("add --yes"), outcome.err());
        assertEquals("", outcome.out());
        assertEquals(List.of(), api.requests());
    }

    @Test
    void dlqPurgeWithYesSendsTheConfirmation() throws IOException {
        Outcome outcome = admin("dlq", "purge", "--queue", "EXPIRED.webhook.acme-shop", "--id", "evt-7", "--yes");

        assertEquals(0, outcome.exitCode(), outcome.err());
        Request request = onlyRequest();
        assertEquals("POST /admin/dead-letters/purge", request.method() + " " + request.path());
        assertEquals("application/json", request.contentType());
        assertEquals(JSON.readTree("{\"queue\": \"EXPIRED.webhook.acme-shop\", \"ids\": [\"evt-7\"], \"confirm\": true}"),
                request.json());
        assertEquals("purged 3 dead letters\n", outcome.out());
    }

    @Test
    void reloadSummarisesWhatChanged() {
        Outcome outcome = admin("reload");

        assertEquals(0, outcome.exitCode(), outcome.err());
        Request request = onlyRequest();
        assertEquals("POST /admin/reload", request.method() + " " + request.path());
        assertEquals("", request.body());
        assertEquals("reloaded the partners file: 1 added (initech), 0 removed, 1 updated (acme-shop), 1 unchanged\n",
                outcome.out());
    }

    @Test
    void aRefusedTokenOrTheApiSwitchedOffExits3() {
        Outcome refused = run(Map.of("ADMIN_URL", api.url(), "ADMIN_TOKEN", "not-the-token"), "partners");
        api.switchOff();
        Outcome off = admin("partners");

        assertEquals(3, refused.exitCode());
        assertEquals("error: a valid bearer token is required (HTTP 401 unauthorized)\n", refused.err());
        assertFalse(refused.err().contains("not-the-token"));
        assertEquals(3, off.exitCode());
        assertEquals("error: the Admin API is off: ADMIN_TOKEN is not set (HTTP 404 admin-api-off)\n", off.err());
        assertEquals("", refused.out() + off.out());
    }

    @Test
    void nothingListeningExits4() {
        String nothingListening = "http://127.0.0.1:" + Ports.free();

        Outcome outcome = run(Map.of("ADMIN_URL", nothingListening, "ADMIN_TOKEN", TOKEN), "partners");

        assertEquals(4, outcome.exitCode());
        assertTrue(outcome.err().matches("error: cannot reach the bridge at " + nothingListening
                + ": (?i:connection refused)\n"), outcome.err());
        assertEquals("", outcome.out());
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndNoArgumentsOnStderr() {
        Outcome help = admin("--help");
        Outcome helpForACommand = admin("dlq", "replay", "-h");
        Outcome nothing = admin();

        assertEquals(0, help.exitCode());
        assertEquals(CommandLine.USAGE, help.out());
        assertEquals("", help.err());
        assertEquals(0, helpForACommand.exitCode());
        assertEquals(CommandLine.USAGE, helpForACommand.out());
        assertEquals(2, nothing.exitCode());
        assertEquals("", nothing.out());
        assertEquals(CommandLine.USAGE, nothing.err());
        assertEquals(List.of(), api.requests());
    }

    @Test
    void usageErrorsExit2AndSendNothing() {
        List<List<String>> mistakes = List.of(
                List.of("frobnicate"),
                List.of("partners", "--verbose"),
                List.of("partners", "pause"),
                List.of("partners", "pause", "acme-shop", "globex-crm"),
                List.of("partners", "restart", "acme-shop"),
                List.of("dlq"),
                List.of("dlq", "list", "--dry-run"),
                List.of("dlq", "replay", "--body"),
                List.of("dlq", "list", "--limit", "many"),
                List.of("dlq", "list", "--queue"),
                List.of("dlq", "list", "--queue", "a", "--queue", "b"),
                List.of("reload", "--json=yes"),
                List.of("partners", "--url", "ftp://127.0.0.1:9876"),
                List.of("partners", "--url", "http://admin:" + TOKEN + "@127.0.0.1:9876"));
        for (List<String> mistake : mistakes) {
            Outcome outcome = admin(mistake.toArray(String[]::new));
            assertEquals(2, outcome.exitCode(), mistake + ": " + outcome.err());
            assertTrue(outcome.err().startsWith("error: "), mistake + ": " + outcome.err());
            assertEquals("", outcome.out(), mistake.toString());
        }
        assertEquals(List.of(), api.requests());
    }

    @Test
    void withoutAnyTokenNothingIsSent(@TempDir Path directory) {
        Map<String, String> noToken = new HashMap<>(Map.of("ADMIN_URL", api.url()));
        Outcome unset = run(noToken, "partners");
        noToken.put("ADMIN_TOKEN", "env:NOT_SET_ANYWHERE");
        Outcome unsetVariable = run(noToken, "partners");
        noToken.put("ADMIN_TOKEN", "file:" + directory.resolve("missing"));
        Outcome missingFile = run(noToken, "partners");

        assertEquals(2, unset.exitCode());
        assertTrue(unset.err().startsWith("error: no admin token"), unset.err());
        assertEquals(2, unsetVariable.exitCode());
        assertTrue(unsetVariable.err().contains("NOT_SET_ANYWHERE is not set"), unsetVariable.err());
        assertEquals(2, missingFile.exitCode());
        assertTrue(missingFile.err().startsWith("error: ADMIN_TOKEN: cannot read "), missingFile.err());
        assertEquals(List.of(), api.requests());
    }
}
