package chatbridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import chatbridge.problems.Problem;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The admin API's request checks and filter parsing, on their own. */
class AdminRequestsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final AdminRequests requests = new AdminRequests("the-token", Clock.fixed(NOW, ZoneOffset.UTC));

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    private static Exchange query(String query) {
        Exchange exchange = exchange();
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        return exchange;
    }

    private static Exchange json(String body) {
        Exchange exchange = exchange();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private static String slug(Runnable call) {
        Problem problem = assertThrows(Problem.class, call::run);
        return problem.type().slug() + (problem.field() == null ? "" : ":" + problem.field());
    }

    @Test
    void withoutATokenTheApiIsOffForEveryone() {
        AdminRequests off = new AdminRequests("  ", Clock.systemUTC());
        assertFalse(off.enabled());
        Exchange withSomeToken = exchange();
        withSomeToken.getMessage().setHeader("Authorization", "Bearer anything");
        assertEquals("admin-api-off", slug(() -> off.authenticate(withSomeToken)));
        assertEquals("admin-api-off", slug(() -> off.authenticate(exchange())));
    }

    @Test
    void onlyTheTokenGetsIn() {
        Exchange right = exchange();
        right.getMessage().setHeader("Authorization", "bearer the-token");
        requests.authenticate(right);
        for (String header : new String[] {null, "Bearer", "Bearer ", "Basic the-token", "Bearer the-token2", "Bearer the-toke"}) {
            Exchange wrong = exchange();
            wrong.getMessage().setHeader("Authorization", header);
            assertEquals("unauthorized", slug(() -> requests.authenticate(wrong)), String.valueOf(header));
        }
    }

    @Test
    void listFiltersAreParsedAndChecked() {
        DeadLetters.Listing listing = requests.listing(query(
                "queue=DLQ.webhook.acme-shop&partner=acme-shop&type=order.completed&reason=http-400&since=2h&until=2026-12-02T11:30:00Z&include=body&limit=5"));
        DeadLetters.Filter filter = listing.filter();
        assertEquals("DLQ.webhook.acme-shop", filter.queue());
        assertEquals("acme-shop", filter.partner());
        assertEquals("order.completed", filter.type());
        assertEquals("http-400", filter.reason());
        assertEquals(NOW.minusSeconds(7200), filter.since());
        assertEquals(Instant.parse("2026-12-02T11:30:00Z"), filter.until());
        assertEquals(5, filter.limit());
        assertTrue(listing.includeBody());

        DeadLetters.Listing defaults = requests.listing(query(null));
        assertEquals(AdminRequests.DEFAULT_LIST_LIMIT, defaults.filter().limit());
        assertNull(defaults.filter().queue());
        assertFalse(defaults.includeBody());
        assertEquals(NOW.minusSeconds(30), requests.listing(query("since=30s")).filter().since());
        assertEquals(NOW.minusSeconds(7 * 86400), requests.listing(query("since=7d")).filter().since());
    }

    @Test
    void badListParametersNameTheirField() {
        assertEquals("invalid-parameter:limit", slug(() -> requests.listing(query("limit=1001"))));
        assertEquals("invalid-parameter:limit", slug(() -> requests.listing(query("limit=ten"))));
        assertEquals("invalid-parameter:since", slug(() -> requests.listing(query("since=2 hours"))));
        assertEquals("invalid-parameter:queue", slug(() -> requests.listing(query("queue=webhook.acme"))));
        assertEquals("invalid-parameter:partner", slug(() -> requests.listing(query("partner=Acme"))));
        assertEquals("invalid-parameter:reason", slug(() -> requests.listing(query("reason=http%20400"))));
        assertEquals("invalid-parameter:include", slug(() -> requests.listing(query("include=headers"))));
        assertEquals("invalid-parameter:partner", slug(() -> requests.listing(query("partner=a&partner=b"))));
        assertEquals("invalid-parameter:colour", slug(() -> requests.listing(query("colour=red"))));
    }

    @Test
    void replayAndPurgeBodies() {
        DeadLetters.Replay replay = requests.replay(json(
                "{\"partner\":\"shop\",\"ids\":[\"evt-1\",\"it's\"],\"dryRun\":true,\"ignoreFreshness\":true,\"limit\":50}"));
        assertEquals(List.of("evt-1", "it's"), replay.filter().ids());
        assertTrue(replay.dryRun());
        assertTrue(replay.ignoreFreshness());
        assertEquals(50, replay.filter().limit());
        assertNull(requests.replay(exchange()).filter().limit(), "no body: every dead letter, no limit");

        assertEquals("confirmation-required", slug(() -> requests.purge(json("{\"partner\":\"shop\"}"))));
        assertEquals("confirmation-required", slug(() -> requests.purge(json("{\"confirm\":false}"))));
        assertEquals("shop", requests.purge(json("{\"partner\":\"shop\",\"confirm\":true}")).partner());

        assertEquals("malformed-json", slug(() -> requests.replay(json("{\"partner\":"))));
        assertEquals("malformed-json", slug(() -> requests.replay(json("[1]"))));
        assertEquals("invalid-parameter:dryRun", slug(() -> requests.replay(json("{\"dryRun\":\"yes\"}"))));
        assertEquals("invalid-parameter:ids", slug(() -> requests.replay(json("{\"ids\":[1]}"))));
        assertEquals("invalid-parameter:confirm", slug(() -> requests.replay(json("{\"confirm\":true}"))));
        Exchange form = json("{}");
        form.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        assertEquals("unsupported-media-type", slug(() -> requests.replay(form)));
    }
}
