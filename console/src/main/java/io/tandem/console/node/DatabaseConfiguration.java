package io.tandem.console.node;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.db.DatabaseKind;
import io.tandem.db.TandemSchema;
import io.tandem.db.embedded.EmbeddedPostgresServer;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The node's database. With {@code spring.datasource.url} set, Spring Boot builds the pool for
 * that MySQL or PostgreSQL server. Without it, the node runs its own PostgreSQL under
 * {@code tandem.data-dir}/postgres, so that one command brings up a working node.
 * Either way Flyway migrates {@link TandemSchema}'s migrations with the dialect's placeholders.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    /**
     * Stopped by the context, after every bean that uses the database (calls drained, settlements
     * written, leases given back), not by a JVM shutdown hook racing them.
     */
    @Bean(destroyMethod = "close")
    @Conditional(NoDatasourceUrl.class)
    EmbeddedPostgresServer embeddedPostgresServer(TandemProperties properties) {
        return EmbeddedPostgresServer.start(properties.dataDir().resolve("postgres"), properties.embeddedDatabase().port(),
                false, properties.embeddedDatabase().nice());
    }

    @Bean(destroyMethod = "close")
    @Conditional(NoDatasourceUrl.class)
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(32);
        config.setPoolName("tandem");
        return new HikariDataSource(config);
    }

    @Bean
    FlywayConfigurationCustomizer tandemSchemaPlaceholders(DataSource dataSource) {
        return configuration -> TandemSchema.configure(configuration, DatabaseKind.of(dataSource));
    }

    /** Refuses to start on a schema a newer release migrated (docs/operations.md, "Migrations"), then migrates. */
    @Bean
    FlywayMigrationStrategy refuseNewerSchemaThenMigrate() {
        return TandemSchema::migrate;
    }

    static final class NoDatasourceUrl implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
