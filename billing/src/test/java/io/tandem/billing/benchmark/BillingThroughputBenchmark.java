package io.tandem.billing.benchmark;

import static io.tandem.db.jooq.Tables.ACCOUNT;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.billing.account.Account;
import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.AuthorizationSettings;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.billing.testing.BillingNode;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Throughput of the money path on the real embedded databases, printed as a table for
 * docs/performance.md. Not a test: run it by hand (see the docs for the command).
 *
 * <ul>
 *   <li><b>guarded UPDATE</b>: the baseline, one autocommitted
 *       {@code UPDATE account ... WHERE balance - held - ? >= -credit_limit} per call on one hot account;</li>
 *   <li><b>leases</b>: authorize (from the node's lease) + settle (batched by the writer) per call on the
 *       same hot account, counted when the settlement is committed;</li>
 *   <li><b>CDR insert</b>: {@link CdrStore#insert} of 500-row multi-row inserts.</li>
 * </ul>
 * Arguments: {@code [seconds per phase, default 10] [threads, default 16] [postgres|mysql|both]}.
 */
public final class BillingThroughputBenchmark {

    private static final RateSnapshot RATE = RateSnapshot.of("4420", "0.010000", "0", 1, 1);

    private BillingThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String which = args.length > 2 ? args[2] : "both";
        List<DatabaseKind> kinds = switch (which) {
            case "postgres" -> List.of(DatabaseKind.POSTGRESQL);
            case "mysql" -> List.of(DatabaseKind.MYSQL);
            default -> List.of(DatabaseKind.POSTGRESQL, DatabaseKind.MYSQL);
        };
        List<String> rows = new ArrayList<>();
        for (DatabaseKind kind : kinds) {
            try (TestDatabase db = TestDatabases.of(kind)) {
                double raw = guardedUpdates(db, seconds, threads);
                double leased = leasedCycles(db, seconds, threads);
                double cdrs = cdrInserts(db, 200_000);
                rows.add(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1fx | %,.0f |",
                        db, raw, leased, leased / raw, cdrs));
            }
        }
        System.out.println();
        System.out.printf("%d s per phase, %d caller threads, %d cores%n", seconds, threads,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| database | guarded UPDATE/s | authorize+settle/s (leases) | ratio | CDR rows/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static double guardedUpdates(TestDatabase db, int seconds, int threads) throws Exception {
        DSLContext setup = db.dsl();
        Account account = BillingFixtures.prepaidCustomer(setup, "1000000.000000", "0");
        BigDecimal amount = new BigDecimal("0.000100");
        try (HikariDataSource pool = db.newPool(threads)) {
            DSLContext dsl = DSL.using(pool, db.kind().dialect());
            return run(seconds, threads, () -> {
                int updated = dsl.update(ACCOUNT)
                        .set(ACCOUNT.BALANCE, ACCOUNT.BALANCE.minus(amount))
                        .where(ACCOUNT.ID.eq(account.id()))
                        .and(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).minus(amount).ge(ACCOUNT.CREDIT_LIMIT.neg()))
                        .execute();
                if (updated != 1) {
                    throw new IllegalStateException("guarded update refused");
                }
            });
        }
    }

    private static double leasedCycles(TestDatabase db, int seconds, int threads) throws Exception {
        Account account = BillingFixtures.prepaidCustomer(db.dsl(), "1000000.000000", "0");
        Path dir = Files.createTempDirectory("billing-bench");
        AuthorizationSettings settings = AuthorizationSettings.defaults()
                .withHoldDuration(Duration.ofMinutes(2))
                .withLeases(new BigDecimal("100.000000"), 4, new BigDecimal("1.000000"));
        Semaphore inFlight = new Semaphore(20_000);
        AtomicLong settled = new AtomicLong();
        try (BillingNode node = new BillingNode("bench", db.newPool(8), db.kind(), dir, settings,
                SettlementWriter.Settings.defaults())) {
            long start = System.nanoTime();
            run(seconds, threads, () -> {
                UUID call = UUID.randomUUID();
                Authorization authorization = node.authorizer.authorize(call, account.id(), RATE);
                if (!(authorization instanceof Authorization.Granted grant)) {
                    throw new IllegalStateException("refused: " + authorization);
                }
                CdrRecord cdr = BillingFixtures.answeredCall(call, account.id(), "bench", Instant.now(), 30_000, RATE, RATE);
                inFlight.acquire();
                node.authorizer.settle(grant, List.of(cdr)).whenComplete((ok, failure) -> {
                    if (failure == null) {
                        settled.incrementAndGet();
                    }
                    inFlight.release();
                });
            });
            inFlight.acquire(20_000);
            double elapsed = (System.nanoTime() - start) / 1e9;
            return settled.get() / elapsed;
        }
    }

    private static double cdrInserts(TestDatabase db, int total) {
        CdrStore store = new CdrStore(db.dsl());
        Instant day = Instant.parse("2026-11-01T00:00:00Z");
        List<CdrRecord> batch = new ArrayList<>(500);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            batch.add(BillingFixtures.answeredCall(UUID.randomUUID(), 1, "bench", day.plusMillis(i * 10L), 45_000,
                    BillingFixtures.SELL, BillingFixtures.BUY));
            if (batch.size() == 500) {
                store.insert(batch);
                batch.clear();
            }
        }
        store.insert(batch);
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private interface Operation {
        void run() throws Exception;
    }

    /** Runs {@code operation} in a loop on {@code threads} threads for {@code seconds}; returns operations/s. */
    private static double run(int seconds, int threads, Operation operation) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        operation.run();
                        count.incrementAndGet();
                    }
                } catch (Exception | Error e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            throw new IllegalStateException("benchmark operation failed", errors.peek());
        }
        return count.get() / elapsed;
    }
}
