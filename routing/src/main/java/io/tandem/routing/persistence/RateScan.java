package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.RATE;

import io.tandem.routing.RouteTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.conf.ParamType;
import org.jooq.impl.SQLDataType;

/**
 * Reads many {@code rate} rows straight from JDBC into primitives: the SQL is built with jOOQ, but
 * a million rows skip jOOQ's records and {@code BigDecimal}s (amounts come back as micros, computed
 * by the database), which makes loading a large deck several times faster.
 */
final class RateScan {

    /** One row; amounts in micros, times in epoch milliseconds, until {@link RouteTable#OPEN_ENDED} when open. */
    @FunctionalInterface
    interface RowConsumer {
        void accept(long id, long deckId, String prefix, String destination, long rateMicros, long connectFeeMicros,
                int initialIncrement, int nextIncrement, long fromMillis, long untilMillis, boolean blocked, int graceSeconds);
    }

    private RateScan() {
    }

    /** Streams the rows matching {@code where}; run it inside a transaction so PostgreSQL streams. */
    static void scan(DSLContext tx, Condition where, RowConsumer consumer) {
        String sql = tx.select(RATE.ID, RATE.DECK_ID, RATE.PREFIX, RATE.DESTINATION,
                        RATE.RATE_PER_MINUTE.mul(1_000_000).cast(SQLDataType.BIGINT),
                        RATE.CONNECT_FEE.mul(1_000_000).cast(SQLDataType.BIGINT),
                        RATE.INITIAL_INCREMENT, RATE.NEXT_INCREMENT, RATE.EFFECTIVE_FROM, RATE.EFFECTIVE_UNTIL, RATE.BLOCKED,
                        RATE.GRACE_SECONDS)
                .from(RATE)
                .where(where)
                .getSQL(ParamType.INLINED);
        tx.connection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(20_000);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        LocalDateTime until = rs.getObject(10, LocalDateTime.class);
                        consumer.accept(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                                rs.getLong(6), rs.getInt(7), rs.getInt(8), millis(rs.getObject(9, LocalDateTime.class)),
                                until == null ? RouteTable.OPEN_ENDED : millis(until), rs.getBoolean(11), graceOrDeck(rs.getInt(12), rs.wasNull()));
                    }
                }
            }
        });
    }

    /** A rate's own grace time, or -1 when it has none (its deck's applies). */
    private static int graceOrDeck(int value, boolean isNull) {
        return isNull ? -1 : value;
    }

    private static long millis(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
