package io.tandem.softswitch.sip.message;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Via value (RFC 3261 §20.42): {@code SIP/2.0/UDP host:port;branch=...}.
 *
 * @param protocol  protocol name and version, normally {@code SIP/2.0}
 * @param transport upper-case transport ({@code UDP}, {@code TCP}, {@code TLS}, ...)
 * @param host      sent-by host, IPv6 references with brackets
 * @param port      sent-by port or -1
 * @param params    via-params in order ({@code branch}, {@code received}, {@code rport}, ...)
 */
public record Via(String protocol, String transport, String host, int port, Parameters params) {

    /** RFC 3261 §8.1.1.7: branches that begin with this are globally unique transaction ids. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    public static Via of(String transport, String host, int port, String branch) {
        return new Via("SIP/2.0", transport.toUpperCase(Locale.ROOT), host, port,
            Parameters.EMPTY.with("branch", branch));
    }

    public String branch() {
        return params.get("branch");
    }

    /** Whether the branch carries the RFC 3261 magic cookie (else RFC 2543 matching applies). */
    public boolean hasRfc3261Branch() {
        String b = branch();
        return b != null && b.startsWith(MAGIC_COOKIE);
    }

    public String received() {
        return params.get("received");
    }

    /** The {@code rport} value, -1 when absent or empty (RFC 3581). */
    public int rport() {
        String v = params.get("rport");
        if (v == null || v.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean hasRport() {
        return params.has("rport");
    }

    /** {@code host[:port]} as used for transaction matching (RFC 3261 §17.2.3). */
    public String sentBy() {
        return port < 0 ? host : host + ":" + port;
    }

    /**
     * This Via as a server echoes it for a request that arrived from {@code source}: with
     * {@code received} when the sent-by is not that address (RFC 3261 §18.2.1), and an empty
     * {@code rport} filled with the source port plus {@code received} (RFC 3581 §4). Returns
     * this Via unchanged when the source is unknown or nothing needs saying.
     */
    public Via stampedWithSource(InetSocketAddress source) {
        if (source == null || source.getAddress() == null) {
            return this;
        }
        String ip = source.getAddress().getHostAddress();
        if (source.getAddress() instanceof Inet6Address) {
            ip = "[" + ip + "]";
        }
        boolean fillRport = hasRport() && rport() < 0;
        boolean differs = !host.equalsIgnoreCase(ip);
        if (!fillRport && !differs) {
            return this;
        }
        Via v = withParam("received", ip);
        return fillRport ? v.withParam("rport", Integer.toString(source.getPort())) : v;
    }

    public Via withParam(String name, String value) {
        return new Via(protocol, transport, host, port, params.with(name, value));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(48).append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb);
        return sb.toString();
    }

    /** Parses every comma-separated Via value in one header line into {@code out}. */
    static void parseList(String value, List<Via> out) {
        parseList(new HeaderReader(value), out);
    }

    static void parseList(HeaderReader r, List<Via> out) {
        do {
            out.add(parseOne(r));
        } while (r.accept(','));
        r.skipLws();
        if (!r.atEnd()) {
            throw new SipSyntaxException("junk after Via value");
        }
    }

    static List<Via> parseList(String value) {
        List<Via> out = new ArrayList<>(1);
        parseList(value, out);
        return out;
    }

    private static Via parseOne(HeaderReader r) {
        String name = r.token("Via protocol name");
        r.expect('/', "Via");
        String version = r.token("Via protocol version");
        r.expect('/', "Via");
        String transport = r.token("Via transport");
        r.skipLws();
        int start = r.pos();
        int end = r.end();
        byte[] b = r.bytes();
        String host;
        if (r.peek() == '[') {
            int close = r.indexOf(']', start);
            if (close < 0) {
                throw new SipSyntaxException("unterminated IPv6 reference in Via");
            }
            host = r.str(start, close + 1);
            r.pos(close + 1);
        } else {
            int p = start;
            while (p < end) {
                int c = b[p];
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_') {
                    p++;
                } else {
                    break;
                }
            }
            if (p == start) {
                throw new SipSyntaxException("Via without sent-by host");
            }
            host = r.str(start, p);
            r.pos(p);
        }
        int port = -1;
        int save = r.pos();
        if (r.accept(':')) {
            r.skipLws();
            int p = r.pos();
            int ps = p;
            port = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                port = port * 10 + (b[p] - '0');
                if (port > 65535) {
                    throw new SipSyntaxException("Via port out of range");
                }
                p++;
            }
            if (p == ps) {
                throw new SipSyntaxException("Via port missing");
            }
            r.pos(p);
        } else {
            r.pos(save);
        }
        Parameters params = r.params("Via");
        String protocol = name.equals("SIP") && version.equals("2.0") ? "SIP/2.0" : name + "/" + version;
        return new Via(protocol, upper(transport), host, port, params);
    }

    private static String upper(String t) {
        return switch (t) {
            case "UDP", "udp" -> "UDP";
            case "TCP", "tcp" -> "TCP";
            case "TLS", "tls" -> "TLS";
            default -> t.toUpperCase(Locale.ROOT);
        };
    }
}
