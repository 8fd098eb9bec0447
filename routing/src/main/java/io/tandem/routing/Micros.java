package io.tandem.routing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money and rates as {@code long} millionths of the currency unit, the routing table's internal
 * form: exact like the database's {@code DECIMAL(20,6)}, but cheap to compare on the call path.
 */
public final class Micros {

    /** Micros in one currency unit. */
    public static final long PER_UNIT = 1_000_000L;

    private Micros() {
    }

    /**
     * Converts an amount with at most six decimals.
     *
     * @throws ArithmeticException if the amount has more than six decimals or does not fit a long
     */
    public static long of(BigDecimal amount) {
        return amount.setScale(6, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    /** The amount as a decimal with scale 6, e.g. {@code 0.012500}. */
    public static BigDecimal toDecimal(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }

    /** The amount as the wire form: a plain decimal string with six decimals. */
    public static String format(long micros) {
        return toDecimal(micros).toPlainString();
    }
}
