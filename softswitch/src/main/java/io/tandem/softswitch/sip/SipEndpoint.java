package io.tandem.softswitch.sip;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipTarget;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a SIP user agent of this node (the call engine, later the registrar) needs from the stack.
 * {@link SipStack} implements it; call-logic tests use a fake that records what is sent.
 *
 * <p>Every operation that sends takes the {@link TransactionExecutor} the caller lives on: the
 * transaction's timers and listener run there, and the octets leave through that loop's socket.
 * A call never relies on where a Call-ID happens to hash.
 */
public interface SipEndpoint {

    /** The event loop of a new dialog's Call-ID (only for the first request of a call). */
    TransactionExecutor executorFor(String callId);

    /** A top Via for a request we originate: our address, a fresh branch, {@code rport}. */
    Via newVia(SipTransport transport);

    /** A fresh From or To tag. */
    String newTag();

    /** Our Contact for dialogs we take part in. */
    Address contact();

    /** Sends a request (not ACK) in a new client transaction that lives on {@code executor}. */
    ClientTransaction sendRequest(SipRequest request, SipDestination destination, TransactionExecutor executor,
                                  ClientTransactionListener listener);

    /** Sends outside any transaction (the ACK of a 2xx) through {@code executor}'s socket. */
    void sendStateless(SipMessage message, SipDestination destination, TransactionExecutor executor);

    /** {@link #sendStateless(SipMessage, SipDestination, TransactionExecutor)} for octets kept from an earlier send. */
    void sendStateless(SipOctets message, SipDestination destination, TransactionExecutor executor);

    /** The RFC 3263 targets of a destination, best first. */
    CompletableFuture<List<SipTarget>> resolve(SipDestination destination);

    /** A target did not answer: later lookups try it last for a while. */
    void markFailed(SipTarget target);

    /**
     * Keeps the TCP/TLS connection from {@code peer} open past the idle timeout until {@code untilEpochMillis}
     * (0 ends the hold): a registered contact's flow (docs/registrations.md).
     *
     * @return whether such a connection is open
     */
    default boolean holdConnection(SipTransport transport, java.net.InetSocketAddress peer, long untilEpochMillis) {
        return false;
    }

    /** Whether a TCP/TLS connection with {@code peer} is open now (never opens one). */
    default boolean connectionOpen(SipTransport transport, java.net.InetSocketAddress peer) {
        return false;
    }

    /** Bans a source through flood protection (provisioned peers excepted). */
    void ban(InetAddress source);

    /**
     * Whether a source is banned now. Flood protection drops banned packet sources before they get
     * here; this is for customers behind a trusted proxy, whose packets come from the proxy.
     */
    default boolean isBanned(InetAddress source) {
        return false;
    }

    /**
     * Whether this node was itself overloaded at any moment within the last {@code window} (so that
     * a vendor's silence in that time may be our own backlog, not the vendor's fault).
     */
    default boolean overloadedWithin(java.time.Duration window) {
        return false;
    }
}
