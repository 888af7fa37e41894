package chatbridge.cli;

/** The command line cannot be run as given; nothing has been sent to the bridge. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
