package io.tandem.softswitch.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A URI as found in a Request-URI or a name-addr. {@code sip:} and {@code sips:} URIs
 * (RFC 3261 §19.1) are split into parts; any other scheme ({@code tel:}, unknown ones) keeps
 * only its {@code opaque} remainder. {@link #raw()} is the text as received and is what gets
 * written when the URI is relayed, so escaping and parameter order survive untouched.
 *
 * @param raw      the URI exactly as written
 * @param scheme   lower-case scheme
 * @param user     user part as written (still %-escaped), {@code null} if none
 * @param password password part as written, {@code null} if none
 * @param host     host, IPv6 references keep their brackets; {@code null} for non-SIP schemes
 * @param port     port, or -1 when absent
 * @param params   URI parameters (a {@code ;} inside the user part is not one, RFC 4475 §3.1.1.9)
 * @param headers  the raw text after {@code ?}, {@code null} if none
 * @param opaque   for non-SIP schemes everything after the colon; {@code null} for SIP
 */
public record SipUri(String raw, String scheme, String user, String password, String host, int port,
                     Parameters params, String headers, String opaque) {

    /** Octets that may not appear unescaped anywhere in a URI (controls, space, {@code < > "}). */
    private static final boolean[] ILLEGAL = new boolean[128];

    static {
        for (int c = 0; c <= ' '; c++) {
            ILLEGAL[c] = true;
        }
        ILLEGAL[0x7f] = true;
        ILLEGAL['<'] = true;
        ILLEGAL['>'] = true;
        ILLEGAL['"'] = true;
    }

    public boolean isSip() {
        return opaque == null;
    }

    public boolean isSips() {
        return "sips".equals(scheme);
    }

    /** The user part with %-escapes resolved (RFC 3261 §19.1.2: escaped and unescaped forms are equal). */
    public String userDecoded() {
        return user == null ? null : unescape(user);
    }

    /** {@code sip:user@host[:port]}; pass null user or port -1 to leave them out. */
    public static SipUri sip(String user, String host, int port) {
        StringBuilder sb = new StringBuilder("sip:");
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        return parse(sb.toString());
    }

    /** This URI with one URI parameter set. */
    public SipUri withParam(String name, String value) {
        if (!isSip()) {
            throw new IllegalStateException("parameters only on sip/sips URIs: " + raw);
        }
        return format(scheme, user, password, host, port, params.with(name, value), headers);
    }

    /** This URI with a new host and port (-1 for none). */
    public SipUri withHostPort(String newHost, int newPort) {
        if (!isSip()) {
            throw new IllegalStateException("host only on sip/sips URIs: " + raw);
        }
        return format(scheme, user, password, newHost, newPort, params, headers);
    }

    private static SipUri format(String scheme, String user, String password, String host, int port,
                                 Parameters params, String headers) {
        StringBuilder sb = new StringBuilder(scheme).append(':');
        if (user != null) {
            sb.append(user);
            if (password != null) {
                sb.append(':').append(password);
            }
            sb.append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb);
        if (headers != null) {
            sb.append('?').append(headers);
        }
        return parse(sb.toString());
    }

    @Override
    public String toString() {
        return raw;
    }

    /**
     * Parses a URI; throws {@link IllegalArgumentException} on malformed input. For use by code
     * building messages; the wire parser reports failures as values instead.
     */
    public static SipUri parse(String text) {
        try {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            return parse(b, 0, b.length);
        } catch (SipSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + text);
        }
    }

    /** Parses {@code b[start, end)}; throws {@link SipSyntaxException} (caught by the parser). */
    static SipUri parse(byte[] b, int start, int end) {
        int colon = -1;
        for (int i = start; i < end; i++) {
            int c = b[i];
            if (c == ':') {
                colon = i;
                break;
            }
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            boolean ok = letter || i > start && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
            if (!ok) {
                throw new SipSyntaxException("bad URI scheme");
            }
        }
        if (colon <= start) {
            throw new SipSyntaxException("URI without scheme");
        }
        int at = -1;
        for (int i = colon + 1; i < end; i++) {
            int c = b[i];
            if (c >= 0 && ILLEGAL[c]) {
                throw new SipSyntaxException("illegal character in URI");
            }
            if (c == '@' && at < 0) {
                at = i;
            }
        }
        String raw = new String(b, start, end - start, StandardCharsets.UTF_8);
        String scheme = lowerScheme(b, start, colon);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            if (colon + 1 >= end) {
                throw new SipSyntaxException("empty URI");
            }
            return new SipUri(raw, scheme, null, null, null, -1, Parameters.EMPTY, null,
                new String(b, colon + 1, end - colon - 1, StandardCharsets.UTF_8));
        }
        int p = colon + 1;
        String user = null;
        String password = null;
        if (at >= 0) {
            int pw = -1;
            for (int i = p; i < at; i++) {
                if (b[i] == ':') {
                    pw = i;
                    break;
                }
            }
            if (pw >= 0) {
                user = new String(b, p, pw - p, StandardCharsets.UTF_8);
                password = new String(b, pw + 1, at - pw - 1, StandardCharsets.UTF_8);
            } else {
                user = new String(b, p, at - p, StandardCharsets.UTF_8);
            }
            if (user.isEmpty()) {
                throw new SipSyntaxException("empty user in URI");
            }
            p = at + 1;
        }
        int hostStart = p;
        if (p < end && b[p] == '[') {
            int close = -1;
            for (int i = p; i < end; i++) {
                if (b[i] == ']') {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                throw new SipSyntaxException("unterminated IPv6 reference");
            }
            p = close + 1;
        } else {
            while (p < end) {
                int c = b[p];
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_') {
                    p++;
                } else {
                    break;
                }
            }
        }
        if (p == hostStart) {
            throw new SipSyntaxException("URI without host");
        }
        String host = new String(b, hostStart, p - hostStart, StandardCharsets.ISO_8859_1);
        int port = -1;
        if (p < end && b[p] == ':') {
            p++;
            int ps = p;
            port = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                port = port * 10 + (b[p] - '0');
                if (port > 65535) {
                    throw new SipSyntaxException("port out of range");
                }
                p++;
            }
            if (p == ps) {
                throw new SipSyntaxException("empty port");
            }
        }
        Parameters.Builder pb = null;
        while (p < end && b[p] == ';') {
            p++;
            int ns = p;
            while (p < end && b[p] != '=' && b[p] != ';' && b[p] != '?') {
                p++;
            }
            if (p == ns) {
                throw new SipSyntaxException("empty URI parameter");
            }
            String name = HeaderReader.str(b, ns, p);
            String value = null;
            if (p < end && b[p] == '=') {
                int vs = ++p;
                while (p < end && b[p] != ';' && b[p] != '?') {
                    p++;
                }
                value = HeaderReader.str(b, vs, p);
            }
            if (pb == null) {
                pb = new Parameters.Builder();
            }
            pb.add(name, value);
        }
        String headers = null;
        if (p < end && b[p] == '?') {
            headers = new String(b, p + 1, end - p - 1, StandardCharsets.UTF_8);
            p = end;
        }
        if (p != end) {
            throw new SipSyntaxException("unexpected character in URI");
        }
        return new SipUri(raw, scheme, user, password, host, port, pb == null ? Parameters.EMPTY : pb.build(),
            headers, null);
    }

    private static String lowerScheme(byte[] b, int start, int colon) {
        int len = colon - start;
        if ((len == 3 || len == 4) && (b[start] | 0x20) == 's' && (b[start + 1] | 0x20) == 'i'
            && (b[start + 2] | 0x20) == 'p') {
            if (len == 3) {
                return "sip";
            }
            if ((b[start + 3] | 0x20) == 's') {
                return "sips";
            }
        }
        return new String(b, start, len, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    /** Resolves %HH escapes (as UTF-8); a {@code %} not followed by two hex digits stays literal. */
    public static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
