package io.tandem.softswitch.sip.message;

import java.util.Optional;

/**
 * A Session-Expires value (RFC 4028 §4): the interval and who refreshes.
 *
 * @param seconds   the session interval
 * @param refresher {@code uac}, {@code uas}, or {@code null} when not said
 */
public record SessionExpires(long seconds, String refresher) {

    /** The value of a Session-Expires header; empty when it is not well-formed. */
    public static Optional<SessionExpires> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            HeaderReader r = new HeaderReader(value);
            String digits = r.token("delta-seconds");
            if (digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            Parameters p = r.params("Session-Expires");
            r.skipLws();
            if (!r.atEnd()) {
                return Optional.empty();
            }
            return Optional.of(new SessionExpires(Long.parseLong(digits), p.get("refresher")));
        } catch (SipSyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return refresher == null ? Long.toString(seconds) : seconds + ";refresher=" + refresher;
    }
}
