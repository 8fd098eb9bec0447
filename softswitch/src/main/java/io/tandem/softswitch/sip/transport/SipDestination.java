package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;

/**
 * Where to send a request: a host (IP literal or domain) and port over a transport, and how a
 * domain is looked up (RFC 3263 §4). {@link SipResolver} turns it into an ordered list of
 * {@link SipTarget}s.
 *
 * @param transport the transport; with {@link Lookup#NAPTR} only the fallback when DNS names none
 * @param port      the port, or -1 for the transport's default; with {@link Lookup#SRV} and
 *                  {@link Lookup#NAPTR} only used when DNS has no SRV record
 * @param lookup    how a domain in {@code host} is resolved; IP literals are used as they are
 * @param serverName over TLS, the name the peer's certificate must carry and the SNI sent (RFC 5922 §4: the
 *                  domain the request was addressed to, not the SRV target or address it resolved to); null
 *                  for {@code host} itself
 */
public record SipDestination(SipTransport transport, String host, int port, Lookup lookup, String serverName) {

    /** RFC 3263 §4 steps a lookup starts from. */
    public enum Lookup {
        /** A/AAAA records of the host. */
        ADDRESS,
        /** SRV records for the transport ({@code _sip._udp}, {@code _sip._tcp}, {@code _sips._tcp}), then A/AAAA. */
        SRV,
        /** NAPTR choosing transport and SRV name (§4.1), else SRV for each transport, then A/AAAA. */
        NAPTR,
        /**
         * An IP literal reached over TCP/TLS only on the connection that is open to it now, never a new one: a
         * registered contact's flow behind a NAT (docs/registrations.md). Over UDP the same as {@link #ADDRESS}.
         */
        FLOW
    }

    public SipDestination {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("destination host is required");
        }
        if (transport == null || lookup == null) {
            throw new IllegalArgumentException("destination transport and lookup are required");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (serverName != null && serverName.isBlank()) {
            serverName = null;
        }
    }

    public SipDestination(SipTransport transport, String host, int port, Lookup lookup) {
        this(transport, host, port, lookup, null);
    }

    /** This destination, its TLS peer to be verified as {@code name} (a gateway's provisioned domain). */
    public SipDestination withServerName(String name) {
        return new SipDestination(transport, host, port, lookup, name);
    }

    /**
     * The name a TLS peer's certificate must match and that goes in SNI: {@link #serverName} when set, else
     * {@code host} when it is a domain; null for an IP literal, whose certificate is checked against that address.
     */
    public String tlsName() {
        if (serverName != null) {
            return serverName;
        }
        return hostIsIpLiteral() ? null : host;
    }

    /** A destination as a SIP URI gives it: with a port, the host's addresses; without one, SRV first (RFC 3263 §4.2). */
    public SipDestination(SipTransport transport, String host, int port) {
        this(transport, host, port, port < 0 ? Lookup.SRV : Lookup.ADDRESS);
    }

    /** A registered contact's flow: over TCP/TLS only its open connection (see {@link Lookup#FLOW}). */
    public static SipDestination flow(SipTransport transport, java.net.InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return new SipDestination(transport, host.indexOf(':') >= 0 ? "[" + host + "]" : host, address.getPort(), Lookup.FLOW);
    }

    public static SipDestination udp(String host, int port) {
        return new SipDestination(SipTransport.UDP, host, port);
    }

    public static SipDestination tcp(String host, int port) {
        return new SipDestination(SipTransport.TCP, host, port);
    }

    /** The port to use when DNS names none. */
    public int portOrDefault() {
        return port >= 0 ? port : transport.defaultPort();
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (with or without brackets), which is never looked up. */
    public boolean hostIsIpLiteral() {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
