package io.tandem.softswitch.media.sdp;

/**
 * An SDP body that cannot be anchored: the call engine answers it with {@code 488 Not Acceptable
 * Here} (RFC 3261 §21.4.26) carrying this message. No stack trace: a stranger's garbage must cost
 * no more than the garbage itself.
 */
public final class SdpSyntaxException extends Exception {
    public SdpSyntaxException(String message) {
        super(message, null, false, false);
    }
}
