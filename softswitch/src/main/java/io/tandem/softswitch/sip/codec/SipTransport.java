package io.tandem.softswitch.sip.codec;

/** The transports of RFC 3261 §18; only UDP retransmits (reliable ones set timers to zero). */
public enum SipTransport {
    UDP(false, 5060),
    TCP(true, 5060),
    TLS(true, 5061);

    private final boolean reliable;
    private final int defaultPort;

    SipTransport(boolean reliable, int defaultPort) {
        this.reliable = reliable;
        this.defaultPort = defaultPort;
    }

    public boolean reliable() {
        return reliable;
    }

    /** RFC 3261 §19.1.2: 5060 for sip over UDP/TCP, 5061 for TLS. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The transport named in a Via, or {@code null} when the switch does not speak it. */
    public static SipTransport fromVia(String viaTransport) {
        return switch (viaTransport) {
            case "UDP" -> UDP;
            case "TCP" -> TCP;
            case "TLS" -> TLS;
            default -> null;
        };
    }
}
