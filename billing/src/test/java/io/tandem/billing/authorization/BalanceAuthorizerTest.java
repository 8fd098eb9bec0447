package io.tandem.billing.authorization;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.ACCOUNT_DAILY_SPEND;
import static io.tandem.db.jooq.Tables.BALANCE_LEASE;
import static io.tandem.db.jooq.Tables.BALANCE_RESERVATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.billing.testing.BillingNode;
import io.tandem.billing.testing.CommitCuttingProxy;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BalanceAuthorizerTest {

    /** 0.06/min on 60/60 with a 0.01 connect fee: the first minute costs 0.07. */
    private static final RateSnapshot RATE = RateSnapshot.of("4420", "0.060000", "0.010000", 60, 60);
    private static final AuthorizationSettings SETTINGS = AuthorizationSettings.defaults()
            .withHoldDuration(Duration.ofMinutes(5))
            .withLeases(new BigDecimal("5.000000"), 2, new BigDecimal("1.000000"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aRichAccountIsServedFromALeaseAndALongCallGetsMoreTime(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");

            var grant = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
            var extended = (Authorization.Granted) node.authorizer.extend(grant);

            assertThat(grant.source()).isEqualTo(HoldSource.LEASE);
            assertThat(grant.held()).isEqualByComparingTo("0.310000"); // fee + 5 minutes
            assertThat(grant.maxDurationSeconds()).isEqualTo(300);
            assertThat(extended.maxDurationSeconds()).isEqualTo(600);
            assertThat(node.holds.leased(account.id(), "node-a")).isEqualByComparingTo("5.000000");
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("5.000000");

            CdrRecord cdr = BillingFixtures.answeredCall(grant.callUuid(), account.id(), "node-a", Instant.now(),
                    420_000, RATE, BillingFixtures.BUY);
            node.authorizer.settle(extended, List.of(cdr)).get();
            node.close();

            assertThat(balance(db.dsl(), account)).isEqualByComparingTo("99.570000"); // 0.01 + 7 min
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("0");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void theLeaseAnswersAtOnceOnlyWhenItCanPayAndNeverForAReservation(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            Account rich = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");
            Account poor = BillingFixtures.prepaidCustomer(db.dsl(), "0.100000", "0");
            assertThat(node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), rich.id(), RATE))
                    .as("no lease yet: the worker path takes it").isEmpty();

            node.authorizer.authorize(UUID.randomUUID(), rich.id(), RATE);   // takes the 5.00 lease
            var atOnce = (Authorization.Granted) node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), rich.id(), RATE)
                    .orElseThrow();
            assertThat(atOnce.source()).isEqualTo(HoldSource.LEASE);
            assertThat(atOnce.held()).isEqualByComparingTo("0.310000");
            assertThat(node.authorizer.leaseFree(rich.id())).isEqualByComparingTo("4.380000"); // 5.00 - 2 x 0.31

            node.authorizer.authorize(UUID.randomUUID(), poor.id(), RATE);   // a per-call reservation
            assertThat(node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), poor.id(), RATE)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void callsKeepDrawingOnTheLeaseWhileItsTopUpWaitsForTheAccountRow(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a");
             Connection settlement = db.dataSource().getConnection()) {
            Account account = startATopUpThatWaitsForTheAccountRow(db, node, settlement);

            assertThat(node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), account.id(), RATE))
                    .as("the lease still pays at once while its top-up waits for the database").isPresent();
            assertThat(node.authorizer.leaseFree(account.id())).isEqualByComparingTo("0.660000");

            settlement.rollback();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (node.authorizer.leaseFree(account.id()).compareTo(new BigDecimal("5.660000")) < 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(node.authorizer.leaseFree(account.id())).as("the top-up landed once the row was free")
                    .isEqualByComparingTo("5.660000");
            assertThat(node.holds.leased(account.id(), "node-a")).isEqualByComparingTo("10.000000");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aTopUpStillWaitingForTheAccountRowWhenTheNodeStopsIsGivenBackToo(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a");
             Connection settlement = db.dataSource().getConnection()) {
            Account account = startATopUpThatWaitsForTheAccountRow(db, node, settlement);

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(node.authorizer::close);
            Thread.sleep(300);
            settlement.rollback();
            stopped.get(10, TimeUnit.SECONDS);

            assertThat(node.holds.leased(account.id(), "node-a"))
                    .as("after stopping, the node holds only the money of its live calls, the late top-up included")
                    .isEqualByComparingTo("4.030000");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aLeaseChangeWhoseAnswerIsLostCountsAsTheDatabaseRecordedIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             CommitCuttingProxy proxy = new CommitCuttingProxy(db.jdbcUrl());
             BillingNode node = new BillingNode("node-a", poolVia(db, proxy), db.kind(), dir, SETTINGS,
                     SettlementWriter.Settings.defaults())) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");

            // The first call's 5.00 lease commits, but the connection breaks before the node hears so.
            proxy.cutNextCommitAfter("last_change_amount");
            assertThat(reason(node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE)))
                    .isEqualTo(RejectionReason.BILLING_UNAVAILABLE);
            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(node.holds.leased(account.id(), "node-a")).isEqualByComparingTo("5.000000");

            // The next call is served from that lease: the customer's money is not held twice.
            var grant = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
            assertThat(grant.source()).isEqualTo(HoldSource.LEASE);
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("5.000000");
            assertThat(node.authorizer.leaseFree(account.id())).isEqualByComparingTo("4.690000");

            // The call ends (0.07); the lease sits idle and is given back: that answer is lost too.
            node.authorizer.settle(grant, List.of(BillingFixtures.answeredCall(grant.callUuid(), account.id(), "node-a",
                    Instant.now().minusSeconds(60), 30_000, RATE, BillingFixtures.BUY))).get(10, TimeUnit.SECONDS);
            node.authorizer.maintain();
            proxy.cutNextCommitAfter("last_change_amount");
            assertThatThrownBy(node.authorizer::maintain).isInstanceOf(RuntimeException.class);
            assertThat(proxy.cuts()).isEqualTo(2);
            assertThat(node.holds.leased(account.id(), "node-a")).isEqualByComparingTo("0");
            assertThat(node.authorizer.leaseFree(account.id()))
                    .as("no promise of money the database no longer holds for this node").isEqualByComparingTo("0");

            node.authorizer.maintain();   // the database answers again: the give-back landed
            assertThat(node.authorizer.leaseFree(account.id())).isEqualByComparingTo("0");
            var next = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
            assertThat(next.source()).isEqualTo(HoldSource.LEASE);
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("5.000000");
            assertThat(db.dsl().select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle()
                    .value1()).isEqualByComparingTo("99.930000");
            assertThat(node.holds.heldMismatches()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aBurstOfCallsGrowsTheTopUpsInsteadOfQueueingForTheDatabase(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "1000.000000", "0");
            node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);   // a 5.00 lease
            int granted = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (granted < 100 && System.nanoTime() < deadline) {
                if (node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), account.id(), RATE).isPresent()) {
                    granted++;
                } else {
                    Thread.sleep(1);
                }
            }
            assertThat(granted).isEqualTo(100);   // 31.00 held in a fraction of a second
            Thread.sleep(500);                    // the last top-up lands

            // Fixed 5.00 top-ups would end at 35.00 leased; doubling ones (5, 10, 20, ...) pass 40.
            assertThat(node.holds.leased(account.id(), "node-a")).isGreaterThanOrEqualTo(new BigDecimal("40.000000"));
            assertThat(node.holds.leased(account.id(), "node-a"))
                    .as("never more than a quarter of the account per top-up").isLessThanOrEqualTo(new BigDecimal("400.000000"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void anExtensionTheCallNeverUsedIsStillReleasedAtSettlement(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");
            var grant = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
            node.authorizer.extend(grant); // granted, but the call ends before it takes the new grant

            CdrRecord cdr = BillingFixtures.answeredCall(grant.callUuid(), account.id(), "node-a", Instant.now(),
                    60_000, RATE, BillingFixtures.BUY);
            node.authorizer.settle(grant, List.of(cdr)).get();

            assertThat(node.authorizer.leaseFree(account.id())).isEqualByComparingTo("4.930000"); // 5.00 - 0.07
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aSmallBalanceHoldsMoneyPerCallAndRefusesWithInsufficientFundsWhenItRunsOut(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "0.100000", "0.050000");

            var first = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
            Authorization second = node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);

            assertThat(first.source()).isEqualTo(HoldSource.RESERVATION);
            assertThat(first.held()).isEqualByComparingTo("0.150000"); // everything there is, with the credit
            assertThat(first.maxDurationSeconds()).isEqualTo(120);
            assertThat(second).isInstanceOf(Authorization.Rejected.class);
            assertThat(((Authorization.Rejected) second).reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);

            CdrRecord cdr = BillingFixtures.answeredCall(first.callUuid(), account.id(), "node-a", Instant.now(),
                    30_000, RATE, BillingFixtures.BUY);
            node.authorizer.settle(first, List.of(cdr)).get();
            assertThat(balance(db.dsl(), account)).isEqualByComparingTo("0.030000");
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("0");
            assertThat(db.dsl().fetchCount(BALANCE_RESERVATION)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void suspendedAccountsAndSpentDailyLimitsAreRefused(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode node = node(db, "node-a")) {
            DSLContext dsl = db.dsl();
            Account suspended = BillingFixtures.prepaidCustomer(dsl, "10.000000", "0");
            new AccountRepository(dsl, Clock.systemUTC(), new AccountLedger(dsl, Clock.systemUTC()))
                    .setStatus(suspended.id(), AccountStatus.SUSPENDED);
            Account limited = BillingFixtures.customer(dsl, "10.000000", "0", "0.100000", null, false);

            var limitedFirst = (Authorization.Granted) node.authorizer.authorize(UUID.randomUUID(), limited.id(), RATE);
            node.authorizer.settle(limitedFirst, List.of(BillingFixtures.answeredCall(limitedFirst.callUuid(),
                    limited.id(), "node-a", Instant.now(), 60_000, RATE, BillingFixtures.BUY))).get();

            assertThat(reason(node.authorizer.authorize(UUID.randomUUID(), suspended.id(), RATE)))
                    .isEqualTo(RejectionReason.ACCOUNT_NOT_ACTIVE);
            assertThat(reason(node.authorizer.authorize(UUID.randomUUID(), 987_654L, RATE)))
                    .isEqualTo(RejectionReason.UNKNOWN_ACCOUNT);
            assertThat(limitedFirst.held()).isEqualByComparingTo("0.100000"); // capped by the daily limit
            assertThat(reason(node.authorizer.authorize(UUID.randomUUID(), limited.id(), RATE)))
                    .isEqualTo(RejectionReason.DAILY_LIMIT_REACHED);
        }
    }

    /**
     * Money held by live calls counts against the daily limit like spent money: 50 calls at once on
     * two nodes, daily limit 0.50 and a large balance, hold at most 0.50 together, and what they are
     * then charged stays within it.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void fiftyConcurrentCallsOnTwoNodesHoldNoMoreThanTheDailyLimit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode a = node(db, "node-a");
             BillingNode b = node(db, "node-b")) {
            Account limited = BillingFixtures.customer(db.dsl(), "1000.000000", "0", "0.500000", null, false);
            List<java.util.concurrent.Future<Authorization>> asked = new ArrayList<>();
            List<BillingNode> askedOn = new ArrayList<>();
            try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int i = 0; i < 50; i++) {
                    BillingNode node = i % 2 == 0 ? a : b;
                    askedOn.add(node);
                    asked.add(callers.submit(() -> {
                        go.await();
                        return node.authorizer.authorize(UUID.randomUUID(), limited.id(), RATE);
                    }));
                }
                go.countDown();
            }
            List<Authorization.Granted> granted = new ArrayList<>();
            List<BillingNode> grantedOn = new ArrayList<>();
            for (int i = 0; i < asked.size(); i++) {
                var answer = asked.get(i);
                if (answer.get() instanceof Authorization.Granted g) {
                    granted.add(g);
                    grantedOn.add(askedOn.get(i));
                } else {
                    assertThat(reason(answer.get())).isIn(RejectionReason.DAILY_LIMIT_REACHED, RejectionReason.INSUFFICIENT_FUNDS);
                }
            }
            BigDecimal heldByCalls = granted.stream().map(Authorization.Granted::held).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(granted).isNotEmpty();
            assertThat(heldByCalls).as("what the %d granted calls hold", granted.size()).isLessThanOrEqualTo(new BigDecimal("0.500000"));
            assertThat(held(db.dsl(), limited)).isLessThanOrEqualTo(new BigDecimal("0.500000"));

            for (int i = 0; i < granted.size(); i++) {
                Authorization.Granted g = granted.get(i);
                BillingNode node = grantedOn.get(i);
                node.authorizer.settle(g, List.of(BillingFixtures.answeredCall(g.callUuid(), limited.id(), node.nodeId,
                        Instant.now(), 60_000, RATE, BillingFixtures.BUY))).get();
            }
            BigDecimal spent = db.dsl().select(ACCOUNT_DAILY_SPEND.SPENT).from(ACCOUNT_DAILY_SPEND)
                    .where(ACCOUNT_DAILY_SPEND.ACCOUNT_ID.eq(limited.id())).fetchSingle().value1();
            assertThat(spent).isLessThanOrEqualTo(new BigDecimal("0.500000")).isPositive();
        }
    }

    /**
     * Three nodes on one database count each other from their heartbeats, so each enforces a third
     * of a cluster-wide limit; when one dies the other two count two once its heartbeat is stale.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void threeNodesCountEachOtherAndADeadOneDropsOutOfTheCount(DatabaseKind kind) throws Exception {
        AuthorizationSettings shortLived = SETTINGS.withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300));
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode a = new BillingNode("a", db.newPool(2), kind, dir, shortLived, SettlementWriter.Settings.defaults());
             BillingNode b = new BillingNode("b", db.newPool(2), kind, dir, shortLived, SettlementWriter.Settings.defaults())) {
            BillingNode c = new BillingNode("c", db.newPool(2), kind, dir, shortLived, SettlementWriter.Settings.defaults());
            assertThat(a.authorizer.liveNodes()).as("before any heartbeat: alone").isEqualTo(1);
            a.authorizer.maintain();
            b.authorizer.maintain();
            c.authorizer.maintain();
            a.authorizer.maintain();
            assertThat(a.authorizer.liveNodes()).isEqualTo(3);
            assertThat(c.authorizer.liveNodes()).isEqualTo(3);

            c.writer.close();
            c.pool.close(); // dies without a word
            Thread.sleep(700);
            // Heartbeats come well inside the dead-node time (5 s vs 30 s in production): beat, then count.
            a.authorizer.maintain();
            b.authorizer.maintain();
            a.authorizer.maintain();
            assertThat(a.authorizer.liveNodes()).isEqualTo(2);
            assertThat(b.authorizer.liveNodes()).isEqualTo(2);
        }
    }

    /**
     * Only nodes that take calls share cluster-wide limits: a media-only node (tandem.roles=media) and a console-only
     * node heartbeat too, but counting them would shrink the share of the nodes that admit calls.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void mediaOnlyAndConsoleOnlyNodesAreNotCountedAmongTheNodesThatShareLimits(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode both = new BillingNode("both-1", NodeRoles.BOTH, db.newPool(2), kind, dir, SETTINGS, SettlementWriter.Settings.defaults());
             BillingNode sip = new BillingNode("sip-1", NodeRoles.SIP, db.newPool(2), kind, dir, SETTINGS, SettlementWriter.Settings.defaults());
             BillingNode media = new BillingNode("media-1", NodeRoles.MEDIA, db.newPool(2), kind, dir, SETTINGS,
                     SettlementWriter.Settings.defaults());
             BillingNode console = new BillingNode("console-1", NodeRoles.NONE, db.newPool(2), kind, dir, SETTINGS,
                     SettlementWriter.Settings.defaults())) {
            both.authorizer.maintain();
            assertThat(both.authorizer.liveNodes()).isEqualTo(2);
            assertThat(media.authorizer.liveNodes()).isEqualTo(2);
            assertThat(db.dsl().select(io.tandem.db.jooq.Tables.CLUSTER_NODE.ROLES).from(io.tandem.db.jooq.Tables.CLUSTER_NODE)
                    .where(io.tandem.db.jooq.Tables.CLUSTER_NODE.NODE_ID.eq("media-1")).fetchSingle().value1()).isEqualTo("media");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aPeerReclaimsTheExpiredLeaseOfADeadNodeButNeverOfALiveOne(DatabaseKind kind) throws Exception {
        AuthorizationSettings shortLived = SETTINGS.withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300));
        try (TestDatabase db = TestDatabases.of(kind);
             BillingNode alive = new BillingNode("alive", db.newPool(4), kind, dir, shortLived,
                     SettlementWriter.Settings.defaults())) {
            Account account = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");
            BillingNode dying = new BillingNode("dying", db.newPool(4), kind, dir, shortLived,
                    SettlementWriter.Settings.defaults());
            assertThat(dying.authorizer.authorize(UUID.randomUUID(), account.id(), RATE))
                    .isInstanceOf(Authorization.Granted.class);
            assertThat(alive.authorizer.authorize(UUID.randomUUID(), account.id(), RATE))
                    .isInstanceOf(Authorization.Granted.class);
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("10.000000");
            dying.writer.close();
            dying.pool.close(); // dies without giving its lease back

            Thread.sleep(700);
            alive.authorizer.maintain(); // heartbeats itself, then reclaims what silent nodes left

            assertThat(db.dsl().select(BALANCE_LEASE.NODE_ID).from(BALANCE_LEASE).fetch(BALANCE_LEASE.NODE_ID))
                    .containsExactly("alive");
            assertThat(held(db.dsl(), account)).isEqualByComparingTo("5.000000");
        }
    }

    private BillingNode node(TestDatabase db, String id) {
        return new BillingNode(id, db.newPool(4), db.kind(), dir, SETTINGS, SettlementWriter.Settings.defaults());
    }

    /**
     * Thirteen calls on a 100.00 account with a 5.00 lease hold 4.03 and leave 0.97 free, under a
     * quarter of the slice: a top-up starts and waits, because {@code settlement} (a settlement
     * batch, say) holds the account's row until the caller rolls it back.
     */
    private static Account startATopUpThatWaitsForTheAccountRow(TestDatabase db, BillingNode node, Connection settlement)
            throws Exception {
        Account account = BillingFixtures.prepaidCustomer(db.dsl(), "100.000000", "0");
        node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);   // takes the 5.00 lease
        settlement.setAutoCommit(false);
        try (PreparedStatement lock = settlement.prepareStatement("SELECT balance FROM account WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, account.id());
            lock.executeQuery().close();
        }
        for (int i = 0; i < 12; i++) {
            assertThat(node.authorizer.authorizeIfLeaseReady(UUID.randomUUID(), account.id(), RATE)).isPresent();
        }
        Thread.sleep(300);
        return account;
    }

    private static HikariDataSource poolVia(TestDatabase db, CommitCuttingProxy proxy) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(CommitCuttingProxy.via(db.jdbcUrl(), proxy));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static RejectionReason reason(Authorization authorization) {
        assertThat(authorization).isInstanceOf(Authorization.Rejected.class);
        return ((Authorization.Rejected) authorization).reason();
    }

    private static BigDecimal held(DSLContext dsl, Account account) {
        return dsl.select(ACCOUNT.HELD).from(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle().value1();
    }

    private static BigDecimal balance(DSLContext dsl, Account account) {
        return dsl.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle().value1();
    }
}
