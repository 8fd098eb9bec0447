package io.tandem.billing.reconciliation;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How far two records of the same call may differ and still be one call.
 *
 * @param window         connect times at most this far apart match (clocks, and answer vs. connect stamping)
 * @param durationSeconds durations differing by more than this are reported as a duration difference
 * @param amount         amounts differing by more than this are reported as an amount difference
 */
public record MatchTolerance(Duration window, long durationSeconds, BigDecimal amount) {

    public static final Duration MAX_WINDOW = Duration.ofMinutes(10);

    public static final MatchTolerance DEFAULTS = new MatchTolerance(Duration.ofSeconds(5), 1, new BigDecimal("0.000100"));

    public MatchTolerance {
        if (window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("the match window is 0 to " + MAX_WINDOW.toMinutes() + " minutes: " + window);
        }
        if (durationSeconds < 0 || amount.signum() < 0) {
            throw new IllegalArgumentException("tolerances are not negative");
        }
    }
}
