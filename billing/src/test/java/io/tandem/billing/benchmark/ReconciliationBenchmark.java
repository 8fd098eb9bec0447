package io.tandem.billing.benchmark;

import io.tandem.billing.account.Money;
import io.tandem.billing.reconciliation.CallLeg;
import io.tandem.billing.reconciliation.CallLegSorter;
import io.tandem.billing.reconciliation.Discrepancy;
import io.tandem.billing.reconciliation.MatchTolerance;
import io.tandem.billing.reconciliation.ReconciliationMatcher;
import io.tandem.billing.reconciliation.ReconciliationReport;
import io.tandem.billing.reconciliation.VendorCdrMapping;
import io.tandem.billing.reconciliation.VendorCdrReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vendor reconciliation at month scale, for docs/performance.md. Not a test: run it by hand
 * ({@code docs/bench/invoicing.sh}).
 *
 * <p>Writes a vendor CDR file of {@code rows} calls (a month, about 4 calls a second), in blocks of 10,000
 * written in reverse order so the file is not sorted and the external sort has real work; plants one
 * only-theirs, one only-ours, one duration and one amount difference per 10,000 calls. Our side is generated
 * on the fly from the same seed, in connect-time order, as {@code VendorCallStream} delivers it from the
 * database (the database cursor's own rate is measured separately). Then times reader + external sort +
 * matcher and checks the planted counts. Prints the file size, the phases' times and the peak heap.
 */
public final class ReconciliationBenchmark {

    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final int BLOCK = 10_000;

    private ReconciliationBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Path.of(args.length > 1 ? args[1] : "target/reconciliation-bench");
        Files.createDirectories(dir);
        Path file = dir.resolve("vendor-" + rows + ".csv");
        long start = System.nanoTime();
        if (!Files.exists(file)) {
            write(file, rows);
        }
        double generate = seconds(start);
        System.out.printf(Locale.ROOT, "file: %s, %,d rows, %,d MB, written in %.1f s%n", file, rows, Files.size(file) >> 20, generate);

        Runtime runtime = Runtime.getRuntime();
        AtomicLong peak = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long[] kinds = new long[Discrepancy.Kind.values().length];
        start = System.nanoTime();
        ReconciliationReport report;
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             VendorCdrReader reader = new VendorCdrReader(in, VendorCdrMapping.of("connect", "called", "seconds", "amount"));
             CallLegSorter sorted = new CallLegSorter(reader, tmp, CallLegSorter.DEFAULT_RUN_SIZE)) {
            double sort = seconds(start);
            System.out.printf(Locale.ROOT, "read + sorted runs: %.1f s (%d runs spilled)%n", sort, sorted.spilledRuns());
            long matchStart = System.nanoTime();
            report = new ReconciliationMatcher(MatchTolerance.DEFAULTS).match(sorted, new Ours(rows), MONTH,
                    MONTH.plusSeconds(30L * 86_400 + 3600), d -> kinds[d.kind().ordinal()]++);
            System.out.printf(Locale.ROOT, "merge + match: %.1f s%n", seconds(matchStart));
        }
        double total = seconds(start);
        sampler.interrupt();
        long planted = rows / BLOCK;
        System.out.printf(Locale.ROOT, "total %.1f s = %,.0f rows/s; peak heap %,d MB (-Xmx %,d MB)%n", total, rows / total,
                peak.get() >> 20, runtime.maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "matched %,d, only theirs %,d, only ours %,d, duration %,d, amount %,d (planted %,d each)%n",
                report.matched(), report.onlyTheirs(), report.onlyOurs(), report.durationDifferences(), report.amountDifferences(), planted);
        if (report.onlyTheirs() != planted || report.onlyOurs() != planted || report.durationDifferences() != planted
                || report.amountDifferences() != planted) {
            throw new IllegalStateException("the planted differences were not found exactly");
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Call {@code i}: connected at i * 0.25 s (+ up to 0.2 s), to a number of its own, seconds and amount. */
    private record Call(Instant at, String called, long seconds, BigDecimal amount) {
        static Call of(long i) {
            SplittableRandom random = new SplittableRandom(i);
            Instant at = MONTH.plusMillis(i * 250 + random.nextInt(200));
            long seconds = 1 + random.nextInt(600);
            return new Call(at, "44" + (7_000_000_000L + i), seconds,
                    BigDecimal.valueOf(seconds * 500L, Money.SCALE));
        }
    }

    private static void write(Path file, long rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("connect,caller,called,seconds,amount\n");
            long blocks = (rows + BLOCK - 1) / BLOCK;
            for (long b = blocks - 1; b >= 0; b--) {
                for (long i = b * BLOCK; i < Math.min(rows, (b + 1) * BLOCK); i++) {
                    long inBlock = i % BLOCK;
                    if (inBlock == 1) {
                        continue;                                    // only ours
                    }
                    Call call = Call.of(i);
                    long seconds = inBlock == 2 ? call.seconds() + 30 : call.seconds();            // duration
                    BigDecimal amount = inBlock == 3 ? call.amount().add(BigDecimal.ONE) : call.amount();   // amount
                    String called = inBlock == 0 ? "+" + call.called() : call.called();
                    out.write(call.at().plusMillis(700).toString() + ",4930123," + called + "," + seconds + "," + amount.toPlainString() + "\n");
                    if (inBlock == 4) {                              // only theirs
                        out.write(call.at().toString() + ",4930123,449" + i + ",60,0.030000\n");
                    }
                }
            }
        }
    }

    /** Our side, in connect-time order, without a database. */
    private static final class Ours implements Iterator<CallLeg> {
        private final long rows;
        private long next;

        Ours(long rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return next < rows;
        }

        @Override
        public CallLeg next() {
            if (next >= rows) {
                throw new NoSuchElementException();
            }
            Call call = Call.of(next);
            return new CallLeg(call.at(), "4930123", call.called(), call.seconds(), call.amount(), "ours-" + next++);
        }
    }
}
