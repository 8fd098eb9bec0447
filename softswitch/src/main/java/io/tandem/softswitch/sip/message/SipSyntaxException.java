package io.tandem.softswitch.sip.message;

/**
 * Raised inside the parser when a value breaks the grammar; caught at the parse boundary and
 * turned into a {@link SipParseFailure}, so it never reaches a pipeline. It carries no stack
 * trace: a flood of garbage must cost no more than the garbage itself.
 */
final class SipSyntaxException extends RuntimeException {
    SipSyntaxException(String message) {
        super(message, null, false, false);
    }
}
