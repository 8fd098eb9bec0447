package io.tandem.softswitch.sip.message;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Why some bytes are not a usable SIP message, with whatever could be read of them, so that a
 * request the switch can identify can still be answered (RFC 3261 §8.2: {@code 400} with a
 * {@code Warning}; {@code 505} for an unknown version, {@code 513} for an oversized message).
 *
 * @param status  the response status the failure deserves if it is answerable
 * @param reason  what was wrong, short and human readable (goes into {@code Warning})
 * @param method  the request method when the start line was a request line, else {@code null}
 * @param headers the header fields as far as they could be split, or {@code null}
 * @param topVia  the first Via when it could be parsed, else {@code null}
 */
public record SipParseFailure(int status, String reason, String method, SipHeaders headers, Via topVia) {

    /**
     * A response can be sent only to a request (never to a response or an ACK) whose top Via
     * is readable, since that is where the answer goes; everything else is dropped and counted.
     */
    public boolean answerable() {
        return method != null && !method.equals("ACK") && topVia != null && headers != null;
    }

    /**
     * The octets of the answer: status line, the request's Via, From, To, Call-ID and CSeq
     * lines copied raw (they may be the broken part, so they are not re-validated), a To tag
     * when To has none, and {@code Warning: 399 agent "reason"} (RFC 3261 §20.43).
     * The top Via gets {@code received}/{@code rport} for {@code source} (may be {@code null}).
     * Only meaningful when {@link #answerable()}.
     */
    public byte[] errorResponse(String warningAgent, String toTag, InetSocketAddress source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, "SIP/2.0 " + status + " " + SipResponse.reasonPhrase(status) + "\r\n");
        boolean firstVia = true;
        for (int i = 0; i < headers.size(); i++) {
            HeaderName k = headers.known(i);
            if (k == HeaderName.VIA && firstVia) {
                firstVia = false;
                writeTopVia(out, i, source);
            } else if (k == HeaderName.VIA || k == HeaderName.FROM || k == HeaderName.CALL_ID || k == HeaderName.CSEQ) {
                writeLine(out, i);
            } else if (k == HeaderName.TO) {
                String v = headers.value(i);
                if (v.contains("tag=") || v.indexOf('\0') >= 0) {
                    writeLine(out, i);
                } else {
                    write(out, "To: " + v + ";tag=" + toTag + "\r\n");
                }
            }
        }
        String why = reason.replace('\\', '/').replace('"', '\'');
        write(out, "Warning: 399 " + warningAgent + " \"" + why + "\"\r\nContent-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    /**
     * The first Via line, with {@code received}/{@code rport} stamped into its first value (RFC
     * 3261 §18.2.1, RFC 3581) so a client behind NAT gets its 400 back; other values on the same
     * line follow on a line of their own. Raw when nothing needs stamping.
     */
    private void writeTopVia(ByteArrayOutputStream out, int i, InetSocketAddress source) {
        Via stamped = topVia.stampedWithSource(source);
        if (stamped == topVia) {
            writeLine(out, i);
            return;
        }
        write(out, "Via: " + stamped + "\r\n");
        String line = headers.value(i);
        int comma = line.indexOf(',');
        if (comma >= 0 && comma + 1 < line.length() && !line.substring(comma + 1).isBlank()) {
            write(out, "Via: " + line.substring(comma + 1).strip() + "\r\n");
        }
    }

    private void writeLine(ByteArrayOutputStream out, int i) {
        int s = headers.lineStart(i);
        int e = headers.lineEnd(i);
        byte[] b = headers.buffer();
        out.write(b, s, e - s);
        if (e - s < 2 || b[e - 2] != '\r' || b[e - 1] != '\n') {
            write(out, "\r\n");
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
