package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;

/**
 * Where to send a request: a host (IP literal or domain) and port over a transport.
 *
 * @param port the port, or -1 to let RFC 3263 decide (SRV for a domain, else the transport's default)
 */
public record SipDestination(SipTransport transport, String host, int port) {

    public SipDestination {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("destination host is required");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static SipDestination udp(String host, int port) {
        return new SipDestination(SipTransport.UDP, host, port);
    }

    public static SipDestination tcp(String host, int port) {
        return new SipDestination(SipTransport.TCP, host, port);
    }
}
