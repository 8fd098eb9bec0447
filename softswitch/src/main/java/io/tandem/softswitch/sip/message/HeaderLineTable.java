package io.tandem.softswitch.sip.message;

import java.util.Arrays;

/**
 * The header lines of one message while they are found ({@link SipParser}) or written
 * ({@link MessageAssembler}): for each line where its name and value lie, its known-name id and whether
 * it is folded. Becomes the message's {@link SipHeaders}.
 */
final class HeaderLineTable {
    private int[] pos;
    private byte[] ids;
    private boolean[] folded;
    private int count;

    HeaderLineTable(int lines) {
        int n = Math.max(4, lines);
        this.pos = new int[n * SipHeaders.STRIDE];
        this.ids = new byte[n];
        this.folded = new boolean[n];
    }

    int count() {
        return count;
    }

    /** One line: name {@code [ns, ne)}, trimmed value {@code [vs, ve)}, the line up to {@code lineEnd} (CRLF included). */
    void add(int ns, int ne, int vs, int ve, int lineEnd, byte id, boolean fold) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
            folded = Arrays.copyOf(folded, count * 2);
            pos = Arrays.copyOf(pos, count * 2 * SipHeaders.STRIDE);
        }
        int k = count * SipHeaders.STRIDE;
        pos[k] = ns;
        pos[k + 1] = ne;
        pos[k + 2] = vs;
        pos[k + 3] = ve;
        pos[k + 4] = lineEnd;
        ids[count] = id;
        folded[count] = fold;
        count++;
    }

    /** The headers over {@code buf}, the array the positions point into. */
    SipHeaders toHeaders(byte[] buf) {
        return new SipHeaders(buf, pos, ids, folded, count);
    }
}
