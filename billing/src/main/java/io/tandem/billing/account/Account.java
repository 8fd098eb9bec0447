package io.tandem.billing.account;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A customer or vendor account. {@code held} is money reserved by live calls and balance leases
 * on all nodes; {@link #available()} is what new calls may still spend. {@code noticeDays} is the
 * account's own notice period for rate increases, null = its deck's.
 */
public record Account(
        long id,
        String name,
        AccountKind kind,
        String currency,
        BigDecimal balance,
        BigDecimal held,
        BigDecimal creditLimit,
        AccountStatus status,
        Integer maxCps,
        Integer maxConcurrentCalls,
        BigDecimal dailySpendLimit,
        BigDecimal lowBalanceThreshold,
        boolean suspendAtZero,
        Instant createdAt,
        Instant updatedAt,
        Integer noticeDays) {

    public BigDecimal available() {
        return balance.subtract(held).add(creditLimit);
    }
}
