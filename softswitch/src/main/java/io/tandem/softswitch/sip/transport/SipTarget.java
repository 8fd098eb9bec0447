package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;

/** One resolved place to send a request to: a transport and a socket address (RFC 3263 §4.3). */
public record SipTarget(SipTransport transport, InetSocketAddress address) {

    /** This target as a destination that needs no lookup. */
    public SipDestination destination() {
        String host = address.getAddress().getHostAddress();
        return new SipDestination(transport, host.indexOf(':') >= 0 ? "[" + host + "]" : host, address.getPort(),
            SipDestination.Lookup.ADDRESS);
    }
}
