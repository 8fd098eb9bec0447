package io.tandem.softswitch.call;

/**
 * The SIP face of a {@link CallRejection}.
 *
 * @param q850Cause  the Q.850 cause for the {@code Reason} header (RFC 3326)
 * @param text       the Reason header's text, also logged and shown in CDRs
 * @param retryAfter seconds for a {@code Retry-After} header, or 0 for none
 */
public record SipRejection(int status, String reasonPhrase, int q850Cause, String text, int retryAfter) {

    /** The value of the {@code Reason} header: {@code Q.850;cause=34;text="..."}. */
    public String reasonHeader() {
        return "Q.850;cause=" + q850Cause + ";text=\"" + text.replace("\"", "'") + "\"";
    }
}
