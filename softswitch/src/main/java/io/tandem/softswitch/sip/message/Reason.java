package io.tandem.softswitch.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Reason value (RFC 3326): {@code Q.850;cause=16;text="Normal call clearing"}.
 *
 * @param protocol {@code Q.850}, {@code SIP}, ...
 * @param cause    the cause code, or -1 when absent
 * @param text     the text without quotes, or {@code null}
 */
public record Reason(String protocol, int cause, String text) {

    /** Every Reason value in a header line; empty when it is not well-formed. */
    public static Optional<List<Reason>> parseList(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            HeaderReader r = new HeaderReader(value);
            List<Reason> out = new ArrayList<>(1);
            do {
                String protocol = r.token("Reason protocol");
                Parameters p = r.params("Reason");
                String c = p.get("cause");
                int cause = -1;
                if (c != null) {
                    if (c.isEmpty() || c.length() > 9 || !c.chars().allMatch(Character::isDigit)) {
                        return Optional.empty();
                    }
                    cause = Integer.parseInt(c);
                }
                String t = p.get("text");
                if (t != null && t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                    t = new HeaderReader(t).quotedString("Reason text");
                }
                out.add(new Reason(protocol, cause, t));
            } while (r.accept(','));
            r.skipLws();
            return r.atEnd() ? Optional.of(List.copyOf(out)) : Optional.empty();
        } catch (SipSyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(protocol);
        if (cause >= 0) {
            sb.append(";cause=").append(cause);
        }
        if (text != null) {
            sb.append(";text=\"").append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }
}
