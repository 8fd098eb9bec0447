package io.tandem.billing.rating;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of one leg as it was when the call was routed: the rate row that matched, plus the
 * deck's grace period. Copied into the CDR so a call is always billed (and re-billed) from what
 * was in force, whatever the deck says later.
 *
 * @param prefix           the matched prefix (for the CDR)
 * @param ratePerMinute    price per minute, scale 6
 * @param connectFee       charged once per answered, billable call
 * @param initialIncrement seconds billed for the first increment (0 allowed: bill from the first next increment)
 * @param nextIncrement    seconds per further increment, at least 1
 * @param graceSeconds     answered calls that last at most this long are free (0 = no grace)
 */
public record RateSnapshot(String prefix, BigDecimal ratePerMinute, BigDecimal connectFee,
                           int initialIncrement, int nextIncrement, int graceSeconds) {

    public RateSnapshot {
        Objects.requireNonNull(prefix, "prefix");
        ratePerMinute = Money.round(Objects.requireNonNull(ratePerMinute, "ratePerMinute"));
        connectFee = Money.round(Objects.requireNonNull(connectFee, "connectFee"));
        if (ratePerMinute.signum() < 0 || connectFee.signum() < 0) {
            throw new IllegalArgumentException("Rates are never negative: " + ratePerMinute + " / " + connectFee);
        }
        if (initialIncrement < 0 || nextIncrement < 1 || graceSeconds < 0) {
            throw new IllegalArgumentException("Increments must be initial >= 0, next >= 1, grace >= 0; got "
                    + initialIncrement + "/" + nextIncrement + " grace " + graceSeconds);
        }
    }

    /** A snapshot without grace, e.g. {@code of("4420", "0.012", "0", 60, 60)}. */
    public static RateSnapshot of(String prefix, String ratePerMinute, String connectFee, int initial, int next) {
        return new RateSnapshot(prefix, new BigDecimal(ratePerMinute), new BigDecimal(connectFee), initial, next, 0);
    }

    public RateSnapshot withGrace(int seconds) {
        return new RateSnapshot(prefix, ratePerMinute, connectFee, initialIncrement, nextIncrement, seconds);
    }
}
