package io.tandem.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
        return configure(Flyway.configure(), kind).dataSource(dataSource).load().migrate();
    }
}
