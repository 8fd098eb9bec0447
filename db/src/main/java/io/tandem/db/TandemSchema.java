package io.tandem.db;

import javax.sql.DataSource;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Migrates a database to Tandem's schema. One code path for the node, the tests and tools:
 * the migrations in {@code classpath:db/migration/common} with the placeholders of the
 * database's {@link DatabaseKind}. A node starting on an already migrated database applies
 * nothing; concurrent starts are serialised by Flyway's own lock.
 */
public final class TandemSchema {

    public static final String MIGRATIONS = "classpath:db/migration/common";

    private TandemSchema() {
    }

    /** Sets the locations and the dialect placeholders on a Flyway configuration. */
    public static FluentConfiguration configure(FluentConfiguration configuration, DatabaseKind kind) {
        return configuration
                .locations(MIGRATIONS)
                .placeholders(kind.placeholders())
                .placeholderReplacement(true)
                .baselineOnMigrate(false)
                .validateMigrationNaming(true);
    }

    public static MigrateResult migrate(DataSource dataSource) {
        DatabaseKind kind = DatabaseKind.of(dataSource);
        return migrate(configure(Flyway.configure(), kind).dataSource(dataSource).load());
    }

    /** Migrates, after {@link #refuseNewerSchema}: how every node and tool starts on a database. */
    public static MigrateResult migrate(Flyway flyway) {
        refuseNewerSchema(flyway);
        return flyway.migrate();
    }

    /**
     * Refuses a database that a newer release already migrated: this node's code does not know
     * those tables and columns, and Flyway by default only skips migrations "from the future".
     * Nodes of two versions share a database only while the older ones keep running (a roll); an
     * older node must not start again on the newer schema.
     */
    public static void refuseNewerSchema(Flyway flyway) {
        MigrationInfoService info = flyway.info();
        MigrationInfo[] future = Arrays.stream(info.applied()).filter(TandemSchema::fromTheFuture).toArray(MigrationInfo[]::new);
        if (future.length == 0) {
            return;
        }
        MigrationInfo newest = future[future.length - 1];
        String known = Arrays.stream(info.all()).filter(m -> !fromTheFuture(m) && m.getVersion() != null)
                .map(m -> m.getVersion().getVersion()).reduce((older, newer) -> newer).orElse("none");
        throw new NewerSchemaException("The database's schema is at version " + newest.getVersion() + " (\""
                + newest.getDescription() + "\"), newer than this node knows (" + known + "): a newer Tandem release "
                + "migrated it. Start that release (or a newer one) on this database, or restore the backup taken "
                + "before the upgrade; this node will not run on it.");
    }

    private static boolean fromTheFuture(MigrationInfo migration) {
        return migration.getState() == MigrationState.FUTURE_SUCCESS || migration.getState() == MigrationState.FUTURE_FAILED;
    }

    /** The database was migrated by a newer release than this one. */
    public static final class NewerSchemaException extends IllegalStateException {
        NewerSchemaException(String message) {
            super(message);
        }
    }
}
