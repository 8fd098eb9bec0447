package io.tandem.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.PostingResult;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccountLedgerTest {

    private static AccountSpec customer(String name, String creditLimit) {
        return new AccountSpec(name, AccountKind.CUSTOMER, "EUR", new BigDecimal(creditLimit), AccountStatus.ACTIVE,
                null, null, null, null, false);
    }

    /**
     * 64 threads, each with its own connection, hammer one account with guarded debits. The
     * account must stop exactly at its credit limit, never below, and its balance must be the
     * sum of its ledger.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void concurrentGuardedDebitsNeverPassTheCreditLimit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind); var pool = db.newPool(64)) {
            Clock clock = Clock.systemUTC();
            AccountLedger ledger = new AccountLedger(DSL.using(pool, kind.dialect()), clock);
            AccountRepository accounts = new AccountRepository(db.dsl(), clock, ledger);
            // 10.00 balance + 2.50 credit = 12.50 spendable; 0.07 per debit -> 178 debits fit (12.46).
            Account account = accounts.create(customer("prepaid", "2.50"), new BigDecimal("10.00"), "test");

            int threads = 64;
            int attemptsPerThread = 8;
            BigDecimal debitAmount = new BigDecimal("0.07");
            AtomicInteger debited = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicReference<BigDecimal> lowestSeen = new AtomicReference<>(BigDecimal.valueOf(Long.MAX_VALUE));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        PostingResult result = ledger.debit(LedgerPosting.of(account.id(), LedgerEntryKind.CALL, debitAmount, "call", "test"));
                        switch (result) {
                            case PostingResult.Posted posted -> {
                                debited.incrementAndGet();
                                lowestSeen.accumulateAndGet(posted.entry().balanceAfter(), BigDecimal::min);
                            }
                            case PostingResult.InsufficientFunds ignored -> refused.incrementAndGet();
                            default -> throw new AssertionError("unexpected " + result);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            executor.shutdown();

            Account after = accounts.find(account.id()).orElseThrow();
            assertThat(debited.get()).isEqualTo(178);
            assertThat(refused.get()).isEqualTo(threads * attemptsPerThread - 178);
            assertThat(after.balance()).isEqualByComparingTo("-2.46");
            assertThat(lowestSeen.get()).isGreaterThanOrEqualTo(new BigDecimal("-2.50"));
            assertThat(ledger.reconcile()).isEmpty();
            assertThat(ledger.entries(account.id(), 0, 1000)).hasSize(179);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aReplayedTopUpChangesNothing(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            AccountLedger ledger = new AccountLedger(db.dsl(), Clock.systemUTC());
            AccountRepository accounts = new AccountRepository(db.dsl(), Clock.systemUTC(), ledger);
            Account account = accounts.create(customer("acme", "0"), BigDecimal.ZERO, "test");
            LedgerPosting topUp = LedgerPosting.of(account.id(), LedgerEntryKind.TOPUP, new BigDecimal("25.123456"), "wire 7781", "ops")
                    .withIdempotencyKey("topup-7781");

            PostingResult first = ledger.post(topUp);
            PostingResult second = ledger.post(topUp);

            assertThat(first).isInstanceOf(PostingResult.Posted.class);
            assertThat(second).isInstanceOf(PostingResult.Replayed.class);
            assertThat(accounts.find(account.id()).orElseThrow().balance()).isEqualByComparingTo("25.123456");
            assertThat(ledger.reconcile()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void reconciliationFindsABalanceWrittenBehindTheLedgersBack(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            AccountLedger ledger = new AccountLedger(db.dsl(), Clock.systemUTC());
            AccountRepository accounts = new AccountRepository(db.dsl(), Clock.systemUTC(), ledger);
            Account account = accounts.create(customer("tampered", "0"), new BigDecimal("5"), "test");
            db.dsl().execute("UPDATE account SET balance = 6 WHERE id = " + account.id());

            assertThat(ledger.reconcile()).singleElement()
                    .satisfies(m -> assertThat(m.ledgerSum()).isEqualByComparingTo("5"));
        }
    }
}
