package io.tandem.softswitch.media.relay;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The relay's port pairs: an even RTP port and the odd RTCP port above it (RFC 3550 §11), from the
 * configured range. Thread-safe; a port that could not be bound goes to the back of the queue
 * (another process holds it now, maybe not later).
 */
public final class PortPairPool {

    private final ConcurrentLinkedQueue<Integer> free = new ConcurrentLinkedQueue<>();
    private final int size;

    public PortPairPool(int first, int last) {
        int even = first % 2 == 0 ? first : first + 1;
        if (even < 1024 || last > 65535 || even + 1 > last) {
            throw new IllegalArgumentException("media port range " + first + "-" + last + " holds no even/odd pair above 1023");
        }
        int n = 0;
        for (int p = even; p + 1 <= last; p += 2) {
            free.add(p);
            n++;
        }
        this.size = n;
    }

    /** An even RTP port, or -1 when every pair is in use. */
    public int acquire() {
        Integer p = free.poll();
        return p == null ? -1 : p;
    }

    /** Takes that very pair if it is free (a remote lease the holder still uses); false if it is in use or not in the range. */
    public boolean take(int rtpPort) {
        return free.remove(rtpPort);
    }

    public void release(int rtpPort) {
        free.add(rtpPort);
    }

    public int size() {
        return size;
    }

    public int available() {
        return free.size();
    }
}
