package io.tandem.softswitch.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the octets of one SIP message into a {@link SipMessage}, or into a
 * {@link SipParseFailure} that says what was wrong. Never throws on any input.
 *
 * <p>Framing: if {@code Content-Length} is present the body is that many octets and anything
 * after it is ignored (RFC 4475 §3.1.1.8); if absent the body is the rest of the input, which
 * is right for a datagram and, for a stream, the framing decoder has already cut it to zero.
 *
 * <p>Limits, each a bound on memory and work per message:
 * <ul>
 *   <li>{@link #MAX_MESSAGE_SIZE} octets per message, body included (answered {@code 513});</li>
 *   <li>{@link #MAX_HEADERS} header lines;</li>
 *   <li>{@link #MAX_LINE_LENGTH} octets per physical line, start line included.</li>
 * </ul>
 *
 * <p>Leniency follows RFC 4475: folding, LWS around separators, compact names, any header
 * order, a last header line missing its CRLF at the end of a datagram. Strict where the
 * meaning would be guessed: a bare CR or LF, a line without a colon, extra spaces in the
 * request line, several Content-Length values.
 */
public final class SipParser {
    /** Largest message accepted, in octets (64 KiB). */
    public static final int MAX_MESSAGE_SIZE = 64 * 1024;
    /** Most header lines accepted in one message. */
    public static final int MAX_HEADERS = 256;
    /** Longest physical line accepted, in octets. */
    public static final int MAX_LINE_LENGTH = 8 * 1024;

    private static final byte[] SIP_SLASH = "SIP/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIP_2_0 = "SIP/2.0".getBytes(StandardCharsets.US_ASCII);

    private SipParser() {
    }

    public static SipParseResult parse(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        while (p < end && (b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        if (p >= end) {
            return new SipParseResult.KeepAlive();
        }
        if (end - p > MAX_MESSAGE_SIZE) {
            return failed(513, "message larger than " + MAX_MESSAGE_SIZE + " octets", null, null);
        }
        int msgStart = p;
        int lf = indexOf(b, p, Math.min(end, p + MAX_LINE_LENGTH + 2), (byte) '\n');
        if (lf < 0) {
            return failed(400, "start line too long or not terminated", null, null);
        }
        if (lf == p || b[lf - 1] != '\r') {
            return failed(400, "start line not ended by CRLF", null, null);
        }
        int slEnd = lf - 1;

        // Start line: remember what it is even when broken, so that the request can be answered.
        boolean response = startsWith(b, p, slEnd, SIP_SLASH);
        String method = null;
        String startError = null;
        int startStatus = 400;
        int status = 0;
        String reason = null;
        int uriStart = -1;
        int uriEnd = -1;
        if (response) {
            int sp1 = indexOf(b, p, slEnd, (byte) ' ');
            if (sp1 < 0 || !Arrays.equals(b, p, sp1, SIP_2_0, 0, SIP_2_0.length)) {
                startError = "malformed status line";
            } else {
                int c = sp1 + 1;
                if (c + 3 > slEnd || (c + 3 < slEnd && b[c + 3] != ' ')) {
                    startError = "malformed status code";
                } else {
                    for (int i = c; i < c + 3; i++) {
                        if (b[i] < '0' || b[i] > '9') {
                            startError = "malformed status code";
                        }
                    }
                    if (startError == null) {
                        status = (b[c] - '0') * 100 + (b[c + 1] - '0') * 10 + (b[c + 2] - '0');
                        if (status < 100 || status > 699) {
                            startError = "status code out of range";
                        }
                        reason = c + 4 <= slEnd ? new String(b, c + 4, slEnd - c - 4, StandardCharsets.UTF_8) : "";
                    }
                }
            }
        } else {
            int sp1 = p;
            while (sp1 < slEnd && HeaderReader.isTokenByte(b[sp1])) {
                sp1++;
            }
            if (sp1 == p || sp1 >= slEnd || b[sp1] != ' ') {
                return failed(400, "malformed request line", null, null);
            }
            method = new String(b, p, sp1 - p, StandardCharsets.US_ASCII);
            int sp2 = indexOf(b, sp1 + 1, slEnd, (byte) ' ');
            if (sp2 < 0 || sp2 == sp1 + 1 || indexOf(b, sp2 + 1, slEnd, (byte) ' ') >= 0) {
                startError = "malformed request line";
            } else if (!Arrays.equals(b, sp2 + 1, slEnd, SIP_2_0, 0, SIP_2_0.length)) {
                if (startsWith(b, sp2 + 1, slEnd, SIP_SLASH)) {
                    startStatus = 505;
                    startError = "SIP version not supported";
                } else {
                    startError = "malformed SIP version";
                }
            } else {
                uriStart = sp1 + 1;
                uriEnd = sp2;
            }
        }

        // Header lines.
        int q = lf + 1;
        HeaderLineTable lines = new HeaderLineTable(16);
        int bodyStart = end;
        String headerError = null;
        while (true) {
            if (q >= end) {
                bodyStart = end;
                break;
            }
            byte c0 = b[q];
            if (c0 == '\r') {
                if (q + 1 < end && b[q + 1] == '\n') {
                    bodyStart = q + 2;
                    break;
                }
                headerError = "bare CR in header section";
                break;
            }
            if (c0 == ' ' || c0 == '\t') {
                headerError = "continuation line without a header";
                break;
            }
            if (lines.count() == MAX_HEADERS) {
                headerError = "more than " + MAX_HEADERS + " header lines";
                break;
            }
            int ns = q;
            while (q < end && HeaderReader.isTokenByte(b[q])) {
                q++;
            }
            int ne = q;
            while (q < end && (b[q] == ' ' || b[q] == '\t')) {
                q++;
            }
            if (ne == ns || q >= end || b[q] != ':') {
                headerError = "header line without a name and colon";
                break;
            }
            q++;
            int vs = -1;
            int ve = -1;
            boolean fold = false;
            int lineStart = ns;
            int lineEnd = end;
            while (true) {
                int limit = Math.min(end, lineStart + MAX_LINE_LENGTH + 2);
                int i = lineBreak(b, q, limit);
                int s = skipLws(b, q, i);
                int e = trimLws(b, s, i);
                if (s < e) {
                    if (vs < 0) {
                        vs = s;
                    }
                    ve = e;
                }
                if (i >= end) {
                    lineEnd = end;
                    break;
                }
                if (i >= limit) {
                    headerError = "header line longer than " + MAX_LINE_LENGTH + " octets";
                    break;
                }
                if (b[i] != '\r' || i + 1 >= end || b[i + 1] != '\n') {
                    headerError = "bare CR or LF in header line";
                    break;
                }
                int next = i + 2;
                if (next < end && (b[next] == ' ' || b[next] == '\t')) {
                    fold = true;
                    lineStart = next;
                    q = next;
                    continue;
                }
                lineEnd = next;
                break;
            }
            if (headerError != null) {
                break;
            }
            if (vs < 0) {
                vs = q;
                ve = q;
            }
            lines.add(ns, ne, vs, ve, lineEnd, HeaderName.lookupId(b, ns, ne), fold);
            q = lineEnd;
        }
        SipHeaders headers = lines.toHeaders(b);
        if (headerError != null) {
            return failed(400, headerError, method, headers);
        }
        if (startError != null) {
            return failed(response ? 400 : startStatus, startError, method, headers);
        }

        // Body framing by Content-Length.
        int bodyLen;
        int clIndex = headers.indexOf(HeaderName.CONTENT_LENGTH, 0);
        if (clIndex >= 0) {
            if (headers.indexOf(HeaderName.CONTENT_LENGTH, clIndex + 1) >= 0) {
                return failed(400, "more than one Content-Length", method, headers);
            }
            long cl = parseContentLength(b, headers.valueStart(clIndex), headers.valueEnd(clIndex));
            if (cl < 0) {
                return failed(400, "malformed Content-Length", method, headers);
            }
            if (cl > MAX_MESSAGE_SIZE) {
                return failed(513, "Content-Length larger than " + MAX_MESSAGE_SIZE, method, headers);
            }
            if (bodyStart + cl > end) {
                return failed(400, "Content-Length larger than the message", method, headers);
            }
            bodyLen = (int) cl;
        } else {
            bodyLen = end - bodyStart;
        }
        int msgEnd = bodyStart + bodyLen;

        try {
            SipMessage m;
            if (response) {
                m = new SipResponse(b, msgStart, msgEnd, headers, bodyStart, bodyLen, status, reason);
            } else {
                SipUri uri = SipUri.parse(b, uriStart, uriEnd);
                m = new SipRequest(b, msgStart, msgEnd, headers, bodyStart, bodyLen, method, uri);
            }
            return new SipParseResult.Parsed(m, msgEnd - off);
        } catch (SipSyntaxException e) {
            return failed(400, e.getMessage(), method, headers);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Index of the first CR or LF in {@code b[from, to)}, or {@code to}. Looks at eight octets
     * at a time (a zero-byte test on the word XOR the pattern): header lines average dozens of
     * octets, and this scan is most of the parser's own work.
     */
    static int lineBreak(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long w = (long) LONGS.get(b, i);
            long x = w ^ CRS;
            long y = w ^ LFS;
            long hit = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            i += 8;
        }
        while (i < to) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                return i;
            }
            i++;
        }
        return to;
    }

    /** The first index in {@code b[from, to)} that is not a space or tab, or {@code to}. */
    static int skipLws(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** {@code to}, moved back over the spaces and tabs that end {@code b[from, to)}. */
    static int trimLws(byte[] b, int from, int to) {
        int i = to;
        while (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    /** Digits only, surrounding LWS already trimmed; -1 when malformed. */
    static long parseContentLength(byte[] b, int s, int e) {
        if (s >= e || e - s > 10) {
            return -1;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static SipParseResult failed(int status, String reason, String method, SipHeaders headers) {
        Via top = null;
        if (headers != null) {
            String v = headers.first(HeaderName.VIA);
            if (v != null) {
                try {
                    top = Via.parseList(v).get(0);
                } catch (SipSyntaxException e) {
                    top = null;
                }
            }
        }
        return new SipParseResult.Failed(new SipParseFailure(status, reason, method, headers, top));
    }

    private static boolean startsWith(byte[] b, int s, int e, byte[] prefix) {
        return e - s >= prefix.length && Arrays.equals(b, s, s + prefix.length, prefix, 0, prefix.length);
    }

    static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
