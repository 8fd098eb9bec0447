package io.tandem.routing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One rate of a deck as routing sees it: the prefix it matched, its price and billing increments,
 * and the period it is in force ({@code effectiveFrom <= t < effectiveUntil}; {@code null} until
 * means open-ended). A blocked rate means the deck owner refuses the destination.
 *
 * @param graceSeconds answered calls lasting at most this long are free: the rate's own grace
 *                     time, else its deck's (0 = none)
 */
public record Rate(
        long deckId,
        String prefix,
        String destination,
        long ratePerMinuteMicros,
        long connectFeeMicros,
        int initialIncrement,
        int nextIncrement,
        Instant effectiveFrom,
        Instant effectiveUntil,
        boolean blocked,
        int graceSeconds) {

    /** A rate without grace time. */
    public Rate(long deckId, String prefix, String destination, long ratePerMinuteMicros, long connectFeeMicros,
                int initialIncrement, int nextIncrement, Instant effectiveFrom, Instant effectiveUntil, boolean blocked) {
        this(deckId, prefix, destination, ratePerMinuteMicros, connectFeeMicros, initialIncrement, nextIncrement,
                effectiveFrom, effectiveUntil, blocked, 0);
    }

    public BigDecimal ratePerMinute() {
        return Micros.toDecimal(ratePerMinuteMicros);
    }

    public BigDecimal connectFee() {
        return Micros.toDecimal(connectFeeMicros);
    }

    /** Increments as carriers write them, e.g. {@code 60/60} or {@code 1/1}. */
    public String increments() {
        return initialIncrement + "/" + nextIncrement;
    }
}
