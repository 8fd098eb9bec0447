package io.tandem.console.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One line of a traffic report, as summed by the database: money exact to the micro-unit, the
 * ratios derived from those sums.
 *
 * @param key          account id or sell prefix ("" = calls that found no rate)
 * @param name         account name or the prefix again
 * @param attempts     calls (customers, destinations) or vendor attempts (vendors)
 * @param answered     of those, answered
 * @param billedSeconds billed seconds of the answered ones
 */
public record ReportRow(String key, String name, String currency, long attempts, long answered, long billedSeconds,
                        BigDecimal revenue, BigDecimal cost, BigDecimal margin) {

    /** Answer-seizure ratio in percent, two decimals. */
    public BigDecimal asrPercent() {
        return attempts == 0 ? BigDecimal.ZERO.setScale(2)
                : BigDecimal.valueOf(answered * 100L).divide(BigDecimal.valueOf(attempts), 2, RoundingMode.HALF_UP);
    }

    /** Average call duration of the answered calls, seconds with one decimal. */
    public BigDecimal acdSeconds() {
        return answered == 0 ? BigDecimal.ZERO.setScale(1)
                : BigDecimal.valueOf(billedSeconds).divide(BigDecimal.valueOf(answered), 1, RoundingMode.HALF_UP);
    }

    /** Billed minutes, two decimals. */
    public BigDecimal minutes() {
        return BigDecimal.valueOf(billedSeconds).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP);
    }
}
