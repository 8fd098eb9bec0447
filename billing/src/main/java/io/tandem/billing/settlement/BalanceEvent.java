package io.tandem.billing.settlement;

import java.math.BigDecimal;

/** Something about a balance an operator or the customer should hear about, raised by settlement. */
public sealed interface BalanceEvent {

    long accountId();

    /** The balance went from at or above the account's low-balance threshold to below it. */
    record LowBalance(long accountId, BigDecimal balance, BigDecimal threshold) implements BalanceEvent {
    }

    /** The balance reached zero on an account configured to suspend there; it takes no more calls. */
    record SuspendedAtZero(long accountId, BigDecimal balance) implements BalanceEvent {
    }
}
