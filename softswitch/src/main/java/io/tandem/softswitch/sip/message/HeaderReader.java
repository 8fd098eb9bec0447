package io.tandem.softswitch.sip.message;

/**
 * A cursor over one unfolded header value. Implements the RFC 3261 §25.1 lexical rules the
 * typed headers need: LWS around separators, tokens, quoted strings with escapes.
 */
final class HeaderReader {
    private final String s;
    private int pos;
    private final int end;

    HeaderReader(String s) {
        this(s, 0, s.length());
    }

    HeaderReader(String s, int start, int end) {
        this.s = s;
        this.pos = start;
        this.end = end;
    }

    int pos() {
        return pos;
    }

    void pos(int p) {
        pos = p;
    }

    String source() {
        return s;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int peek() {
        return pos < end ? s.charAt(pos) : -1;
    }

    void skipLws() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    /** Skips LWS, then consumes {@code c} if it is next. */
    boolean accept(char c) {
        skipLws();
        if (pos < end && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c, String what) {
        if (!accept(c)) {
            throw new SipSyntaxException("expected '" + c + "' in " + what);
        }
    }

    /** RFC 3261 §25.1 token characters, by octet. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.!%*_+`'~".indexOf(c) >= 0;
        }
    }

    static boolean isTokenChar(int c) {
        return c >= 0 && c < 256 && TOKEN[c];
    }

    /** Names that recur in almost every message; returned as constants instead of new strings. */
    static final String[] COMMON = {"SIP", "2.0", "UDP", "TCP", "TLS", "branch", "rport", "received", "tag", "lr",
        "transport", "user", "maddr", "expires", "q", "refresher", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS",
        "REGISTER", "udp", "tcp", "tls", "phone", "uac", "uas"};

    /** A token (RFC 3261 §25.1); fails when none is there. */
    String token(String what) {
        skipLws();
        int start = pos;
        while (pos < end && isTokenChar(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new SipSyntaxException("missing " + what);
        }
        return common(s, start, pos);
    }

    /** {@link #COMMON} bucketed by length and first character, so a miss costs one array read. */
    private static final String[][] COMMON_INDEX = new String[16 * 128][];

    static {
        for (String c : COMMON) {
            int k = commonSlot(c.length(), c.charAt(0));
            String[] old = COMMON_INDEX[k];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = c;
            COMMON_INDEX[k] = grown;
        }
    }

    private static int commonSlot(int len, char first) {
        return len * 128 + first;
    }

    private static boolean sameChars(String s, int start, String c) {
        for (int i = 1; i < c.length(); i++) {
            if (s.charAt(start + i) != c.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The text of {@code s[start, end)}, as a shared constant when it is a common name. */
    static String common(String s, int start, int end) {
        int len = end - start;
        if (len > 0 && len < 16) {
            char first = s.charAt(start);
            if (first < 128) {
                String[] bucket = COMMON_INDEX[commonSlot(len, first)];
                if (bucket != null) {
                    for (String c : bucket) {
                        if (sameChars(s, start, c)) {
                            return c;
                        }
                    }
                }
            }
        }
        return s.substring(start, end);
    }

    /** A quoted string starting at the cursor, returned without quotes and with escapes resolved. */
    String quotedString(String what) {
        skipLws();
        if (peek() != '"') {
            throw new SipSyntaxException("expected quoted " + what);
        }
        pos++;
        StringBuilder sb = null;
        int start = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    break;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, pos).append(s.charAt(pos + 1));
                pos += 2;
                start = pos;
                continue;
            }
            pos++;
        }
        throw new SipSyntaxException("unterminated quoted " + what);
    }

    /** Raw text (quotes kept) of a parameter value: token, host, IPv6 reference or quoted string. */
    String paramValue(String what) {
        skipLws();
        int start = pos;
        if (peek() == '"') {
            quotedString(what);
            return s.substring(start, pos);
        }
        int first = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (isTokenChar(c) || c == ':' || c == '[' || c == ']') {
                pos++;
            } else {
                break;
            }
        }
        if (first == pos) {
            throw new SipSyntaxException("missing value of " + what);
        }
        return common(s, first, pos);
    }

    /** {@code *( SEMI generic-param )} as used by Via, name-addr and CSeq-free headers. */
    Parameters params(String what) {
        Parameters.Builder b = null;
        while (true) {
            int save = pos;
            if (!accept(';')) {
                pos = save;
                return b == null ? Parameters.EMPTY : b.build();
            }
            String name = token("parameter name in " + what);
            String value = null;
            int beforeEq = pos;
            if (accept('=')) {
                value = paramValue(name + " in " + what);
            } else {
                pos = beforeEq;
            }
            if (b == null) {
                b = new Parameters.Builder();
            }
            b.add(name, value);
        }
    }

    String rest() {
        return s.substring(pos, end);
    }
}
