package io.tandem.billing.account;

import java.math.BigDecimal;

/**
 * The operator-editable fields of an account (everything but balance and held money, which only
 * the ledger changes). Null limits mean "no limit"; a null {@code noticeDays} means the deck's notice period.
 */
public record AccountSpec(
        String name,
        AccountKind kind,
        String currency,
        BigDecimal creditLimit,
        AccountStatus status,
        Integer maxCps,
        Integer maxConcurrentCalls,
        BigDecimal dailySpendLimit,
        BigDecimal lowBalanceThreshold,
        boolean suspendAtZero,
        Integer noticeDays) {

    /** Without an own notice period (the deck's applies). */
    public AccountSpec(String name, AccountKind kind, String currency, BigDecimal creditLimit, AccountStatus status, Integer maxCps,
                       Integer maxConcurrentCalls, BigDecimal dailySpendLimit, BigDecimal lowBalanceThreshold, boolean suspendAtZero) {
        this(name, kind, currency, creditLimit, status, maxCps, maxConcurrentCalls, dailySpendLimit, lowBalanceThreshold, suspendAtZero,
                null);
    }
}
