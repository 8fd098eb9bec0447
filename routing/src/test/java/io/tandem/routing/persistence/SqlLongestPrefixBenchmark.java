package io.tandem.routing.persistence;

import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteTable;
import io.tandem.routing.bench.SyntheticDecks;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the trie buys: one deck's rate for a dialled number, from the same 1,000,000 rates in the
 * database (50 decks x 20,000 codes, loaded with the import's bulk path), answered three ways: the
 * naive SQL longest-prefix query ({@code number LIKE prefix || '%'}), the indexed SQL query over
 * the number's own prefixes ({@code prefix IN (...)}), and the {@link RouteTable} loaded from that
 * database. Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g", "-Duser.timezone=UTC"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SqlLongestPrefixBenchmark {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Param({"POSTGRESQL", "MYSQL"})
    public DatabaseKind kind;

    TestDatabase db;
    Connection connection;
    PreparedStatement naive;
    PreparedStatement indexed;
    RouteTable table;
    long[] deckIds;
    String[] numbers;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = TestDatabases.of(kind);
        SyntheticDecks data = SyntheticDecks.generate(50, 20_000, 42);
        long account = BenchmarkDatabase.account(db.dsl(), "vendors", "vendor");
        deckIds = new long[data.vendors];
        long from = NOW.minusSeconds(86_400).toEpochMilli();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int v = 0; v < data.vendors; v++) {
                deckIds[v] = BenchmarkDatabase.deck(db.dsl(), account, "deck " + v, "buy");
                List<RateBulkWriter.Row> rows = new ArrayList<>(20_000);
                for (int i = 0; i < data.size(); i++) {
                    if (data.deck[i] == v) {
                        rows.add(new RateBulkWriter.Row(data.prefix[i], "", data.rateMicros[i], 0, 60, 60, from, null, false));
                    }
                }
                RateBulkWriter.write(c, kind, deckIds[v], null, rows);
            }
            c.commit();
        }
        db.dsl().execute(kind == DatabaseKind.POSTGRESQL ? "ANALYZE rate" : "ANALYZE TABLE rate");
        table = new RouteTableLoader(db.dsl(), Clock.fixed(NOW, ZoneOffset.UTC)).load();
        numbers = data.numbers(1 << 14, 7);
        connection = db.dataSource().getConnection();
        String inForce = " AND effective_from <= ? AND (effective_until IS NULL OR effective_until > ?)";
        naive = connection.prepareStatement("SELECT rate_per_minute FROM rate WHERE deck_id = ? AND ? LIKE CONCAT(prefix, '%')"
                + inForce + " ORDER BY CHAR_LENGTH(prefix) DESC LIMIT 1");
        StringBuilder in = new StringBuilder("?");
        for (int i = 1; i < 13; i++) {
            in.append(",?");
        }
        indexed = connection.prepareStatement("SELECT rate_per_minute FROM rate WHERE deck_id = ? AND prefix IN (" + in + ")"
                + inForce + " ORDER BY CHAR_LENGTH(prefix) DESC LIMIT 1");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        db.close();
    }

    private String nextNumber() {
        next = (next + 1) & (numbers.length - 1);
        return numbers[next];
    }

    @Benchmark
    public BigDecimal sqlNaiveLike() throws SQLException {
        String number = nextNumber();
        naive.setLong(1, deckIds[next % deckIds.length]);
        naive.setString(2, number);
        naive.setTimestamp(3, Timestamp.from(NOW));
        naive.setTimestamp(4, Timestamp.from(NOW));
        return first(naive);
    }

    @Benchmark
    public BigDecimal sqlPrefixList() throws SQLException {
        String number = nextNumber();
        indexed.setLong(1, deckIds[next % deckIds.length]);
        for (int i = 0; i < 12; i++) {
            indexed.setString(2 + i, number.substring(0, Math.min(number.length(), i + 1)));
        }
        indexed.setString(14, "");
        indexed.setTimestamp(15, Timestamp.from(NOW));
        indexed.setTimestamp(16, Timestamp.from(NOW));
        return first(indexed);
    }

    @Benchmark
    public Optional<Rate> trie() {
        String number = nextNumber();
        return table.rateAt(deckIds[next % deckIds.length], number, NOW);
    }

    private static BigDecimal first(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getBigDecimal(1) : null;
        }
    }
}
