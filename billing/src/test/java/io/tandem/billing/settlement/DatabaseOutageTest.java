package io.tandem.billing.settlement;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.Money;
import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.AuthorizationSettings;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.billing.testing.BillingNode;
import io.tandem.db.DatabaseKind;
import io.tandem.db.TandemSchema;
import io.tandem.db.embedded.EmbeddedPostgresServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the database in the middle of a run, keeps settling calls (served from the node's lease),
 * starts the database again: every settlement lands exactly once, counts and sums exact.
 */
class DatabaseOutageTest {

    private static final RateSnapshot RATE = RateSnapshot.of("4420", "0.060000", "0.010000", 30, 6);

    @TempDir
    Path dir;

    @Test
    void settlementsMadeWhileTheDatabaseIsDownLandExactlyOnceWhenItReturns() throws Exception {
        Path pgData = dir.resolve("pg");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pgData, 0);
        int port = server.port();
        HikariDataSource pool = pool(server);
        TandemSchema.migrate(pool);
        DSLContext dsl = DSL.using(pool, DatabaseKind.POSTGRESQL.dialect());
        Account account = BillingFixtures.prepaidCustomer(dsl, "100.000000", "0");
        AuthorizationSettings settings = AuthorizationSettings.defaults()
                .withHoldDuration(Duration.ofMinutes(2))
                .withLeases(new BigDecimal("60.000000"), 1, new BigDecimal("1.000000"))
                .withTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(5));
        BillingNode node = new BillingNode("node-a", pool(server), DatabaseKind.POSTGRESQL, dir, settings,
                SettlementWriter.Settings.defaults().withRetryInterval(Duration.ofMillis(200)));
        BigDecimal expectedCharges = Money.ZERO;
        List<CompletableFuture<Void>> acks = new ArrayList<>();

        // Before the outage.
        for (int i = 0; i < 100; i++) {
            Authorization.Granted grant = authorize(node, account);
            CdrRecord cdr = call(node, account, grant);
            expectedCharges = expectedCharges.add(cdr.sellCost());
            acks.add(node.authorizer.settle(grant, List.of(cdr)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // Calls that start before and end during the outage.
        List<Authorization.Granted> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            live.add(authorize(node, account));
        }

        server.close();
        for (Authorization.Granted grant : live.subList(0, 150)) {
            CdrRecord cdr = call(node, account, grant);
            expectedCharges = expectedCharges.add(cdr.sellCost());
            acks.add(node.authorizer.settle(grant, List.of(cdr)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(node.writer.spooled()).isPositive();

        server = EmbeddedPostgresServer.start(pgData, port);
        for (Authorization.Granted grant : live.subList(150, 300)) {
            CdrRecord cdr = call(node, account, grant);
            expectedCharges = expectedCharges.add(cdr.sellCost());
            acks.add(node.authorizer.settle(grant, List.of(cdr)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.writer.spoolBacklog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        node.close();

        try {
            var row = dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle();
            assertThat(dsl.fetchCount(CDR)).isEqualTo(400);
            assertThat(dsl.fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.KIND.eq("call"))).isEqualTo(400);
            assertThat(dsl.select(DSL.sum(CDR.SELL_COST)).from(CDR).fetchSingle().value1())
                    .isEqualByComparingTo(expectedCharges);
            assertThat(row.getBalance()).isEqualByComparingTo(new BigDecimal("100.000000").subtract(expectedCharges));
            assertThat(row.getHeld()).isEqualByComparingTo("0");
            assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
        } finally {
            pool.close();
            server.close();
        }
    }

    private static Authorization.Granted authorize(BillingNode node, Account account) {
        Authorization authorization = node.authorizer.authorize(UUID.randomUUID(), account.id(), RATE);
        assertThat(authorization).isInstanceOf(Authorization.Granted.class);
        return (Authorization.Granted) authorization;
    }

    private static CdrRecord call(BillingNode node, Account account, Authorization.Granted grant) {
        // Every call is answered and at least 1 s long, so every settlement has a ledger entry.
        long talkMillis = 1 + ThreadLocalRandom.current().nextLong(grant.maxDurationSeconds() * 1000);
        return BillingFixtures.answeredCall(grant.callUuid(), account.id(), node.nodeId,
                Instant.now().minusSeconds(7200), talkMillis, RATE, BillingFixtures.BUY);
    }

    private static HikariDataSource pool(EmbeddedPostgresServer server) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(500);
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
