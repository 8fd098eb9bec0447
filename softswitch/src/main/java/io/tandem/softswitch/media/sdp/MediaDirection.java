package io.tandem.softswitch.media.sdp;

import java.util.Locale;

/** The direction attributes of RFC 4566 §6 (RFC 3264 §5.1); {@link #SENDRECV} when none is given. */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public String attribute() {
        return "a=" + name().toLowerCase(Locale.ROOT);
    }

    /** Whether the side that wrote this will send media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the side that wrote this expects to receive media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction named by an attribute line ({@code a=sendonly}), or null for any other line. */
    static MediaDirection ofLine(String line) {
        return switch (line) {
            case "a=sendrecv" -> SENDRECV;
            case "a=sendonly" -> SENDONLY;
            case "a=recvonly" -> RECVONLY;
            case "a=inactive" -> INACTIVE;
            default -> null;
        };
    }
}
