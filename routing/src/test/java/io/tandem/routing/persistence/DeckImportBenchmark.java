package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.RATE;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.reload.RouteTableHolder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.DSL;
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
 * A 1,000,000-row deck end to end: upload (parse, validate, diff, staged bulk write), commit, and
 * two nodes (own pools, own holders) reloaded with the new table; against the raw load of the same
 * rows ({@code COPY ... FROM STDIN} on PostgreSQL, {@code LOAD DATA LOCAL INFILE} on MySQL).
 * Each run starts from an empty {@code rate} table. Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g", "-Duser.timezone=UTC"})
@Warmup(iterations = 0)
@Measurement(iterations = 2)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeckImportBenchmark {

    static final int ROWS = 1_000_000;

    @Param({"POSTGRESQL", "MYSQL"})
    public DatabaseKind kind;

    TestDatabase db;
    byte[] csv;
    Path rawFile;
    long account;
    int decks;
    long deck;
    String copyText;
    com.zaxxer.hikari.HikariDataSource poolA;
    com.zaxxer.hikari.HikariDataSource poolB;
    RouteTableHolder nodeA;
    RouteTableHolder nodeB;
    DeckImportRepository imports;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        db = TestDatabases.of(kind);
        SplittableRandom random = new SplittableRandom(11);
        Set<String> seen = new HashSet<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(ROWS * 48);
        StringBuilder raw = new StringBuilder(ROWS * 60);
        out.writeBytes("prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder(64);
        while (seen.size() < ROWS) {
            String prefix = (1 + random.nextInt(9)) + Long.toString(random.nextLong(10_000_000L, 100_000_000L));
            if (!seen.add(prefix)) {
                continue;
            }
            long micros = 1_000 + random.nextLong(500_000);
            String rate = "0." + String.format("%06d", micros);
            line.setLength(0);
            line.append(prefix).append(",Destination ").append(prefix, 0, 3).append(',').append(rate).append(",0,60,60,\n");
            out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            raw.append(prefix).append("\tDestination ").append(prefix, 0, 3).append('\t').append(rate).append('\n');
        }
        csv = out.toByteArray();
        rawFile = Files.createTempFile("tandem-raw-deck", ".tsv");
        Files.writeString(rawFile, raw);
        account = BenchmarkDatabase.account(db.dsl(), "partner", "vendor");
        Clock clock = Clock.systemUTC();
        imports = new DeckImportRepository(db.dsl(), clock);
        poolA = db.newPool(4);
        poolB = db.newPool(4);
        nodeA = new RouteTableHolder(new RouteTableLoader(DSL.using(poolA, db.dsl().dialect()), clock)).start();
        nodeB = new RouteTableHolder(new RouteTableLoader(DSL.using(poolB, db.dsl().dialect()), clock)).start();
    }

    @Setup(Level.Invocation)
    public void freshDeck() {
        db.dsl().truncate(RATE).execute();
        deck = BenchmarkDatabase.deck(db.dsl(), account, "deck " + (++decks), "buy");
        if (kind == DatabaseKind.POSTGRESQL) {
            copyText = withDeck();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        nodeA.close();
        nodeB.close();
        poolA.close();
        poolB.close();
        db.close();
        Files.deleteIfExists(rawFile);
    }

    /** Upload, preview, commit, and both nodes serving the new version. */
    @Benchmark
    public long endToEnd() throws InterruptedException {
        ImportPreview preview = imports.preview(deck, "deck.csv", new ByteArrayInputStream(csv), DeckFormat.CANONICAL,
                new ImportOptions(ImportMode.FULL, null, false), "bench").orElseThrow();
        CommitResult result = imports.commit(preview.deckImport().id(), false);
        if (!(result instanceof CommitResult.Committed)) {
            throw new IllegalStateException("commit refused: " + result);
        }
        nodeA.poke();
        nodeB.poke();
        long version = ConfigVersionStamp.current(db.dsl());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((nodeA.current().version() != version || nodeB.current().version() != version) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (nodeB.current().rateCount() != ROWS || nodeA.current().rateCount() != ROWS) {
            throw new IllegalStateException("nodes did not load the deck: " + nodeA.current().rateCount());
        }
        return version;
    }

    /** The same rows with the database's own bulk load and nothing else. */
    @Benchmark
    public long rawLoad() throws SQLException {
        try (Connection c = kind == DatabaseKind.MYSQL
                ? java.sql.DriverManager.getConnection(db.jdbcUrl() + "&allowLoadLocalInfile=true", db.username(), db.password())
                : db.dataSource().getConnection();
             Statement statement = c.createStatement()) {
            if (kind == DatabaseKind.POSTGRESQL) {
                return c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                        "COPY rate (prefix, destination, rate_per_minute, deck_id, effective_from) FROM STDIN",
                        new java.io.StringReader(copyText));
            }
            return statement.executeUpdate("LOAD DATA LOCAL INFILE '" + rawFile + "' INTO TABLE rate (prefix, destination, "
                    + "rate_per_minute) SET deck_id = " + deck + ", effective_from = '" + timestamp() + "'");
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    private static String timestamp() {
        return Instant.now().toString().replace("T", " ").replace("Z", "");
    }

    private String withDeck() {
        String text;
        try {
            text = Files.readString(rawFile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StringBuilder rows = new StringBuilder(text.length() + ROWS * 32);
        String suffix = "\t" + deck + "\t" + timestamp() + "\n";
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            rows.append(text, start, end).append(suffix);
        }
        return rows.toString();
    }
}
