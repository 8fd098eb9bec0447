package io.tandem.console.cdrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.rerating.RerateReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Re-rating previews wait to be applied for a while, then go; and a flood of previews cannot fill the heap. */
class ReratingPreviewsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ReratingPreviews previews = new ReratingPreviews(nanos::get);

    @Test
    void aPreviewCanBeAppliedForFifteenMinutesAndNotAfter() {
        RerateReport report = report();
        previews.keep(report);

        advance(Duration.ofMinutes(14));
        assertThat(previews.find(report.id())).contains(report);
        advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(previews.find(report.id())).as("expired 15 minutes after it was made").isEmpty();
    }

    @Test
    void atMostOneHundredPreviewsAreKept() {
        for (int i = 0; i < 1000; i++) {
            previews.keep(report());
        }

        assertThat(previews.size()).isEqualTo(ReratingPreviews.MAXIMUM_PREVIEWS).isEqualTo(100);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static RerateReport report() {
        CdrFilter period = CdrFilter.period(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        return new RerateReport(UUID.randomUUID(), period, 0, 0, List.of(), List.of());
    }
}
