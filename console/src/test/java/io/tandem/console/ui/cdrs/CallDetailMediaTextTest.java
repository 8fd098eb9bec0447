package io.tandem.console.ui.cdrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.CdrMediaStats;
import org.junit.jupiter.api.Test;

/** What the call detail shows of each media direction: counts, the share lost and the jitter. */
class CallDetailMediaTextTest {

    @Test
    void aDirectionReadsAsPacketsOctetsLossWithItsShareAndJitter() {
        assertThat(CallDetailDialog.media(new CdrMediaStats.Direction(1497, 257_484, 3, 4)))
                .isEqualTo("1,497 pkts · 257,484 B · 3 lost (0.2 %) · jitter 4 ms");
        assertThat(CallDetailDialog.media(CdrMediaStats.Direction.NONE)).isEqualTo("0 pkts · 0 B · 0 lost · jitter 0 ms");
    }
}
