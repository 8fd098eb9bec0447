package io.tandem.billing.persistence;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binding values on the settlement path's plain JDBC statements (written without jOOQ because
 * rendering the queries of every batch cost the settlement writer more CPU than the database's
 * work; docs/performance.md).
 */
final class JdbcValues {

    private JdbcValues() {
    }

    /**
     * Binds one value: an {@link Instant} as the UTC {@code LocalDateTime} the schema stores; on
     * PostgreSQL a {@link BigDecimal} as its exact decimal text, typed by the column it lands in
     * (the driver's binary {@code numeric} encoding divides BigIntegers for every value, a third
     * of the writer's allocation). The text is the same digits, so nothing is rounded.
     */
    static void bind(PreparedStatement statement, int index, Object value, boolean postgres) throws SQLException {
        if (value instanceof Instant instant) {
            statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (postgres && value instanceof BigDecimal money) {
            statement.setObject(index, money.toPlainString(), Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }

    /** {@code "?, ?, ?"} with {@code count} marks, cached per count. */
    static String marks(int count) {
        return MARKS.computeIfAbsent(count, n -> String.join(", ", Collections.nCopies(n, "?")));
    }

    private static final Map<Integer, String> MARKS = new ConcurrentHashMap<>();
}
