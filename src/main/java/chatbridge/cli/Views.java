package chatbridge.cli;

import static chatbridge.cli.TextTable.Column.number;
import static chatbridge.cli.TextTable.Column.text;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the commands print for a successful answer when --json is not asked for: tables and one-line summaries. */
final class Views {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final int width;

    /** @param width the longest table line wanted; the dead letters' detail column is cut to fit */
    Views(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    static JsonNode parse(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer == null || !answer.isObject()) {
                throw new UnexpectedAnswerException("the answer is not a JSON object");
            }
            return answer;
        } catch (JsonProcessingException e) {
            throw new UnexpectedAnswerException("the answer is not JSON");
        }
    }

    void partners(JsonNode answer) {
        List<JsonNode> partners = array(answer, "partners");
        if (partners.isEmpty()) {
            out.println("no partners");
            return;
        }
        TextTable table = new TextTable(text("id"), text("state"), number("queued"), number("inFlight"),
                number("deadLetters"), number("expired"), number("lastStatus"), number("consecutiveFailures"),
                text("lastSuccessAt"), text("lastFailureAt"));
        for (JsonNode partner : partners) {
            table.add(cell(partner, "id"), cell(partner, "state"), cell(partner, "queued"), cell(partner, "inFlight"),
                    cell(partner, "deadLetters"), cell(partner, "expired"), cell(partner, "lastStatus"),
                    cell(partner, "consecutiveFailures"), cell(partner, "lastSuccessAt"),
                    cell(partner, "lastFailureAt"));
        }
        table.print(out, 0);
    }

    /** The answer to pause and resume: the partner as it is now. */
    void partner(JsonNode partner) {
        out.println(TextTable.oneLine(required(partner, "id").asText()) + " is "
                + TextTable.oneLine(required(partner, "state").asText()) + " now ("
                + shown(partner, "queued") + " queued, " + shown(partner, "inFlight") + " in flight, "
                + shown(partner, "deadLetters") + " dead letters)");
    }

    void deadLetters(JsonNode answer, boolean withBodies) {
        List<JsonNode> letters = array(answer, "deadLetters");
        if (letters.isEmpty()) {
            out.println("no dead letters match");
            return;
        }
        TextTable table = new TextTable(text("id"), text("queue"), text("type"), text("partner"), text("reason"),
                number("attempts"), number("lastStatus"), text("failedAt"), text("detail"));
        for (JsonNode letter : letters) {
            table.add(cell(letter, "id"), cell(letter, "queue"), cell(letter, "type"), cell(letter, "partner"),
                    cell(letter, "reason"), cell(letter, "attempts"), cell(letter, "lastStatus"),
                    cell(letter, "failedAt"), cell(letter, "detail"));
        }
        table.print(out, width);
        if (withBodies) {
            for (JsonNode letter : letters) {
                out.println();
                out.println("body of " + shown(letter, "id") + " (" + shown(letter, "queue") + "):");
                printIndented(letter.path("body").asText(""));
            }
        }
        int count = answer.path("count").isInt() ? answer.path("count").asInt() : letters.size();
        out.println((withBodies ? "\n" : "") + count(count, "dead letter", "dead letters")
                + (answer.path("truncated").asBoolean(false)
                        ? "; more match: narrow the filters or raise --limit (up to 1000)" : ""));
    }

    void replayed(JsonNode answer) {
        if (answer.path("dryRun").asBoolean(false)) {
            int matched = requiredInt(answer, "matched");
            out.println("dry run: " + count(matched, "dead letter matches", "dead letters match"));
            return;
        }
        int skipped = requiredInt(answer, "skipped");
        out.println("replayed " + count(requiredInt(answer, "replayed"), "dead letter", "dead letters")
                + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
    }

    void purged(JsonNode answer) {
        out.println("purged " + count(requiredInt(answer, "purged"), "dead letter", "dead letters"));
    }

    void reloaded(JsonNode answer) {
        List<String> parts = new ArrayList<>();
        for (String change : List.of("added", "removed", "updated")) {
            List<JsonNode> ids = array(answer, change);
            parts.add(ids.size() + " " + change + (ids.isEmpty() ? ""
                    : " (" + String.join(", ", ids.stream().map(id -> TextTable.oneLine(id.asText())).toList()) + ")"));
        }
        parts.add(array(answer, "unchanged").size() + " unchanged");
        out.println("reloaded the partners file: " + String.join(", ", parts));
    }

    /** A body may be any text: its lines are kept, other control characters shown as '?'. */
    private void printIndented(String body) {
        for (String line : body.split("\r?\n", -1)) {
            StringBuilder shown = new StringBuilder("  ");
            line.codePoints().forEach(c -> shown.appendCodePoint(c != '\t' && Character.isISOControl(c) ? '?' : c));
            out.println(shown);
        }
    }

    private static String count(int count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }

    /** @return the field as text, null (shown as "-") when absent or null */
    private static String cell(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isContainerNode() ? value.toString() : value.asText();
    }

    private static String shown(JsonNode node, String field) {
        return TextTable.oneLine(cell(node, field));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new UnexpectedAnswerException("the answer has no \"" + field + "\"");
        }
        return value;
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new UnexpectedAnswerException("\"" + field + "\" in the answer is not a whole number");
        }
        return value.asInt();
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isArray()) {
            throw new UnexpectedAnswerException("\"" + field + "\" in the answer is not an array");
        }
        List<JsonNode> elements = new ArrayList<>();
        value.forEach(elements::add);
        return elements;
    }
}
