package chatbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import chatbridge.bench.HandWrittenEventValidator;
import chatbridge.testing.Catalogs;
import chatbridge.testing.ChatSystem;
import chatbridge.failures.BridgeFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final EventValidator validator = new EventValidator(4096, Catalogs.builtIn());
    /** The validator of before the catalog, coded in Java: every input here must get the very same verdict. */
    private final HandWrittenEventValidator before = new HandWrittenEventValidator(4096);
    private static final String VISITOR_ONLINE = "visitor.online";
    private static final String ORDER_COMPLETED = "order.completed";

    @Test
    void acceptsBothContractExamplesAndKeepsTheExactText() {
        String visitor = ChatSystem.visitorOnline("evt-1", "v-1", NOW);
        ChatEvent event = validator.validate(visitor, VISITOR_ONLINE);
        assertEquals("evt-1", event.id());
        assertEquals("v-1", event.orderingKey());
        assertEquals(NOW, event.occurredAt());
        assertEquals(visitor, event.json());

        String order = ChatSystem.orderCompleted("evt-2", "v-1", NOW);
        assertEquals("evt-2", validator.validate(order.getBytes(StandardCharsets.UTF_8), ORDER_COMPLETED).id());
    }

    @Test
    void acceptsOffsetTimestamps() {
        String json = ChatSystem.visitorOnline("evt-1", "v-1", NOW).replace(NOW.toString(), "2026-11-24T18:00:00+08:00");
        assertEquals(NOW, validator.validate(json, VISITOR_ONLINE).occurredAt());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                 | {oops                                   | invalid-json   |",
            "trailing garbage         | {\"id\":\"a\"} x                          | invalid-json   |",
            "duplicate key            | {\"id\":\"a\",\"id\":\"b\"}                  | invalid-json   |",
            "empty body               | ''                                      | invalid-json   |",
            "array                    | [1,2]                                   | wrong-type     | $",
            "missing id               | {\"type\":\"visitor.online\"}              | missing-field  | id",
            "numeric id               | {\"id\":7}                               | wrong-type     | id",
            "id with spaces           | {\"id\":\"a b\"}                           | invalid-value  | id",
            "missing type             | {\"id\":\"a\"}                             | missing-field  | type",
            "unknown type             | {\"id\":\"a\",\"type\":\"visitor.left\"}     | unknown-type   | type",
            "type for another queue   | {\"id\":\"a\",\"type\":\"order.completed\"}  | unknown-type   | type",
            "missing occurredAt       | {\"id\":\"a\",\"type\":\"visitor.online\"}   | missing-field  | occurredAt",
            "bad occurredAt           | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"yesterday\"} | invalid-value | occurredAt",
            "missing visitor          | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\"} | missing-field | visitor",
            "visitor not object       | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"visitor\":\"v\"} | wrong-type | visitor",
            "missing visitor.id       | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"visitor\":{}} | missing-field | visitor.id",
            "numeric visitor.name     | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"visitor\":{\"id\":\"v\",\"name\":5}} | wrong-type | visitor.name",
            "attributes not object    | {\"id\":\"a\",\"type\":\"visitor.online\",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"visitor\":{\"id\":\"v\",\"attributes\":[]}} | wrong-type | visitor.attributes",
    })
    void rejectsVisitorOnlineWithAPreciseReason(String name, String body, String reason, String field) {
        BridgeFailure e = assertThrows(BridgeFailure.class, () -> validator.validate(body, VISITOR_ONLINE));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(field, e.field());
        assertSameVerdictAsBefore(e, body, VISITOR_ONLINE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing order      | '\"order\":{\"id\":\"o-1\"'                      | '\"orderX\":{\"id\":\"o-1\"' | missing-field | order",
            "numeric order.id   | '\"order\":{\"id\":\"o-1\"'                      | '\"order\":{\"id\":1'        | wrong-type    | order.id",
            "amount not decimal | '\"amount\":\"129.90\"'                          | '\"amount\":\"lots\"'         | invalid-value | order.total.amount",
            "amount as number   | '\"amount\":\"129.90\"'                          | '\"amount\":129.90'          | wrong-type    | order.total.amount",
            "bad currency       | '\"currency\":\"USD\"'                           | '\"currency\":\"dollars\"'    | invalid-value | order.total.currency",
            "negative quantity  | '\"quantity\":1'                                 | '\"quantity\":-1'            | wrong-type    | order.items[0].quantity",
            "items not array    | '\"items\":[{\"sku\":\"SKU-1\",\"name\":\"Tea set\",\"quantity\":1,\"price\":\"129.90\"}]' | '\"items\":\"none\"' | wrong-type | order.items",
            "url not http       | '\"url\":\"https://shop.example.com/orders/10042\"' | '\"url\":\"javascript:alert(1)\"' | invalid-value | order.url",
    })
    void rejectsOrderCompletedWithAPreciseReason(String name, String find, String replace, String reason, String field) {
        String body = ChatSystem.orderCompleted("evt-2", "v-1", NOW).replace(find, replace);
        BridgeFailure e = assertThrows(BridgeFailure.class, () -> validator.validate(body, ORDER_COMPLETED));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(field, e.field());
        assertSameVerdictAsBefore(e, body, ORDER_COMPLETED);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] body = ChatSystem.visitorOnline("evt-1", "v-1", NOW).getBytes(StandardCharsets.UTF_8);
        body[30] = (byte) 0xC3;
        body[31] = (byte) 0x28;
        assertEquals("invalid-encoding", assertThrows(BridgeFailure.class,
                () -> validator.validate(body, VISITOR_ONLINE)).reason());
    }

    @Test
    void rejectsBodiesOverTheLimitAsTextOrBytes() {
        String big = ChatSystem.visitorOnline("evt-1", "v-1", NOW).replace("Mei Chen", "x".repeat(5000));
        assertEquals("body-too-large", assertThrows(BridgeFailure.class,
                () -> validator.validate(big, VISITOR_ONLINE)).reason());
        assertEquals("body-too-large", assertThrows(BridgeFailure.class,
                () -> validator.validate(big.getBytes(StandardCharsets.UTF_8), VISITOR_ONLINE)).reason());
    }

    @Test
    void rejectsMultiByteTextOverTheLimitInBytes() {
        // 1,500 three-byte characters: under 4096 chars, over 4096 bytes.
        String big = ChatSystem.visitorOnline("evt-1", "v-1", NOW).replace("Mei Chen", "陈".repeat(1500));
        assertEquals("body-too-large", assertThrows(BridgeFailure.class,
                () -> validator.validate(big, VISITOR_ONLINE)).reason());
    }

    @Test
    void rejectsUnsupportedBodies() {
        assertEquals("unsupported-body", assertThrows(BridgeFailure.class,
                () -> validator.validate(java.util.Map.of("id", "a"), VISITOR_ONLINE)).reason());
        assertEquals("invalid-json", assertThrows(BridgeFailure.class,
                () -> validator.validate(null, VISITOR_ONLINE)).reason());
    }

    private void assertSameVerdictAsBefore(BridgeFailure now, Object body, String type) {
        BridgeFailure then = assertThrows(BridgeFailure.class, () -> before.validate(body, type));
        assertEquals(then.reason(), now.reason(), "reason, as before: " + then.getMessage());
        assertEquals(then.field(), now.field(), "field, as before");
    }
}
