package io.tandem.billing.rating;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices calls from a {@link RateSnapshot}, the way carriers write increments ({@code 60/60},
 * {@code 30/6}, {@code 1/1}, {@code 60/1}):
 *
 * <pre>
 * billable = 0                                               if the call was not answered, lasted 0 s,
 *                                                             or lasted at most the grace period
 *          = initial                                         if 0 &lt; duration &lt;= initial
 *          = initial + ceil((duration - initial) / next) * next   otherwise
 * cost     = round(connect_fee + rate_per_minute * billable / 60)    (one half-up rounding to 6 decimals)
 * </pre>
 *
 * A started second counts as a whole one ({@link #answeredSeconds(long)}). Stateless and
 * allocation-light: called for every settlement and every authorization.
 */
public final class CallRater {

    private static final long SECONDS_PER_MINUTE = 60;
    private static final BigDecimal SIXTY = BigDecimal.valueOf(SECONDS_PER_MINUTE);

    private CallRater() {
    }

    /** Whole seconds of an answered call; a started second counts ({@code 1 ms -> 1 s}). */
    public static long answeredSeconds(long durationMs) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("Negative duration: " + durationMs + " ms");
        }
        return Math.ceilDiv(durationMs, 1000L);
    }

    /** Seconds to bill for an answered call that lasted {@code durationSeconds}. */
    public static long billableSeconds(RateSnapshot rate, long durationSeconds) {
        if (durationSeconds < 0) {
            throw new IllegalArgumentException("Negative duration: " + durationSeconds + " s");
        }
        if (durationSeconds == 0 || durationSeconds <= rate.graceSeconds()) {
            return 0;
        }
        long initial = rate.initialIncrement();
        if (durationSeconds <= initial) {
            return initial;
        }
        long next = rate.nextIncrement();
        return initial + Math.ceilDiv(durationSeconds - initial, next) * next;
    }

    /** The money for {@code billableSeconds} already rounded to increments; 0 billable seconds cost nothing. */
    public static BigDecimal cost(RateSnapshot rate, long billableSeconds) {
        if (billableSeconds == 0) {
            return Money.ZERO;
        }
        BigDecimal perMinuteTotal = rate.connectFee().multiply(BigDecimal.valueOf(SECONDS_PER_MINUTE))
                .add(rate.ratePerMinute().multiply(BigDecimal.valueOf(billableSeconds)));
        // Truncating the quotient to 12 decimals first cannot change a half-up rounding to 6
        // (the half-way point 0.0000005 is itself exact at 12 decimals), so this is one rounding.
        return Money.round(perMinuteTotal.divide(SIXTY, 12, RoundingMode.DOWN));
    }

    /** Billable seconds and cost of an answered call that lasted {@code durationSeconds}. */
    public static CallCharge charge(RateSnapshot rate, long durationSeconds) {
        long billable = billableSeconds(rate, durationSeconds);
        return billable == 0 ? CallCharge.FREE : new CallCharge(billable, cost(rate, billable));
    }

    /**
     * The least money that lets a call start: connect fee plus the first increment (what a call
     * lasting one second past the grace period costs). Authorization rejects below this.
     */
    public static BigDecimal minimumCharge(RateSnapshot rate) {
        return charge(rate, rate.graceSeconds() + 1L).cost();
    }

    /**
     * The longest call, in seconds, that {@code money} pays for in full: the call engine hangs up
     * when it is reached. At least the grace period (free); {@link Long#MAX_VALUE} when the rate is
     * zero and the connect fee is covered.
     */
    public static long maxDurationSeconds(RateSnapshot rate, BigDecimal money) {
        long grace = rate.graceSeconds();
        if (money.signum() < 0 || minimumCharge(rate).compareTo(money) > 0) {
            return grace;
        }
        if (rate.ratePerMinute().signum() == 0) {
            return Long.MAX_VALUE;
        }
        long initial = rate.initialIncrement();
        long next = rate.nextIncrement();
        long firstStep = initial == 0 ? 1 : 0;
        // Exact estimate of the increments after the first, then correct for the half-up rounding.
        BigDecimal budget = money.multiply(BigDecimal.valueOf(SECONDS_PER_MINUTE))
                .subtract(rate.connectFee().multiply(BigDecimal.valueOf(SECONDS_PER_MINUTE)))
                .subtract(rate.ratePerMinute().multiply(BigDecimal.valueOf(initial)));
        BigDecimal perStep = rate.ratePerMinute().multiply(BigDecimal.valueOf(next));
        long steps = Math.max(firstStep, budget.divide(perStep, 0, RoundingMode.FLOOR).longValue());
        while (cost(rate, initial + (steps + 1) * next).compareTo(money) <= 0) {
            steps++;
        }
        while (steps > firstStep && cost(rate, initial + steps * next).compareTo(money) > 0) {
            steps--;
        }
        long seconds = initial + steps * next;
        return Math.max(grace, seconds);
    }
}
