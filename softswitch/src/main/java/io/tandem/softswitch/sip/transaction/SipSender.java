package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipOctets;
import java.util.function.Consumer;

/**
 * Where a transaction's messages go: a connection, or a UDP socket plus a destination.
 * Decided by the transport layer (RFC 3261 §18), so transactions stay free of sockets.
 */
public interface SipSender {

    /** Sends the message; {@code onFailure} is called (on any thread) if it cannot be sent. */
    void send(SipOctets message, Consumer<Throwable> onFailure);

    /** Whether the transport delivers reliably; unreliable ones get retransmission timers. */
    boolean reliable();

    /** The peer's address: where a request came from, or where this sender sends to (null if unknown). */
    default java.net.InetSocketAddress remoteAddress() {
        return null;
    }
}
