package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipResponse;

/** Receives what a client transaction learns; called on the transaction's executor. */
public interface ClientTransactionListener {

    /** Wants nothing: for requests whose answer does not matter (a CANCEL, the switch's own BYE). */
    ClientTransactionListener NONE = new ClientTransactionListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }
    };

    /** Every provisional and final response except retransmissions of a non-2xx final. */
    void onResponse(ClientTransaction transaction, SipResponse response);

    /** Timer B or F fired: no final response came (callers treat it like a 408). */
    void onTimeout(ClientTransaction transaction);

    /** The request could not be sent at all (no route, connection refused). */
    default void onTransportError(ClientTransaction transaction, Throwable cause) {
        onTimeout(transaction);
    }
}
