package chatbridge.problems;

/** One kind of RFC 9457 problem an HTTP API of the bridge answers with: its status, type URI and title. */
public interface ProblemKind {
    int status();

    /** The last part of the type URI, e.g. {@code rate-limited}. */
    String slug();

    String title();

    /** The problem's type URI. */
    default String uri() {
        return "urn:chat-bridge:problem:" + slug();
    }
}
