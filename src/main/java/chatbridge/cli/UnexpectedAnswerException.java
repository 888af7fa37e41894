package chatbridge.cli;

/**
 * A successful answer this client cannot read: --url points at something other than the Admin API, or the API and
 * this client disagree on the contract. Reported rather than printed as zeros or blanks that would look plausible.
 */
final class UnexpectedAnswerException extends RuntimeException {
    UnexpectedAnswerException(String message) {
        super(message);
    }
}
