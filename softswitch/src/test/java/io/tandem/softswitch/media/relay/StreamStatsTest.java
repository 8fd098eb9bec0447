package io.tandem.softswitch.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamStatsTest {

    private static final long MS = 1_000_000L;

    @Test
    void evenlySpacedPacketsHaveNoJitterAndNoLoss() {
        StreamStats stats = new StreamStats(8000);
        for (int i = 0; i < 100; i++) {
            stats.record(65500 + i & 0xFFFF, 160L * i, 172, 20 * MS * i); // wraps the sequence number
        }
        assertThat(stats.snapshot()).isEqualTo(new MediaStats.Direction(100, 17200, 0, 0));
    }

    @Test
    void gapsInSequenceNumbersAreCountedAsLost() {
        StreamStats stats = new StreamStats(8000);
        for (int i = 0; i < 50; i++) {
            if (i % 10 != 3) {
                stats.record(i, 160L * i, 172, 20 * MS * i);
            }
        }
        assertThat(stats.snapshot().lost()).isEqualTo(5);
        assertThat(stats.snapshot().packets()).isEqualTo(45);
    }

    @Test
    void alternatingLateArrivalsConvergeOnTheRfc3550Estimate() {
        StreamStats stats = new StreamStats(8000);
        for (int i = 0; i < 500; i++) {
            long skew = i % 2 == 0 ? 0 : 10 * MS; // every other packet 10 ms late: |D| = 80 units each time
            stats.record(i, 160L * i, 172, 20 * MS * i + skew);
        }
        // J converges on |D| = 80 timestamp units = 10 ms (RFC 3550 §6.4.1, J += (|D| - J) / 16)
        assertThat(stats.snapshot().jitterMillis()).isBetween(9L, 10L);
    }
}
