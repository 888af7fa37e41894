package chatbridge.payloads;

import java.util.regex.Pattern;

/** The part of a library's error worth showing a partner: its own message, on one line, never a payload dump. */
final class Details {
    /** Library messages can quote the whole input (JSONata's T0411 does); a dead letter needs the gist only. */
    static final int MAX_LENGTH = 160;

    static final String INTERNAL = "an internal error of the expression library";

    /** A package-qualified Java name: a message that has one is about the library's code, not the expression. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*");

    private Details() {
    }

    /**
     * The innermost message of a chain of wrapping exceptions (both libraries wrap causes, whose own message then
     * reads "java.lang.X: ..."). A bug in a library (a ClassCastException on an odd input) becomes a plain phrase.
     */
    static String of(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        if (message == null || message.isBlank() || libraryBug(innermost) || JAVA_NAME.matcher(message).find()) {
            return INTERNAL;
        }
        return clip(message);
    }

    static String clip(String message) {
        String line = message.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "…";
    }

    static boolean stackOverflow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }

    private static boolean libraryBug(Throwable t) {
        return t instanceof ClassCastException || t instanceof NullPointerException
                || t instanceof IndexOutOfBoundsException || t instanceof UnsupportedOperationException;
    }
}
