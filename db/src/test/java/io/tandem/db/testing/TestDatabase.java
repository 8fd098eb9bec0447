package io.tandem.db.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.db.DatabaseKind;
import io.tandem.db.TandemSchema;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A freshly created, migrated database on a real server (PostgreSQL or MySQL-family), private to
 * one test class or test. {@link #newPool(int)} gives further independent pools on the same
 * database, e.g. to play several cluster nodes.
 */
public final class TestDatabase implements AutoCloseable {

    private final DatabaseKind kind;
    private final String server;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final HikariDataSource dataSource;

    TestDatabase(DatabaseKind kind, String server, String jdbcUrl, String username, String password) {
        this.kind = kind;
        this.server = server;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.dataSource = newPool(16);
        TandemSchema.migrate(dataSource);
    }

    public DatabaseKind kind() {
        return kind;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DSLContext dsl() {
        return DSL.using(dataSource, kind.dialect());
    }

    /** A new, independent connection pool on this database; the caller closes it. */
    public HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + kind.name().toLowerCase());
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return server;
    }
}
