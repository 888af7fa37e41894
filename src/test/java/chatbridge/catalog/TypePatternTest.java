package chatbridge.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypePatternTest {
    @ParameterizedTest(name = "{0} takes {1}: {2}")
    @CsvSource({
            "order.completed, order.completed, true",
            "order.completed, order.refunded, false",
            "order.*, order.completed, true",
            "order.*, order, false",
            "order.*, order.item.added, false",
            "order.#, order, true",
            "order.#, order.item.added, true",
            "order.#, orders.completed, false",
            "#, visitor.online, true",
            "#.online, visitor.online, true",
            "#.online, online, true",
            "#.online, visitoronline, false",
            "*.online, visitor.online, true",
            "a.#.z, a.z, true",
            "a.#.z, a.b.c.z, true",
            "a.#.z, a.bz, false",
    })
    void matchesLikeArtemisAddresses(String pattern, String type, boolean expected) {
        assertEquals(expected, TypePattern.of(pattern).matches(type));
    }

    @ParameterizedTest
    @CsvSource({"order.", "Order.completed", "order..completed", "order.c*", "''"})
    void refusesWhatIsNeitherATypeNorAPattern(String text) {
        assertThrows(IllegalArgumentException.class, () -> TypePattern.of(text));
    }
}
