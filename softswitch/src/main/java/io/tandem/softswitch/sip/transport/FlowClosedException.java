package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A registered contact's TCP/TLS connection is gone: behind a NAT nothing else reaches it, so no new
 * connection is opened ({@link SipDestination.Lookup#FLOW}).
 */
public final class FlowClosedException extends ClosedChannelException {
    private final String message;

    public FlowClosedException(SipTransport transport, InetSocketAddress peer) {
        this.message = "the " + transport + " connection the contact registered on (" + peer.getAddress().getHostAddress() + ":"
                + peer.getPort() + ") is closed";
    }

    @Override
    public String getMessage() {
        return message;
    }
}
