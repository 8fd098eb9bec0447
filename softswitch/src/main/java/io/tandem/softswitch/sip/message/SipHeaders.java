package io.tandem.softswitch.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header fields of one message, in wire order, backed by the message's bytes.
 *
 * <p>Each field is kept as offsets into the original buffer, so relaying writes exactly the
 * octets that arrived (odd case, compact names, folding). Values are decoded to strings only
 * when asked for, folding replaced by a single space (RFC 3261 §7.3.1).
 */
public final class SipHeaders {
    /** Stride of {@link #pos}: name start, name end, value start, value end, line end. */
    static final int STRIDE = 5;

    private final byte[] buf;
    private final int[] pos;
    private final byte[] ids;
    private final boolean[] folded;
    private final int count;
    private String[] values;

    SipHeaders(byte[] buf, int[] pos, byte[] ids, boolean[] folded, int count) {
        this.buf = buf;
        this.pos = pos;
        this.ids = ids;
        this.folded = folded;
        this.count = count;
    }

    public int size() {
        return count;
    }

    /** The name as written on the wire, e.g. {@code v} or {@code MaX-fOrWaRdS}. */
    public String name(int i) {
        check(i);
        return new String(buf, pos[i * STRIDE], pos[i * STRIDE + 1] - pos[i * STRIDE], StandardCharsets.UTF_8);
    }

    /** The known header at index {@code i}, {@code null} for other names. */
    public HeaderName known(int i) {
        check(i);
        return HeaderName.byId(ids[i]);
    }

    /** The unfolded value with surrounding whitespace removed. */
    public String value(int i) {
        check(i);
        String[] cache = values;
        if (cache == null) {
            cache = new String[count];
            values = cache;
        }
        String v = cache[i];
        if (v == null) {
            int vs = pos[i * STRIDE + 2];
            int ve = pos[i * STRIDE + 3];
            v = folded[i] ? unfold(buf, vs, ve) : new String(buf, vs, ve - vs, StandardCharsets.UTF_8);
            cache[i] = v;
        }
        return v;
    }

    /** A reader over value {@code i}: on the message's own octets, or on an unfolded copy. */
    HeaderReader reader(int i) {
        int vs = pos[i * STRIDE + 2];
        int ve = pos[i * STRIDE + 3];
        if (!folded[i]) {
            return new HeaderReader(buf, vs, ve);
        }
        return new HeaderReader(value(i));
    }

    /** The first value of a known header, {@code null} if absent. */
    public String first(HeaderName name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /** Every line of a known header, in order (one entry per line, not split at commas). */
    public List<String> all(HeaderName name) {
        List<String> out = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            out.add(value(i));
        }
        return out;
    }

    /** The first value of any header by name, case-insensitive, long or compact form. */
    public String first(String name) {
        HeaderName h = HeaderName.lookup(name);
        if (h != null) {
            return first(h);
        }
        for (int i = 0; i < count; i++) {
            if (ids[i] == HeaderName.UNKNOWN && nameEquals(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Every line of any header by name. */
    public List<String> all(String name) {
        HeaderName h = HeaderName.lookup(name);
        if (h != null) {
            return all(h);
        }
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (ids[i] == HeaderName.UNKNOWN && nameEquals(i, name)) {
                out.add(value(i));
            }
        }
        return out;
    }

    public boolean contains(HeaderName name) {
        return indexOf(name, 0) >= 0;
    }

    public int count(HeaderName name) {
        int n = 0;
        byte id = (byte) name.ordinal();
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                n++;
            }
        }
        return n;
    }

    int indexOf(HeaderName name, int from) {
        byte id = (byte) name.ordinal();
        for (int i = from; i < count; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    byte id(int i) {
        return ids[i];
    }

    /** Start of the raw line (the name) of header {@code i} in the backing buffer. */
    int lineStart(int i) {
        return pos[i * STRIDE];
    }

    /** Start of the trimmed value of header {@code i} in the backing buffer. */
    int valueStart(int i) {
        return pos[i * STRIDE + 2];
    }

    /** End of the trimmed value of header {@code i}. */
    int valueEnd(int i) {
        return pos[i * STRIDE + 3];
    }

    /** End of the raw line including its CRLF. */
    int lineEnd(int i) {
        return pos[i * STRIDE + 4];
    }

    byte[] buffer() {
        return buf;
    }

    /** End of the name of header {@code i} in the backing buffer. */
    int nameEnd(int i) {
        return pos[i * STRIDE + 1];
    }

    boolean isFolded(int i) {
        return folded[i];
    }

    private boolean nameEquals(int i, String name) {
        int ns = pos[i * STRIDE];
        int ne = pos[i * STRIDE + 1];
        if (ne - ns != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            int a = buf[ns + k];
            int b = name.charAt(k);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    private void check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
    }

    /** Replaces each CRLF and the whitespace around it with one space. */
    private static String unfold(byte[] b, int start, int end) {
        byte[] out = new byte[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
                    n--;
                }
                while (i < end && (b[i] == '\r' || b[i] == '\n' || b[i] == ' ' || b[i] == '\t')) {
                    i++;
                }
                out[n++] = ' ';
                continue;
            }
            out[n++] = c;
            i++;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(name(i)).append(": ").append(value(i)).append("\r\n");
        }
        return sb.toString();
    }
}
