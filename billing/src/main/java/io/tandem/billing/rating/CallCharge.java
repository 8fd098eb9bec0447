package io.tandem.billing.rating;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;

/**
 * What one side of a call costs.
 *
 * @param billableSeconds seconds after applying increments (0 when free)
 * @param cost            money, scale 6
 */
public record CallCharge(long billableSeconds, BigDecimal cost) {

    public static final CallCharge FREE = new CallCharge(0, Money.ZERO);
}
