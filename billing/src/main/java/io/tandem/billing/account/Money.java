package io.tandem.billing.account;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is exact: {@code DECIMAL(20,6)} in the database, {@link BigDecimal} with scale 6 here.
 * {@link #round(BigDecimal)} is the one rounding function (half-up to 6 decimals).
 */
public final class Money {

    public static final int SCALE = 6;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);
    /** Largest absolute amount a DECIMAL(20,6) column holds. */
    public static final BigDecimal MAX = new BigDecimal("99999999999999.999999");

    private Money() {
    }

    public static BigDecimal round(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** Parses a decimal string from the wire; rejects more than 6 decimals instead of rounding silently. */
    public static BigDecimal parse(String text) {
        BigDecimal value = new BigDecimal(text.trim());
        if (value.stripTrailingZeros().scale() > SCALE) {
            throw new NumberFormatException("more than " + SCALE + " decimal places: " + text);
        }
        if (value.abs().compareTo(MAX) > 0) {
            throw new NumberFormatException("out of range: " + text);
        }
        return value.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /** The wire form: a plain decimal string with 6 decimals, e.g. {@code "0.012500"}. */
    public static String format(BigDecimal amount) {
        return amount == null ? null : round(amount).toPlainString();
    }
}
