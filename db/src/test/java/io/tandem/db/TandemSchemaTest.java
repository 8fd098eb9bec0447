package io.tandem.db;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CONFIG_VERSION;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TandemSchemaTest {

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void migratesOnceAndASecondNodeSkipsDoneMigrations(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            MigrateResult second = TandemSchema.migrate(db.dataSource());

            assertThat(second.migrationsExecuted).isZero();
            assertThat(db.dsl().fetchValue(CONFIG_VERSION.VERSION)).isEqualTo(1L);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aNodeRefusesADatabaseThatANewerReleaseMigrated(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            db.dsl().execute("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) select max(installed_rank) + 1, '999', 'from a newer release', 'SQL', "
                    + "'V999__from_a_newer_release.sql', 1, 'test', 1, " + (kind == DatabaseKind.POSTGRESQL ? "true" : "1")
                    + " from flyway_schema_history");

            assertThatThrownBy(() -> TandemSchema.migrate(db.dataSource()))
                    .isInstanceOf(TandemSchema.NewerSchemaException.class)
                    .hasMessageContaining("schema is at version 999 (\"from a newer release\"), newer than this node knows");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void moneyKeepsSixDecimalsAndTimestampsKeepMilliseconds(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long id = dsl.insertInto(ACCOUNT)
                    .set(ACCOUNT.NAME, "Ünïcode Telecom 📞")
                    .set(ACCOUNT.KIND, "customer")
                    .set(ACCOUNT.CURRENCY, "EUR")
                    .set(ACCOUNT.BALANCE, new BigDecimal("12345678901234.123456"))
                    .set(ACCOUNT.CREATED_AT, now)
                    .set(ACCOUNT.UPDATED_AT, now)
                    .returningResult(ACCOUNT.ID)
                    .fetchOne(ACCOUNT.ID);

            var row = dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOne();
            assertThat(row.getBalance()).isEqualByComparingTo("12345678901234.123456");
            assertThat(row.getName()).isEqualTo("Ünïcode Telecom 📞");
            assertThat(row.getCreatedAt()).isEqualTo(now);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void checkConstraintsRejectNonsense(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            Instant now = Instant.now();
            assertThatThrownBy(() -> db.dsl().insertInto(ACCOUNT)
                    .set(ACCOUNT.NAME, "x")
                    .set(ACCOUNT.KIND, "reseller")
                    .set(ACCOUNT.CURRENCY, "EUR")
                    .set(ACCOUNT.CREATED_AT, now)
                    .set(ACCOUNT.UPDATED_AT, now)
                    .execute())
                    .isInstanceOf(DataAccessException.class);
        }
    }

    /** V10: a trunk's media may be anchored only when needed ('auto'); other words are still refused. */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aTrunkMayAnchorMediaAutomaticallyButNotSometimes(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long account = dsl.insertInto(ACCOUNT).set(ACCOUNT.NAME, "media").set(ACCOUNT.KIND, "customer")
                    .set(ACCOUNT.CURRENCY, "EUR").set(ACCOUNT.CREATED_AT, now).set(ACCOUNT.UPDATED_AT, now)
                    .returningResult(ACCOUNT.ID).fetchOne(ACCOUNT.ID);
            assertThat(dsl.insertInto(INGRESS_TRUNK).set(INGRESS_TRUNK.ACCOUNT_ID, account).set(INGRESS_TRUNK.NAME, "auto-trunk")
                    .set(INGRESS_TRUNK.SOURCE_CIDRS, "192.0.2.0/24").set(INGRESS_TRUNK.MEDIA_MODE, "auto")
                    .set(INGRESS_TRUNK.CREATED_AT, now).set(INGRESS_TRUNK.UPDATED_AT, now).execute()).isEqualTo(1);
            assertThatThrownBy(() -> dsl.insertInto(INGRESS_TRUNK).set(INGRESS_TRUNK.ACCOUNT_ID, account)
                    .set(INGRESS_TRUNK.NAME, "odd-trunk").set(INGRESS_TRUNK.SOURCE_CIDRS, "192.0.2.0/24")
                    .set(INGRESS_TRUNK.MEDIA_MODE, "sometimes").set(INGRESS_TRUNK.CREATED_AT, now)
                    .set(INGRESS_TRUNK.UPDATED_AT, now).execute())
                    .isInstanceOf(DataAccessException.class);
        }
    }
}
