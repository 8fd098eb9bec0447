package io.tandem.softswitch.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one header value, read straight from the message's octets (or from an unfolded
 * copy when the value was folded). Implements the RFC 3261 §25.1 lexical rules the typed
 * headers need: LWS around separators, tokens, quoted strings with escapes. Strings are made
 * only for the parts a typed header keeps.
 */
final class HeaderReader {
    private final byte[] b;
    private int pos;
    private final int end;

    HeaderReader(String s) {
        this(s.getBytes(StandardCharsets.UTF_8));
    }

    HeaderReader(byte[] b) {
        this(b, 0, b.length);
    }

    HeaderReader(byte[] b, int start, int end) {
        this.b = b;
        this.pos = start;
        this.end = end;
    }

    int pos() {
        return pos;
    }

    void pos(int p) {
        pos = p;
    }

    byte[] bytes() {
        return b;
    }

    int end() {
        return end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** The octet at the cursor (0-255), or -1 at the end. */
    int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    void skipLws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    /** Skips LWS, then consumes {@code c} if it is next. */
    boolean accept(char c) {
        skipLws();
        if (pos < end && b[pos] == c) {
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

    /** First index of {@code c} in {@code [from, end)}, or -1. */
    int indexOf(char c, int from) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3261 §25.1 token characters, by octet. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.!%*_+`'~".indexOf(c) >= 0;
        }
    }

    static boolean isTokenByte(byte c) {
        return TOKEN[c & 0xff];
    }

    /** Whether every char of {@code s} is a token char (RFC 3261 §25.1); false for non-ASCII. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** Names that recur in almost every message; returned as constants instead of new strings. */
    static final String[] COMMON = {"SIP", "2.0", "UDP", "TCP", "TLS", "branch", "rport", "received", "tag", "lr",
        "transport", "user", "maddr", "expires", "q", "refresher", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS",
        "REGISTER", "udp", "tcp", "tls", "phone", "uac", "uas", "sip", "sips"};

    /** {@link #COMMON} as octets, bucketed by length and first octet, so a miss costs one array read. */
    private static final byte[][][] COMMON_BYTES = new byte[16 * 128][][];
    private static final String[][] COMMON_STRINGS = new String[16 * 128][];

    static {
        for (String c : COMMON) {
            int k = c.length() * 128 + c.charAt(0);
            byte[][] oldB = COMMON_BYTES[k];
            String[] oldS = COMMON_STRINGS[k];
            int n = oldB == null ? 0 : oldB.length;
            byte[][] nb = new byte[n + 1][];
            String[] ns = new String[n + 1];
            if (n > 0) {
                System.arraycopy(oldB, 0, nb, 0, n);
                System.arraycopy(oldS, 0, ns, 0, n);
            }
            nb[n] = c.getBytes(StandardCharsets.US_ASCII);
            ns[n] = c;
            COMMON_BYTES[k] = nb;
            COMMON_STRINGS[k] = ns;
        }
    }

    /** The text of {@code b[start, end)}, as a shared constant when it is a common name. */
    static String str(byte[] b, int start, int end) {
        int len = end - start;
        if (len > 0 && len < 16 && b[start] >= 0) {
            int k = len * 128 + b[start];
            byte[][] bucket = COMMON_BYTES[k];
            if (bucket != null) {
                outer:
                for (int j = 0; j < bucket.length; j++) {
                    byte[] c = bucket[j];
                    for (int i = 1; i < len; i++) {
                        if (b[start + i] != c[i]) {
                            continue outer;
                        }
                    }
                    return COMMON_STRINGS[k][j];
                }
            }
        }
        return new String(b, start, len, StandardCharsets.UTF_8);
    }

    String str(int start, int stop) {
        return str(b, start, stop);
    }

    /** A token (RFC 3261 §25.1); fails when none is there. */
    String token(String what) {
        skipLws();
        int start = pos;
        while (pos < end && isTokenByte(b[pos])) {
            pos++;
        }
        if (start == pos) {
            throw new SipSyntaxException("missing " + what);
        }
        return str(b, start, pos);
    }

    /** A quoted string starting at the cursor, returned without quotes and with escapes resolved. */
    String quotedString(String what) {
        skipLws();
        if (peek() != '"') {
            throw new SipSyntaxException("expected quoted " + what);
        }
        pos++;
        ByteArrayOutputStream sb = null;
        int start = pos;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                String out;
                if (sb == null) {
                    out = new String(b, start, pos - start, StandardCharsets.UTF_8);
                } else {
                    sb.write(b, start, pos - start);
                    out = sb.toString(StandardCharsets.UTF_8);
                }
                pos++;
                return out;
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    break;
                }
                if (sb == null) {
                    sb = new ByteArrayOutputStream();
                }
                sb.write(b, start, pos - start);
                sb.write(b[pos + 1]);
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
            return new String(b, start, pos - start, StandardCharsets.UTF_8);
        }
        while (pos < end) {
            byte c = b[pos];
            if (isTokenByte(c) || c == ':' || c == '[' || c == ']') {
                pos++;
            } else {
                break;
            }
        }
        if (start == pos) {
            throw new SipSyntaxException("missing value of " + what);
        }
        return str(b, start, pos);
    }

    /** {@code *( SEMI generic-param )} as used by Via, name-addr and CSeq-free headers. */
    Parameters params(String what) {
        Parameters.Builder pb = null;
        while (true) {
            int save = pos;
            if (!accept(';')) {
                pos = save;
                return pb == null ? Parameters.EMPTY : pb.build();
            }
            String name = token("parameter name in " + what);
            String value = null;
            int beforeEq = pos;
            if (accept('=')) {
                value = paramValue(name + " in " + what);
            } else {
                pos = beforeEq;
            }
            if (pb == null) {
                pb = new Parameters.Builder();
            }
            pb.add(name, value);
        }
    }
}
