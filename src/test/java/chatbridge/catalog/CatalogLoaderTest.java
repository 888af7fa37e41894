package chatbridge.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import chatbridge.testing.Catalogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogLoaderTest {
    static final String SCHEMA = "{\"type\": \"object\"}";
    static final String ENTRY = """
            type: ticket.rated
            schema: ticket.rated.schema.json
            fields:
              id: /id
              occurredAt: /occurredAt
              orderingKey: /ticket/id
            """;
    @TempDir
    Path dir;

    @Test
    void theShippedCatalogHoldsTheTwoBuiltInTypesWithTheirPolicies() {
        EventCatalog catalog = Catalogs.builtIn();
        assertEquals(java.util.List.of("order.completed", "visitor.online"), catalog.names());
        EventType visitor = catalog.type("visitor.online").orElseThrow();
        assertEquals("chat.visitor.online", visitor.sourceQueue());
        assertEquals(new DeliveryPolicy(6, Duration.ofSeconds(300)), visitor.delivery());
        assertEquals(new DeliveryPolicy(12, Duration.ZERO), catalog.type("order.completed").orElseThrow().delivery());
        assertEquals(EventType.FAN_OUT, visitor.via());
    }

    @Test
    void aMinimalEntryGetsItsQueueAndDefaults() throws Exception {
        write("ticket.rated.yaml", ENTRY);
        EventType type = Catalogs.load(dir).type("ticket.rated").orElseThrow();
        assertEquals("chat.ticket.rated", type.sourceQueue());
        assertEquals(new DeliveryPolicy(CatalogLoader.DEFAULT_MAX_ATTEMPTS, Duration.ZERO), type.delivery());
    }

    @Test
    void placeholdersInAnEntryAreResolved() throws Exception {
        write("ticket.rated.yaml", ENTRY + "delivery: {maxAttempts: \"{{env:TICKET_ATTEMPTS:4}}\"}\n");
        assertEquals(4, Catalogs.load(dir).type("ticket.rated").orElseThrow().delivery().maxAttempts());
    }

    /** Each broken catalog stops startup with one message naming the file and the field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown policy key   | delivery: {maxAttempt: 3}                  | ticket.rated.yaml: delivery.maxAttempt: unknown key",
            "unknown top key      | retries: 3                                 | ticket.rated.yaml: retries: unknown key",
            "unknown field key    | '  visitor: /visitor'                      | ticket.rated.yaml: fields.visitor: unknown key",
            "attempts not number  | delivery: {maxAttempts: lots}              | ticket.rated.yaml: delivery.maxAttempts: 'lots' is not a whole number",
            "zero attempts        | delivery: {maxAttempts: 0}                 | ticket.rated.yaml: delivery.maxAttempts: must be at least 1",
            "queue outside chat.  | queue: orders                              | ticket.rated.yaml: queue: orders must be a queue name under chat.",
            "via not direct       | via: jms:queue:elsewhere                   | ticket.rated.yaml: via: jms:queue:elsewhere must be a direct: endpoint",
    })
    void aBrokenEntryNamesTheFileAndTheField(String name, String extra, String expected) throws Exception {
        // Appended after the fields: block: an indented line lands inside it, any other at the top level.
        write("ticket.rated.yaml", ENTRY + extra + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aSchemaThatIsNotJsonSchemaIsRefusedAtStartup() throws Exception {
        write("ticket.rated.yaml", ENTRY);
        write("ticket.rated.schema.json", "{\"type\": \"objekt\", \"required\": \"id\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("ticket.rated.yaml: schema: ") && e.getMessage().contains("not a valid JSON Schema 2020-12"),
                e.getMessage());
    }

    @Test
    void aSchemaThatIsNotJsonIsRefusedAtStartup() throws Exception {
        write("ticket.rated.yaml", ENTRY);
        write("ticket.rated.schema.json", "{\"type\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("ticket.rated.yaml: schema: cannot read"), e.getMessage());
    }

    @Test
    void aMissingSchemaFileIsNamed() throws Exception {
        write("ticket.rated.yaml", ENTRY);
        Files.delete(dir.resolve("ticket.rated.schema.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("ticket.rated.yaml: schema: cannot read") && e.getMessage().contains("ticket.rated.schema.json"),
                e.getMessage());
    }

    @Test
    void twoTypesOnOneQueueAreRefused() throws Exception {
        write("ticket.rated.yaml", ENTRY + "queue: chat.tickets\n");
        write("ticket.closed.yaml", ENTRY.replace("ticket.rated", "ticket.closed") + "queue: chat.tickets\n");
        write("ticket.closed.schema.json", SCHEMA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("ticket.rated.yaml: queue: chat.tickets is already the queue of ticket.closed"),
                e.getMessage());
    }

    @Test
    void anEntryMustBeInTheFileNamedAfterItsType() throws Exception {
        write("tickets.yaml", ENTRY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("tickets.yaml: type: type ticket.rated belongs in ticket.rated.yaml"), e.getMessage());
    }

    @Test
    void aRequiredPointerIsRequired() throws Exception {
        write("ticket.rated.yaml", ENTRY.replace("  orderingKey: /ticket/id\n", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogs.load(dir));
        assertTrue(e.getMessage().contains("ticket.rated.yaml: fields.orderingKey: required"), e.getMessage());
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content);
        Path schema = dir.resolve("ticket.rated.schema.json");
        if (!Files.exists(schema)) {
            Files.writeString(schema, SCHEMA);
        }
    }
}
