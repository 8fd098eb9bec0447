package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;

/**
 * The transaction user: what the switch does with what the stack does not absorb. Every call
 * happens on the executor chosen by the request's Call-ID, so one call's events never race.
 */
public interface SipRequestHandler {

    /**
     * A request that matches no transaction (never ACK or CANCEL) and passed the layer's own
     * checks, before any transaction state exists: answer it statelessly, ignore it, or let it have a
     * server transaction. Runs on the loop that read the request (any thread); must answer from
     * memory and never block. The default gives every request a transaction.
     *
     * @param source where the request came from (the transport's view)
     */
    default FirstLook firstLook(SipRequest request, java.net.InetSocketAddress source) {
        return FirstLook.TRANSACTION;
    }

    /**
     * Whether the user forwards this request itself, statelessly (RFC 3261 §16.11), before any
     * transaction, ACK or CANCEL matching: the registrar's relay to a registered flow. Runs first for
     * every request on the loop that read it; must be cheap and never block. The default takes none.
     */
    default boolean relays(SipRequest request, java.net.InetSocketAddress source) {
        return false;
    }

    /**
     * A new request (never ACK or CANCEL) on a fresh server transaction. It must be answered
     * with a final response through the transaction. INVITEs have already had {@code 100 Trying}.
     */
    void onRequest(ServerTransaction transaction);

    /**
     * A CANCEL matched a pending INVITE and has been answered {@code 200}. The default ends
     * the INVITE with {@code 487} (RFC 3261 §9.2).
     */
    default void onCancel(InviteServerTransaction invite, SipRequest cancel) {
        invite.respond(487);
    }

    /**
     * An ACK for a 2xx: it belongs to the dialog, not to a transaction (RFC 3261 §17.1.1.1). Called on the Call-ID's
     * executor for the first ACK of a 2xx the stack sent; any other ACK (retransmitted, or for a stateless refusal)
     * on whichever loop read it.
     */
    default void onAck(SipRequest ack) {
    }

    /** A 2xx was retransmitted for 64·T1 without an ACK; the dialog should be ended with BYE. */
    default void onAckTimeout(InviteServerTransaction invite) {
    }

    /** A response that matches no client transaction, e.g. a 2xx retransmitted after the transaction ended. */
    default void onStrayResponse(SipResponse response) {
    }
}
