package io.tandem.routing.deck;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and throws {@link DeckTooLargeException} as soon as more than
 * {@code max} have come, so an oversized upload or a decompression bomb is stopped after at most
 * {@code max} bytes, without being held in memory.
 */
public final class CappedInputStream extends FilterInputStream {

    private final long max;
    private final DeckLimits.Limit limit;
    private long count;

    public CappedInputStream(InputStream in, long max, DeckLimits.Limit limit) {
        super(in);
        this.max = max;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        // a reset would read counted bytes again
        return false;
    }

    private void counted(long n) {
        count += n;
        if (count > max) {
            throw new DeckTooLargeException(limit, max);
        }
    }
}
