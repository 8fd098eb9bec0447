package io.tandem.softswitch.sip.message;

/** What {@link SipParser} made of some bytes: a message, a failure, or only keep-alive CRLFs. */
public sealed interface SipParseResult {

    /** @param consumed octets used from the input; the rest of a datagram is ignored (RFC 4475 §3.1.1.8) */
    record Parsed(SipMessage message, int consumed) implements SipParseResult {
    }

    record Failed(SipParseFailure failure) implements SipParseResult {
    }

    /** Nothing but CRLFs: a RFC 5626 keep-alive ping. */
    record KeepAlive() implements SipParseResult {
    }
}
