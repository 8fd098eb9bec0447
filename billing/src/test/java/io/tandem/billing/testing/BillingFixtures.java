package io.tandem.billing.testing;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;

/** Accounts and calls for billing tests, created through the real ledger. */
public final class BillingFixtures {

    private static final AtomicInteger NAMES = new AtomicInteger();

    public static final RateSnapshot SELL = RateSnapshot.of("4420", "0.060000", "0.010000", 60, 6);
    public static final RateSnapshot BUY = RateSnapshot.of("44", "0.040000", "0", 1, 1);

    private BillingFixtures() {
    }

    public static Account prepaidCustomer(DSLContext dsl, String opening, String creditLimit) {
        return customer(dsl, opening, creditLimit, null, null, false);
    }

    public static Account customer(DSLContext dsl, String opening, String creditLimit, String dailyLimit,
                                   String lowBalanceThreshold, boolean suspendAtZero) {
        Clock clock = Clock.systemUTC();
        AccountRepository accounts = new AccountRepository(dsl, clock, new AccountLedger(dsl, clock));
        AccountSpec spec = new AccountSpec("customer-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID(),
                AccountKind.CUSTOMER, "EUR", new BigDecimal(creditLimit), AccountStatus.ACTIVE, null, null,
                dailyLimit == null ? null : new BigDecimal(dailyLimit),
                lowBalanceThreshold == null ? null : new BigDecimal(lowBalanceThreshold), suspendAtZero);
        return accounts.create(spec, new BigDecimal(opening), "test");
    }

    /** An answered single-attempt call of {@code talkSeconds} (plus {@code extraMs}), priced. */
    public static CdrRecord answeredCall(UUID callUuid, long customerId, String nodeId, Instant startedAt,
                                         long talkMillis, RateSnapshot sell, RateSnapshot buy) {
        return answeredCall(callUuid, 1, customerId, nodeId, startedAt, talkMillis, sell, buy);
    }

    public static CdrRecord answeredCall(UUID callUuid, int attempt, long customerId, String nodeId, Instant startedAt,
                                         long talkMillis, RateSnapshot sell, RateSnapshot buy) {
        Instant answeredAt = startedAt.plusMillis(1200);
        Instant endedAt = answeredAt.plus(Duration.ofMillis(talkMillis));
        return new CdrRecord(callUuid, attempt, nodeId, callUuid + "@test", customerId, null, 7L, 8L,
                "+441234", "4420700", "441234", "4420700", startedAt, answeredAt, endedAt,
                Duration.between(startedAt, endedAt).toMillis(), 0, 1200, 200, "OK", 16, HangupSide.CALLER, "EUR",
                sell, buy, null, null, null).priced();
    }

    /** A failed attempt (vendor answered 503), which costs nothing. */
    public static CdrRecord failedAttempt(UUID callUuid, int attempt, long customerId, String nodeId, Instant startedAt) {
        return new CdrRecord(callUuid, attempt, nodeId, callUuid + "@test", customerId, null, 7L, 8L,
                "+441234", "4420700", "441234", "4420700", startedAt, null, startedAt.plusMillis(300), 300, 0, null,
                503, "Service Unavailable", 41, HangupSide.CALLEE, "EUR", SELL, BUY, null, null, null).priced();
    }
}
