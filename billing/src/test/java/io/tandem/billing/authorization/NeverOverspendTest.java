package io.tandem.billing.authorization;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.BALANCE_LEASE;
import static io.tandem.db.jooq.Tables.BALANCE_RESERVATION;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.LeaseStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.billing.testing.BillingNode;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prepaid promise: three nodes (separate services and pools, one database) race 1,000
 * authorize -> hold -> settle cycles against one account holding 10.00 with a 2.00 credit limit,
 * with their housekeeping (heartbeats, lease returns, reclaim) running at the same time.
 */
class NeverOverspendTest {

    private static final int CYCLES = 1000;
    private static final RateSnapshot RATE = RateSnapshot.of("4420", "0.060000", "0.010000", 30, 6);

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void threeNodesNeverSpendMoreThanTheBalanceAndCreditLimit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account account = BillingFixtures.prepaidCustomer(dsl, "10.000000", "2.000000");
            BigDecimal creditLimit = new BigDecimal("2.000000");
            AuthorizationSettings settings = AuthorizationSettings.defaults()
                    .withHoldDuration(Duration.ofMinutes(2))
                    .withLeases(new BigDecimal("2.000000"), 3, new BigDecimal("0.500000"));
            List<BillingNode> nodes = new ArrayList<>();
            for (String id : List.of("node-a", "node-b", "node-c")) {
                nodes.add(new BillingNode(id, db.newPool(8), kind, dataDir, settings, SettlementWriter.Settings.defaults()));
            }

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<BigDecimal> lowestBalance = new AtomicReference<>(new BigDecimal("10"));
            AtomicReference<BigDecimal> lowestAvailable = new AtomicReference<>(new BigDecimal("12"));
            Thread watcher = Thread.ofPlatform().name("balance-watcher").start(() -> {
                while (running.get()) {
                    var row = dsl.select(ACCOUNT.BALANCE, ACCOUNT.HELD).from(ACCOUNT)
                            .where(ACCOUNT.ID.eq(account.id())).fetchSingle();
                    lowestBalance.accumulateAndGet(row.value1(), BigDecimal::min);
                    lowestAvailable.accumulateAndGet(row.value1().subtract(row.value2()), BigDecimal::min);
                }
            });

            // Each node's housekeeping runs as it would in production, only more often.
            var housekeeping = Executors.newScheduledThreadPool(1);
            for (BillingNode node : nodes) {
                housekeeping.scheduleWithFixedDelay(node.authorizer::maintain, 20, 20, TimeUnit.MILLISECONDS);
            }
            Map<HoldSource, Integer> grantsBySource = new ConcurrentHashMap<>();
            Map<RejectionReason, Integer> rejections = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> settled = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService callers = Executors.newFixedThreadPool(48);
            for (int i = 0; i < CYCLES; i++) {
                BillingNode node = nodes.get(i % nodes.size());
                callers.execute(() -> {
                    UUID call = UUID.randomUUID();
                    Authorization authorization = node.authorizer.authorize(call, account.id(), RATE);
                    if (authorization instanceof Authorization.Granted grant) {
                        grantsBySource.merge(grant.source(), 1, Integer::sum);
                        long talkMillis = ThreadLocalRandom.current().nextLong(grant.maxDurationSeconds() * 1000 + 1);
                        CdrRecord cdr = BillingFixtures.answeredCall(call, account.id(), node.nodeId,
                                Instant.now().minusSeconds(3600), talkMillis, RATE, BillingFixtures.BUY);
                        assertThat(cdr.sellCost()).isLessThanOrEqualTo(grant.held());
                        settled.add(node.authorizer.settle(grant, List.of(cdr)));
                    } else if (authorization instanceof Authorization.Rejected rejected) {
                        rejections.merge(rejected.reason(), 1, Integer::sum);
                    }
                });
            }
            callers.shutdown();
            assertThat(callers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            housekeeping.shutdown();
            assertThat(housekeeping.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (BillingNode node : nodes) {
                node.close();
            }
            running.set(false);
            watcher.join();

            var row = dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle();
            BigDecimal sellCosts = dsl.select(DSL.coalesce(DSL.sum(CDR.SELL_COST), BigDecimal.ZERO)).from(CDR)
                    .where(CDR.CUSTOMER_ACCOUNT_ID.eq(account.id())).fetchSingle().value1();
            BigDecimal ledgerSum = dsl.select(DSL.sum(LEDGER_ENTRY.AMOUNT)).from(LEDGER_ENTRY)
                    .where(LEDGER_ENTRY.ACCOUNT_ID.eq(account.id())).fetchSingle().value1();
            int granted = grantsBySource.values().stream().mapToInt(Integer::intValue).sum();

            assertThat(lowestBalance.get()).isGreaterThanOrEqualTo(creditLimit.negate());
            assertThat(lowestAvailable.get()).isGreaterThanOrEqualTo(creditLimit.negate());
            assertThat(row.getBalance()).isGreaterThanOrEqualTo(creditLimit.negate());
            assertThat(row.getBalance()).isEqualByComparingTo(new BigDecimal("10.000000").subtract(sellCosts));
            assertThat(ledgerSum).isEqualByComparingTo(row.getBalance());
            assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
            assertThat(row.getHeld()).isEqualByComparingTo("0");
            assertThat(dsl.fetchCount(BALANCE_RESERVATION)).isZero();
            assertThat(dsl.select(DSL.coalesce(DSL.sum(BALANCE_LEASE.AMOUNT), BigDecimal.ZERO)).from(BALANCE_LEASE)
                    .fetchSingle().value1()).isEqualByComparingTo("0");
            assertThat(new LeaseStore(dsl).heldMismatches()).isEmpty();
            assertThat(dsl.fetchCount(CDR)).isEqualTo(granted);
            assertThat(granted + rejections.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CYCLES);
            // The money ran out: the test exercised exhaustion, not just a rich account.
            assertThat(rejections).containsKey(RejectionReason.INSUFFICIENT_FUNDS);
            // Leases served the bulk. How many of the last calls went through per-call reservations
            // depends on timing (BalanceAuthorizerTest covers that path deterministically).
            assertThat(grantsBySource).containsKey(HoldSource.LEASE);
            assertThat(sellCosts).isGreaterThan(new BigDecimal("9.000000"));
            System.out.printf("%s: granted %s, rejected %s, charged %s, final balance %s, lowest %s%n",
                    kind, grantsBySource, rejections, sellCosts, row.getBalance(), lowestBalance.get());
        }
    }
}
