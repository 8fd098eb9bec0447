package io.tandem.routing.persistence;

import io.tandem.db.DatabaseKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes many {@code rate} rows the fastest way each database offers: PostgreSQL's {@code COPY ...
 * FROM STDIN} through the driver's CopyManager, MySQL multi-row {@code INSERT} statements of
 * {@value #ROWS_PER_INSERT} rows (one round trip each, independent of the URL's
 * {@code rewriteBatchedStatements}). Runs on the caller's connection, inside its transaction.
 */
final class RateBulkWriter {

    static final int ROWS_PER_INSERT = 1000;
    private static final String COLUMNS = "deck_id, prefix, destination, rate_per_minute, connect_fee, initial_increment, "
            + "next_increment, effective_from, effective_until, blocked, import_id, grace_seconds";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** One row to write; times in epoch milliseconds, {@code untilMillis} null = open-ended, {@code graceSeconds} -1 = the deck's. */
    record Row(String prefix, String destination, long rateMicros, long connectFeeMicros, int initialIncrement,
               int nextIncrement, long fromMillis, Long untilMillis, boolean blocked, int graceSeconds) {

        Row(String prefix, String destination, long rateMicros, long connectFeeMicros, int initialIncrement,
            int nextIncrement, long fromMillis, Long untilMillis, boolean blocked) {
            this(prefix, destination, rateMicros, connectFeeMicros, initialIncrement, nextIncrement, fromMillis, untilMillis,
                    blocked, -1);
        }
    }

    private RateBulkWriter() {
    }

    static void write(Connection connection, DatabaseKind kind, long deckId, Long importId, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (kind == DatabaseKind.POSTGRESQL) {
            copy(connection, deckId, importId, rows);
        } else {
            insert(connection, deckId, importId, rows);
        }
    }

    private static void copy(Connection connection, long deckId, Long importId, List<Row> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY rate (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)");
        try {
            StringBuilder chunk = new StringBuilder(1 << 20);
            TimestampText times = new TimestampText();
            String importText = importId == null ? "" : importId.toString();
            String deckText = Long.toString(deckId);
            for (Row row : rows) {
                chunk.append(deckText).append(',').append(row.prefix()).append(",\"")
                        .append(row.destination().replace("\"", "\"\"")).append("\",");
                appendMicros(chunk, row.rateMicros()).append(',');
                appendMicros(chunk, row.connectFeeMicros()).append(',')
                        .append(row.initialIncrement()).append(',').append(row.nextIncrement()).append(',')
                        .append(times.format(row.fromMillis())).append(',');
                if (row.untilMillis() != null) {
                    chunk.append(times.format(row.untilMillis()));
                }
                chunk.append(',').append(row.blocked() ? "t" : "f").append(',').append(importText).append(',');
                if (row.graceSeconds() >= 0) {
                    chunk.append(row.graceSeconds());
                }
                chunk.append('\n');
                if (chunk.length() > (1 << 20) - 512) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void insert(Connection connection, long deckId, Long importId, List<Row> rows) throws SQLException {
        int full = rows.size() / ROWS_PER_INSERT;
        int rest = rows.size() % ROWS_PER_INSERT;
        if (full > 0) {
            try (PreparedStatement statement = connection.prepareStatement(insertSql(ROWS_PER_INSERT))) {
                for (int chunk = 0; chunk < full; chunk++) {
                    bind(statement, deckId, importId, rows.subList(chunk * ROWS_PER_INSERT, (chunk + 1) * ROWS_PER_INSERT));
                    statement.executeUpdate();
                }
            }
        }
        if (rest > 0) {
            try (PreparedStatement statement = connection.prepareStatement(insertSql(rest))) {
                bind(statement, deckId, importId, rows.subList(full * ROWS_PER_INSERT, rows.size()));
                statement.executeUpdate();
            }
        }
    }

    private static String insertSql(int rowCount) {
        StringBuilder sql = new StringBuilder(64 + rowCount * 24).append("INSERT INTO rate (").append(COLUMNS).append(") VALUES ");
        for (int i = 0; i < rowCount; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        return sql.toString();
    }

    private static void bind(PreparedStatement statement, long deckId, Long importId, List<Row> rows) throws SQLException {
        int p = 1;
        LocalDateTime lastFrom = null;
        long lastFromMillis = Long.MIN_VALUE;
        for (Row row : rows) {
            if (row.fromMillis() != lastFromMillis) {
                lastFromMillis = row.fromMillis();
                lastFrom = utc(lastFromMillis);
            }
            statement.setLong(p++, deckId);
            statement.setString(p++, row.prefix());
            statement.setString(p++, row.destination());
            statement.setBigDecimal(p++, BigDecimal.valueOf(row.rateMicros(), 6));
            statement.setBigDecimal(p++, BigDecimal.valueOf(row.connectFeeMicros(), 6));
            statement.setInt(p++, row.initialIncrement());
            statement.setInt(p++, row.nextIncrement());
            statement.setObject(p++, lastFrom);
            statement.setObject(p++, row.untilMillis() == null ? null : utc(row.untilMillis()));
            statement.setBoolean(p++, row.blocked());
            if (importId == null) {
                statement.setNull(p++, java.sql.Types.BIGINT);
            } else {
                statement.setLong(p++, importId);
            }
            if (row.graceSeconds() < 0) {
                statement.setNull(p++, java.sql.Types.INTEGER);
            } else {
                statement.setInt(p++, row.graceSeconds());
            }
        }
    }

    private static LocalDateTime utc(long millis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC);
    }

    private static StringBuilder appendMicros(StringBuilder out, long micros) {
        out.append(micros / 1_000_000).append('.');
        String fraction = Long.toString(micros % 1_000_000);
        for (int i = fraction.length(); i < 6; i++) {
            out.append('0');
        }
        return out.append(fraction);
    }

    /** Formats UTC timestamps, remembering the last one: a deck's rows mostly share their dates. */
    private static final class TimestampText {
        private long lastMillis = Long.MIN_VALUE;
        private String last;

        String format(long millis) {
            if (millis != lastMillis) {
                lastMillis = millis;
                last = TIMESTAMP.format(utc(millis));
            }
            return last;
        }
    }
}
