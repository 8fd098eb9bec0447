package io.tandem.softswitch.media.relay;

/**
 * What arrived on one direction of one stream: packets, octets, loss from sequence numbers (RFC
 * 3550 §A.1/§A.3) and the interarrival jitter estimate (RFC 3550 §6.4.1, the integer form of §A.8,
 * kept scaled by 16). Written on the port's event loop; {@link #snapshot()} is read there too
 * (at close) or, racily but harmlessly, by metrics.
 */
final class StreamStats {

    private final int clockRate;
    private long packets;
    private long octets;
    private boolean started;
    private int baseSequence;
    private int maxSequence;
    private long cycles;
    private long firstArrivalNanos;
    private long lastTransit;
    private long jitterTimes16;

    StreamStats(int clockRate) {
        this.clockRate = clockRate <= 0 ? 8000 : clockRate;
    }

    void record(int sequence, long timestamp, int length, long nowNanos) {
        packets++;
        octets += length;
        long arrival = started ? (nowNanos - firstArrivalNanos) * clockRate / 1_000_000_000L : 0;
        long transit = arrival - timestamp;
        if (!started) {
            started = true;
            firstArrivalNanos = nowNanos;
            baseSequence = sequence;
            maxSequence = sequence;
            lastTransit = transit;
            return;
        }
        int delta = (sequence - maxSequence) & 0xFFFF;
        if (delta > 0 && delta < 0x8000) {
            if (sequence < maxSequence) {
                cycles += 0x10000; // wrapped (RFC 3550 §A.1)
            }
            maxSequence = sequence;
        }
        long d = Math.abs(transit - lastTransit);
        lastTransit = transit;
        // Timestamps are 32-bit and may wrap or jump (a new talk spurt after silence suppression): a jump
        // far beyond a second is not jitter.
        if (d < clockRate) {
            jitterTimes16 += d - ((jitterTimes16 + 8) >> 4);
        }
    }

    MediaStats.Direction snapshot() {
        long expected = started ? cycles + maxSequence - baseSequence + 1 : 0;
        long lost = Math.max(0, expected - packets);
        return new MediaStats.Direction(packets, octets, lost, (jitterTimes16 >> 4) * 1000 / clockRate);
    }
}
