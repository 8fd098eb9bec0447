package io.tandem.softswitch.sip.message;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A glance at an {@code INVITE} or {@code ACK} datagram: its method, the headers a stateless refusal
 * echoes (Via, From, To, Call-ID, CSeq), whether To has a tag, whether it has a Route, and its User-Agent,
 * without parsing the rest of the message (request URI, other headers, body). An overloaded node refuses
 * or drops most of what it reads; a glance costs a fraction of a full parse.
 *
 * <p>Only the plain, common form is read: a request line {@code INVITE|ACK SP uri SP SIP/2.0}, one header
 * per physical line (no folding), exactly one From, To, Call-ID and CSeq, at most {@link #MAX_VIA_LINES}
 * Via lines (one Via on the first), no control characters in those, and the header lines ending in an
 * empty line. Every other datagram gives {@code null}, and the caller passes it to the full parser,
 * which answers it as before. The Vias, To and CSeq are read with the
 * same parsers a full parse uses, so {@link #topVia()}, {@link #toTag()} and {@link #serverKey()} are what
 * the full parse of the same octets would give. Of an ACK only the To tag and the Route are read (an
 * overloaded node drops the ACKs of its own refusals by their To tag): {@link #topVia()},
 * {@link #serverKey()} and {@link #statelessResponse} are for INVITEs.
 */
public final class RequestHead {
    /** More Via lines than this (a request that crossed many proxies) is left to the full parser. */
    static final int MAX_VIA_LINES = 8;
    private static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "ACK ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = " SIP/2.0".getBytes(StandardCharsets.US_ASCII);

    private final byte[] b;
    private final boolean invite;
    private final List<Via> vias;
    /** Start and end of each Via line's value, then of From, To, Call-ID and CSeq. */
    private final int[] viaLines;
    private final int fromStart;
    private final int fromEnd;
    private final int toStart;
    private final int toEnd;
    private final int callIdStart;
    private final int callIdEnd;
    private final int cseqStart;
    private final int cseqEnd;
    private final String toTag;
    private final boolean route;
    private final int userAgentStart;
    private final int userAgentEnd;

    private RequestHead(byte[] b, boolean invite, List<Via> vias, int[] viaLines, int[] v, String toTag, boolean route) {
        this.b = b;
        this.invite = invite;
        this.vias = vias;
        this.viaLines = viaLines;
        this.fromStart = v[0];
        this.fromEnd = v[1];
        this.toStart = v[2];
        this.toEnd = v[3];
        this.callIdStart = v[4];
        this.callIdEnd = v[5];
        this.cseqStart = v[6];
        this.cseqEnd = v[7];
        this.userAgentStart = v[8];
        this.userAgentEnd = v[9];
        this.toTag = toTag;
        this.route = route;
    }

    /**
     * The head of the INVITE or ACK in {@code b[off, off + len)}; {@code null} for any other method, or for
     * a message not in the plain form (see above), which the full parser must read.
     */
    public static RequestHead glance(byte[] b, int off, int len) {
        int end = off + Math.min(len, SipParser.MAX_MESSAGE_SIZE);
        boolean invite = startsWith(b, off, end, INVITE);
        if (!invite && !startsWith(b, off, end, ACK)) {
            return null;
        }
        int lineEnd = lineEnd(b, off, end);
        if (lineEnd < 0 || !endsWith(b, off, lineEnd, VERSION)) {
            return null;
        }
        int[] v = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        int[] viaLines = new int[2 * MAX_VIA_LINES];
        int viaCount = 0;
        boolean route = false;
        int p = next(b, lineEnd, end);
        int lines = 0;
        while (true) {
            if (p >= end || ++lines > SipParser.MAX_HEADERS) {
                return null;
            }
            int e = lineEnd(b, p, end);
            if (e < 0 || e - p > SipParser.MAX_LINE_LENGTH) {
                return null;
            }
            if (e == p) {
                break;
            }
            byte first = b[p];
            if (first == ' ' || first == '\t') {
                return null;
            }
            int colon = indexOf(b, p, e, (byte) ':');
            if (colon < 0) {
                return null;
            }
            int nameEnd = colon;
            while (nameEnd > p && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            int valueStart = colon + 1;
            while (valueStart < e && (b[valueStart] == ' ' || b[valueStart] == '\t')) {
                valueStart++;
            }
            int valueEnd = e;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            HeaderName h = HeaderName.byId(HeaderName.lookupId(b, p, nameEnd));
            if (h == HeaderName.VIA) {
                if (viaCount == MAX_VIA_LINES) {
                    return null;
                }
                viaLines[2 * viaCount] = valueStart;
                viaLines[2 * viaCount + 1] = valueEnd;
                viaCount++;
            } else if (h == HeaderName.ROUTE) {
                route = true;
            } else if (h != null) {
                int slot = switch (h) {
                    case FROM -> 0;
                    case TO -> 2;
                    case CALL_ID -> 4;
                    case CSEQ -> 6;
                    case USER_AGENT -> 8;
                    default -> -1;
                };
                if (slot >= 0) {
                    if (v[slot] >= 0) {
                        return null;
                    }
                    v[slot] = valueStart;
                    v[slot + 1] = valueEnd;
                }
            }
            p = next(b, e, end);
        }
        if (viaCount == 0 || v[0] < 0 || v[2] < 0 || v[4] < 0 || v[6] < 0) {
            return null;
        }
        if (v[5] == v[4] || indexOf(b, v[4], v[5], (byte) ' ') >= 0 || indexOf(b, v[4], v[5], (byte) '\t') >= 0) {
            return null;
        }
        // what a refusal echoes carries no control characters back to the source
        for (int i = 0; i < viaCount; i++) {
            if (hasControl(b, viaLines[2 * i], viaLines[2 * i + 1])) {
                return null;
            }
        }
        for (int slot = 0; slot < 8; slot += 2) {
            if (hasControl(b, v[slot], v[slot + 1])) {
                return null;
            }
        }
        try {
            if (!invite) {
                // an ACK is only ever dropped by its To tag: nothing else of it is read
                Address to = Address.parseSingle(new HeaderReader(b, v[2], v[3]));
                return new RequestHead(b, false, List.of(), new int[0], v, to.tag(), route);
            }
            List<Via> vias = new ArrayList<>(viaCount);
            for (int i = 0; i < viaCount; i++) {
                Via.parseList(new HeaderReader(b, viaLines[2 * i], viaLines[2 * i + 1]), vias);
                if (i == 0 && vias.size() > 1) {
                    // two Vias on the top line: left to the full parse, which restamps the first of them
                    return null;
                }
            }
            CSeq cseq = CSeq.parse(new HeaderReader(b, v[6], v[7]));
            if (!cseq.method().equals(SipRequest.INVITE)) {
                return null;
            }
            Address to = Address.parseSingle(new HeaderReader(b, v[2], v[3]));
            int[] lines2 = java.util.Arrays.copyOf(viaLines, 2 * viaCount);
            return new RequestHead(b, invite, List.copyOf(vias), lines2, v, to.tag(), route);
        } catch (SipSyntaxException e) {
            // the full parser answers it (400 with the reason)
            return null;
        }
    }

    public boolean isInvite() {
        return invite;
    }

    /** The To tag, {@code null} when there is none (a request outside a dialog). */
    public String toTag() {
        return toTag;
    }

    /** Whether the request has a Route header (loose routing through this node). */
    public boolean hasRoute() {
        return route;
    }

    /** The top Via of an INVITE. */
    public Via topVia() {
        if (!invite) {
            throw new IllegalStateException("the Vias of an ACK are not read");
        }
        return vias.get(0);
    }

    /** The Call-ID as it stands. */
    public String callId() {
        return new String(b, callIdStart, callIdEnd - callIdStart, StandardCharsets.ISO_8859_1);
    }

    /** The User-Agent, {@code null} when there is none. */
    public String userAgent() {
        return userAgentStart < 0 ? null : new String(b, userAgentStart, userAgentEnd - userAgentStart, StandardCharsets.UTF_8);
    }

    /**
     * The server transaction key a full parse gives this INVITE (RFC 3261 §17.2.3: branch, sent-by, method),
     * {@code null} when the top Via has no RFC 3261 branch.
     */
    public String serverKey() {
        Via top = topVia();
        return top.hasRfc3261Branch() ? top.branch() + '|' + top.sentBy() + '|' + SipRequest.INVITE : null;
    }

    /**
     * The octets of a stateless final response to this request as {@link SipRequest#createResponse(int, String)}
     * would build it: the Vias (the top one stamped with {@code received}/{@code rport} for {@code source}),
     * From, To with {@code toTag}, Call-ID and CSeq as received, then {@code extraName: extraValue} (none when
     * null) and an empty body.
     */
    public byte[] statelessResponse(int status, String reason, String toTag, InetSocketAddress source,
                                    String extraName, String extraValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (toEnd - toStart) + (fromEnd - fromStart));
        ascii(out, "SIP/2.0 " + status + ' ' + reason + "\r\n");
        Via top = topVia();
        Via stamped = top.stampedWithSource(source);
        if (stamped == top) {
            header(out, "Via", viaLines[0], viaLines[1]);
        } else {
            ascii(out, "Via: " + stamped + "\r\n");
        }
        for (int i = 1; 2 * i < viaLines.length; i++) {
            header(out, "Via", viaLines[2 * i], viaLines[2 * i + 1]);
        }
        header(out, "From", fromStart, fromEnd);
        ascii(out, "To: ");
        out.write(b, toStart, toEnd - toStart);
        ascii(out, ";tag=" + toTag + "\r\n");
        header(out, "Call-ID", callIdStart, callIdEnd);
        header(out, "CSeq", cseqStart, cseqEnd);
        if (extraName != null) {
            ascii(out, extraName + ": " + extraValue + "\r\n");
        }
        ascii(out, "Content-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    private void header(ByteArrayOutputStream out, String name, int start, int end) {
        ascii(out, name);
        ascii(out, ": ");
        out.write(b, start, end - start);
        ascii(out, "\r\n");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean startsWith(byte[] b, int off, int end, byte[] prefix) {
        if (end - off < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(byte[] b, int off, int end, byte[] suffix) {
        if (end - off < suffix.length) {
            return false;
        }
        int from = end - suffix.length;
        for (int i = 0; i < suffix.length; i++) {
            if (b[from + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The end of the line starting at {@code p} (before CRLF or LF), -1 when the datagram ends first or a CR stands alone. */
    private static int lineEnd(byte[] b, int p, int end) {
        int lf = indexOf(b, p, end, (byte) '\n');
        if (lf < 0) {
            return -1;
        }
        int e = lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
        return indexOf(b, p, e, (byte) '\r') >= 0 ? -1 : e;
    }

    /** The start of the line after the one that ends (before its line break) at {@code e}. */
    private static int next(byte[] b, int e, int end) {
        return e < end && b[e] == '\r' ? e + 2 : e + 1;
    }

    /** Whether a value holds an octet below 0x20 other than HT, or DEL. */
    private static boolean hasControl(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
