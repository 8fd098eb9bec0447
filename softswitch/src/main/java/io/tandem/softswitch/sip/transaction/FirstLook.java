package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipResponse;

/**
 * What the transaction user decides about a new request before the stack spends a server
 * transaction on it ({@link SipRequestHandler#firstLook}). Answers to strangers are sent once,
 * statelessly: no state is kept and nothing is retransmitted, so a spoofed source cannot make the
 * switch reflect ten answers for one packet (RFC 3261 §8.2.7 allows a stateless UAS to do so).
 */
public sealed interface FirstLook {

    /** Give the request a server transaction; {@code context} travels with it ({@link ServerTransaction#firstLook()}). */
    record Transaction(Object context) implements FirstLook {
    }

    /**
     * Answer once without a transaction. The layer adds the To tag and the Via {@code received}/{@code rport};
     * a retransmitted request is looked at and answered again.
     */
    record StatelessAnswer(SipResponse.Builder response) implements FirstLook {
    }

    /** No answer at all (a source being slowed down or banned). */
    record Silence(String why) implements FirstLook {
    }

    /** A transaction without context: the default for requests the user does not screen. */
    FirstLook TRANSACTION = new Transaction(null);
}
