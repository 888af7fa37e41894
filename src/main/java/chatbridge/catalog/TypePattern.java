package chatbridge.catalog;

import java.util.regex.Pattern;

/**
 * A subscription to event types, with the wildcards of Artemis addresses (artemis/broker.xml uses the same):
 * {@code *} is one word between dots, {@code #} any number of words. {@code order.*} takes order.completed and
 * order.refunded, {@code #} everything.
 */
public final class TypePattern {
    private static final Pattern SYNTAX = Pattern.compile("(\\*|#|[a-z0-9][a-z0-9_-]*)(\\.(\\*|#|[a-z0-9][a-z0-9_-]*))*");

    private final String text;
    private final Pattern regex;

    private TypePattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException when the text is neither a type name nor a pattern of words, * and # */
    public static TypePattern of(String text) {
        if (!SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an event type or pattern (words of a-z, 0-9, "
                    + "'_' and '-' between dots; * for one word, # for any number)");
        }
        StringBuilder regex = new StringBuilder();
        String[] words = text.split("\\.");
        for (int i = 0; i < words.length; i++) {
            boolean leadingHash = i == 1 && words[0].equals("#");
            if (words[i].equals("#")) {
                // Zero or more words: "order.#" takes "order" too, as in Artemis.
                regex.append(i > 0 ? "(?:\\.[^.]+)*" : words.length == 1 ? ".*" : "(?:[^.]+\\.)*");
            } else {
                regex.append(i > 0 && !leadingHash ? "\\." : "");
                regex.append(words[i].equals("*") ? "[^.]+" : Pattern.quote(words[i]));
            }
        }
        return new TypePattern(text, Pattern.compile(regex.toString()));
    }

    public boolean isWildcard() {
        return text.contains("*") || text.contains("#");
    }

    public boolean matches(String type) {
        return regex.matcher(type).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
