package io.tandem.softswitch.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a built message's octets and, while writing, records where each header line's name and value
 * lie: exactly the positions {@link SipParser} would find in those octets, so a built message needs no
 * parse of its own. What the parser would refuse is refused here too ({@link IllegalStateException}):
 * a header name that is not a token, a line with a CR or LF in it, a line longer than
 * {@link SipParser#MAX_LINE_LENGTH}, more than {@link SipParser#MAX_HEADERS} header lines, a message
 * larger than {@link SipParser#MAX_MESSAGE_SIZE}. The headers every message needs are then checked by the
 * message's own constructor, as for a received one.
 *
 * <p>A line copied from a received message keeps its octets (compact name, folding, odd spacing) and its
 * parsed positions, shifted to where it now starts.
 */
final class MessageAssembler {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "Content-Length".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;
    private final HeaderLineTable lines;
    private int bodyOff;
    private int bodyLen;
    private SipHeaders headers;

    /**
     * @param expectedSize the octets expected (the buffer grows past it, and is cut to size at the end)
     * @param lines        the header lines expected
     */
    MessageAssembler(int expectedSize, int lines) {
        this.buf = new byte[expectedSize];
        this.lines = new HeaderLineTable(lines);
    }

    /** The start line, without its CRLF; must be written first. */
    void startLine(String line) {
        int start = size;
        writeString(line);
        if (size - start > SipParser.MAX_LINE_LENGTH) {
            throw new IllegalStateException("built message is not valid SIP: start line longer than "
                + SipParser.MAX_LINE_LENGTH + " octets");
        }
        requireOneLine(start, "start line");
        write(CRLF, 0, 2);
    }

    /** The octets {@link #rawLine} writes for line {@code i} of {@code source}. */
    static int rawLineSize(SipHeaders source, int i) {
        int s = source.lineStart(i);
        int e = source.lineEnd(i);
        return e - s + (endsWithCrlf(source.buffer(), s, e) ? 0 : 2);
    }

    /** The octets {@link #contentLengthAndBody} writes. */
    static int contentLengthAndBodySize(int bodyLength) {
        return CONTENT_LENGTH.length + 2 + Integer.toString(bodyLength).length() + 4 + bodyLength;
    }

    /** Copies header line {@code i} of a received message, octet for octet. */
    void rawLine(SipHeaders source, int i) {
        byte[] src = source.buffer();
        int s = source.lineStart(i);
        int e = source.lineEnd(i);
        int shift = size - s;
        write(src, s, e - s);
        if (!endsWithCrlf(src, s, e)) {
            // the last header line of a datagram may end without its CRLF; here another line follows
            write(CRLF, 0, 2);
        }
        int lineEnd = size;
        addLine(s + shift, source.nameEnd(i) + shift, source.valueStart(i) + shift, source.valueEnd(i) + shift, lineEnd,
            source.id(i), source.isFolded(i));
    }

    /** Writes {@code name: value}; the value is trimmed of surrounding spaces and tabs as the parser does. */
    void line(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalStateException("built message is not valid SIP: empty header name");
        }
        if (!HeaderReader.isToken(name)) {
            throw new IllegalStateException("built message is not valid SIP: header name " + name + " is not a token");
        }
        int ns = size;
        writeString(name);
        int ne = size;
        writeByte(':');
        writeByte(' ');
        int valueStart = size;
        writeString(value);
        int valueEnd = size;
        requireOneLine(valueStart, name);
        if (size - ns > SipParser.MAX_LINE_LENGTH) {
            throw new IllegalStateException("built message is not valid SIP: header line longer than "
                + SipParser.MAX_LINE_LENGTH + " octets");
        }
        // the value as the parser trims it
        int vs = SipParser.skipLws(buf, valueStart, valueEnd);
        int ve = SipParser.trimLws(buf, vs, valueEnd);
        if (vs == ve) {
            // the parser's place for an empty value: right after the colon
            vs = ne + 1;
            ve = ne + 1;
        }
        write(CRLF, 0, 2);
        addLine(ns, ne, vs, ve, size, HeaderName.lookupId(buf, ns, ne), false);
    }

    /** Ends the headers with {@code Content-Length} from the body, then the blank line and the body. */
    void contentLengthAndBody(byte[] body) {
        int ns = size;
        write(CONTENT_LENGTH, 0, CONTENT_LENGTH.length);
        int ne = size;
        writeByte(':');
        writeByte(' ');
        int vs = size;
        writeString(Integer.toString(body.length));
        int ve = size;
        write(CRLF, 0, 2);
        addLine(ns, ne, vs, ve, size, (byte) HeaderName.CONTENT_LENGTH.ordinal(), false);
        write(CRLF, 0, 2);
        bodyOff = size;
        bodyLen = body.length;
        write(body, 0, body.length);
        if (size > SipParser.MAX_MESSAGE_SIZE) {
            throw new IllegalStateException("built message is not valid SIP: larger than "
                + SipParser.MAX_MESSAGE_SIZE + " octets");
        }
        if (buf.length != size) {
            buf = Arrays.copyOf(buf, size);
        }
        headers = lines.toHeaders(buf);
    }

    byte[] buffer() {
        return buf;
    }

    int size() {
        return size;
    }

    SipHeaders headers() {
        return headers;
    }

    int bodyOff() {
        return bodyOff;
    }

    int bodyLen() {
        return bodyLen;
    }

    private static boolean endsWithCrlf(byte[] b, int s, int e) {
        return e - s >= 2 && b[e - 2] == '\r' && b[e - 1] == '\n';
    }

    private void addLine(int ns, int ne, int vs, int ve, int lineEnd, byte id, boolean fold) {
        if (lines.count() == SipParser.MAX_HEADERS) {
            throw new IllegalStateException("built message is not valid SIP: more than "
                + SipParser.MAX_HEADERS + " header lines");
        }
        lines.add(ns, ne, vs, ve, lineEnd, id, fold);
    }

    private void requireOneLine(int from, String what) {
        for (int i = from; i < size; i++) {
            if (buf[i] == '\r' || buf[i] == '\n') {
                throw new IllegalStateException("built message is not valid SIP: " + what + " must be one line");
            }
        }
    }

    /** ASCII strings (nearly all of SIP) are copied char by char; anything else goes through UTF-8. */
    private void writeString(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.substring(i).getBytes(StandardCharsets.UTF_8);
                write(utf8, 0, utf8.length);
                return;
            }
            buf[size++] = (byte) c;
        }
    }

    private void writeByte(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    private void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
