package chatbridge.payloads;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Between Jackson trees and the plain Java values jsonata-java works on (LinkedHashMap, List, String, Integer, Long,
 * Double, Boolean, null), in the same shapes its own JSON parser makes: whole numbers as Integer or Long, others as
 * Double, JSON null as Java null. Strings stay strings, so an amount written "129.90" is never turned into a number.
 */
final class JsonataValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Below this a double that is whole converts to a long exactly. */
    private static final double LONG_RANGE = 0x1p63;

    private JsonataValues() {
    }

    static Object toJava(JsonNode node) {
        if (node == null) {
            return null;
        }
        switch (node.getNodeType()) {
            case OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>(capacity(node.size()));
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    map.put(field.getKey(), toJava(field.getValue()));
                }
                return map;
            }
            case ARRAY: {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(toJava(element));
                }
                return list;
            }
            case STRING:
                return node.textValue();
            case NUMBER:
                return number(node);
            case BOOLEAN:
                return node.booleanValue();
            case BINARY:
                return node.asText(); // base64, as Jackson writes it
            case NULL:
            case MISSING:
                return null;
            default: // POJO: not something parsed from JSON
                throw new IllegalArgumentException("the input holds a " + node.getNodeType() + " node, which is not JSON");
        }
    }

    private static Object number(JsonNode node) {
        if (node.isInt() || node.isShort()) {
            return node.intValue();
        }
        if (node.isLong()) {
            return node.longValue();
        }
        if (node.isBigInteger() && node.canConvertToLong()) {
            return node.longValue();
        }
        // Doubles, BigDecimals and huge integers: JSONata computes in doubles, and its parser folds whole ones.
        double value = node.doubleValue();
        return Utils.convertNumber(value);
    }

    private static int capacity(int entries) {
        return entries < 12 ? 16 : (int) (entries / 0.75f) + 1;
    }

    /** Why a result cannot be sent as JSON. */
    static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson(String what) {
            super(what, null, false, false);
        }
    }

    static JsonNode toJson(Object value) throws NotJson {
        if (value == null || value == Jsonata.NULL_VALUE) {
            // Inside objects and arrays null is JSON null: JSONata leaves undefined members out of both.
            return NODES.nullNode();
        }
        if (value instanceof String) {
            return NODES.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Number) {
            return number((Number) value);
        }
        if (value instanceof Map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
            }
            return object;
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            ArrayNode array = NODES.arrayNode(list.size());
            for (Object element : list) {
                array.add(toJson(element));
            }
            return array;
        }
        if (isFunction(value)) {
            throw new NotJson("a function");
        }
        throw new NotJson("a value that is not JSON");
    }

    /** What jsonata-java evaluates a function to: its lambdas, built-ins, Java lambdas and regex literals. */
    private static boolean isFunction(Object value) {
        return Utils.isFunction(value) || Functions.isLambda(value) || value instanceof Jsonata.JLambda
                || value instanceof Pattern;
    }

    private static JsonNode number(Number n) throws NotJson {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return NODES.numberNode(n.intValue());
        }
        if (n instanceof Long) {
            return whole(n.longValue());
        }
        if (n instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) n);
        }
        if (n instanceof BigInteger) {
            return NODES.numberNode((BigInteger) n);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NotJson("the number " + d);
        }
        // JSONata has one number type: 2.5 * 2 is 5, as jsonata-js prints it, not 5.0.
        if (d == Math.rint(d) && Math.abs(d) < LONG_RANGE) {
            return whole((long) d);
        }
        return NODES.numberNode(d);
    }

    private static JsonNode whole(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
