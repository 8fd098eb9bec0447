package io.tandem.console.invoices;

import io.tandem.billing.reconciliation.CallLegSorter;
import io.tandem.billing.reconciliation.DiscrepancyCsvWriter;
import io.tandem.billing.reconciliation.MatchTolerance;
import io.tandem.billing.reconciliation.OurCallSource;
import io.tandem.billing.reconciliation.ReconciliationMatcher;
import io.tandem.billing.reconciliation.ReconciliationReport;
import io.tandem.billing.reconciliation.VendorCdrFileException;
import io.tandem.billing.reconciliation.VendorCdrMapping;
import io.tandem.billing.reconciliation.VendorCdrReader;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.node.TandemProperties;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Service;

/**
 * Vendor reconciliation: a vendor's CDR file (CSV, optionally gzip) matched against our CDRs of a month. The
 * file streams through the reader, an external sort and the matcher; the discrepancies go to a CSV file under
 * {@code <tandem.data-dir>/reconciliations/} (the newest {@value #KEPT_REPORTS} are kept) and the totals come
 * back. One reconciliation runs per node at a time: a second one is refused rather than queued, so uploads
 * cannot pile up CPU, disk and connections.
 */
@Service
public class ReconciliationService {

    public static final int KEPT_REPORTS = 20;

    private final OurCallSource ours;
    private final AuditLogRepository audit;
    private final Path directory;
    private final Semaphore running = new Semaphore(1);

    public ReconciliationService(OurCallSource ours, AuditLogRepository audit, TandemProperties properties) {
        this.ours = ours;
        this.audit = audit;
        this.directory = properties.dataDir().resolve("reconciliations");
    }

    /** The totals, and the id under which the discrepancy CSV can be downloaded. */
    public record Reconciliation(UUID id, long vendorAccountId, String month, ReconciliationReport report) {
    }

    /**
     * Reconciles {@code file} (closed here) with our calls to the vendor connected in {@code month}. Blocking,
     * for minutes on a month of a busy vendor: call it from a servlet or background thread, never an event loop.
     */
    public Outcome<Reconciliation> reconcile(Caller caller, long vendorAccountId, YearMonth month, VendorCdrMapping mapping,
                                             MatchTolerance tolerance, String fileName, InputStream file) {
        caller.require(InvoiceService.FINANCE, "reconcile vendor CDRs");
        Map<String, String> errors = new LinkedHashMap<>(mapping.problems());
        if (!errors.isEmpty()) {
            close(file);
            return Outcome.invalid(errors);
        }
        if (!running.tryAcquire()) {
            close(file);
            return new Outcome.Conflict<>("a reconciliation is running on this node; try again when it is done");
        }
        try {
            Files.createDirectories(directory);
            UUID id = UUID.randomUUID();
            Path discrepancies = directory.resolve(id + ".csv");
            Instant from = month.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            Instant until = month.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            ReconciliationReport report;
            try (InputStream raw = new BufferedInputStream(file, 1 << 16);
                 InputStream in = fileName != null && fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                 VendorCdrReader reader = new VendorCdrReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), mapping);
                 CallLegSorter sorted = new CallLegSorter(reader, Files.createDirectories(directory.resolve("tmp")), CallLegSorter.DEFAULT_RUN_SIZE);
                 BufferedWriter out = Files.newBufferedWriter(discrepancies, StandardCharsets.UTF_8);
                 DiscrepancyCsvWriter sink = new DiscrepancyCsvWriter(out)) {
                report = ours.read(vendorAccountId, from, until,
                        our -> new ReconciliationMatcher(tolerance).match(sorted, our, from, until, sink));
            } catch (VendorCdrFileException e) {
                Files.deleteIfExists(discrepancies);
                return Outcome.invalid(Map.of("file", e.getMessage()));
            } catch (java.util.zip.ZipException e) {
                Files.deleteIfExists(discrepancies);
                return Outcome.invalid(Map.of("file", "not a readable gzip file: " + e.getMessage()));
            }
            prune();
            audit.record(caller.name(), "reconcile", "vendor", String.valueOf(vendorAccountId),
                    month + " " + fileName + ": " + report.matched() + " matched, " + report.onlyTheirs() + " only theirs, "
                            + report.onlyOurs() + " only ours, disputed " + report.disputedAmount().toPlainString(), caller.sourceIp());
            return Outcome.done(new Reconciliation(id, vendorAccountId, month.toString(), report));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reconcile " + fileName, e);
        } finally {
            running.release();
        }
    }

    /**
     * The matching tolerances as a user states them: the window and duration tolerance in seconds, the amount as a
     * decimal; a field message for each that is out of range.
     */
    public static Outcome<MatchTolerance> tolerance(long windowSeconds, long durationToleranceSeconds, String amountTolerance) {
        try {
            return Outcome.done(new MatchTolerance(java.time.Duration.ofSeconds(windowSeconds), durationToleranceSeconds,
                    io.tandem.billing.account.Money.parse(amountTolerance == null ? "" : amountTolerance.strip())));
        } catch (IllegalArgumentException e) {
            return Outcome.invalid(Map.of("windowSeconds", e.getMessage()));
        }
    }

    /** The column separator named {@code ,} {@code ;} {@code |} or {@code tab}; 0 (refused by the mapping) for anything else. */
    public static char delimiter(String name) {
        return "tab".equalsIgnoreCase(name) ? '\t' : name != null && name.length() == 1 ? name.charAt(0) : 0;
    }

    /**
     * {@link #reconcile} on a thread of its own, for the console: the future completes with the outcome; a conflict
     * at once when a reconciliation is running on this node.
     */
    public java.util.concurrent.CompletableFuture<Outcome<Reconciliation>> reconcileInBackground(Caller caller, long vendorAccountId,
            YearMonth month, VendorCdrMapping mapping, MatchTolerance tolerance, String fileName, java.util.function.Supplier<InputStream> file) {
        caller.require(InvoiceService.FINANCE, "reconcile vendor CDRs");
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> reconcile(caller, vendorAccountId, month, mapping, tolerance, fileName, file.get()), background);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    new Outcome.Conflict<>("a reconciliation is running on this node; try again when it is done"));
        }
    }

    /** One background reconciliation at a time, none queued (as {@link #running} refuses a second one anyway). */
    private final java.util.concurrent.ThreadPoolExecutor background = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            Thread.ofPlatform().name("reconciliation-", 0).daemon(true).factory());

    @jakarta.annotation.PreDestroy
    void stop() {
        background.shutdown();
    }

    /** The discrepancy CSV of a reconciliation, if it is still kept. */
    public Optional<Path> discrepancies(Caller caller, UUID id) {
        caller.require(InvoiceService.FINANCE, "read reconciliations");
        Path file = directory.resolve(id + ".csv");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private void prune() throws IOException {
        try (var files = Files.list(directory)) {
            List<Path> reports = files.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted(Comparator.comparing(ReconciliationService::modified).reversed()).toList();
            for (Path old : reports.subList(Math.min(KEPT_REPORTS, reports.size()), reports.size())) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(InputStream file) {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
