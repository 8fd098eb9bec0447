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
        return reasonHeader(q850Cause, text);
    }

    /** The one way a {@code Reason} header (RFC 3326) is written: the text as a quoted string, with no octet that could end it. */
    public static String reasonHeader(int q850Cause, String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 24).append("Q.850;cause=").append(q850Cause).append(";text=\"");
        int limit = Math.min(text.length(), MAX_REASON_TEXT);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            quoted.append(c == '"' || c == '\\' ? '\'' : c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return quoted.append('"').toString();
    }

    /** Reason texts are ours or a vendor's reason phrase: cut long ones so a header stays a header. */
    static final int MAX_REASON_TEXT = 128;
}
