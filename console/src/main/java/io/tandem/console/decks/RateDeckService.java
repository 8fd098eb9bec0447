package io.tandem.console.decks;

import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.console.notices.RateNotices;
import io.tandem.console.security.ApiRole;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.DeckLimits;
import io.tandem.routing.deck.DeckTooLargeException;
import io.tandem.routing.deck.DiffLine;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.deck.RateDeckSpec;
import io.tandem.routing.persistence.DeckImportRepository;
import io.tandem.routing.persistence.RateDeckRepository;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Rate decks, their rates and their uploads, for the REST API and the console alike: validation, the role
 * check, the audit entry, and after a commit the routing reload on this node and every peer.
 *
 * <p>An upload is read into a preview (the diff against the deck, notice-period warnings, row errors) and
 * changes nothing until it is committed; a discarded preview leaves the deck as it was.
 *
 * <p>Who may change decks: ADMIN, OPERATOR and FINANCE in the console, admin and operator API keys.
 * Everyone reads.
 */
@Service
public class RateDeckService {

    private static final Logger LOG = LoggerFactory.getLogger(RateDeckService.class);

    public static final Set<String> CHANGE = Caller.authorities(Set.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE),
            Set.of(ApiRole.ADMIN, ApiRole.OPERATOR));

    /** Previews read whole files; two at a time keep a 2-core node answering calls, eight more may wait. */
    static final int PREVIEW_THREADS = 2;
    static final int PREVIEW_QUEUE = 8;

    public static final int MAX_PREFIX = 32;
    public static final int MAX_FILE_NAME = 255;

    private final RateDeckRepository decks;
    private final DeckImportRepository imports;
    private final RoutingChanges routingChanges;
    private final AuditLogRepository audit;
    private final RateNotices notices;
    private final ThreadPoolExecutor previews;

    public RateDeckService(RateDeckRepository decks, DeckImportRepository imports, RoutingChanges routingChanges, AuditLogRepository audit,
                           RateNotices notices) {
        this.decks = decks;
        this.imports = imports;
        this.routingChanges = routingChanges;
        this.audit = audit;
        this.notices = notices;
        this.previews = new ThreadPoolExecutor(PREVIEW_THREADS, PREVIEW_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PREVIEW_QUEUE),
                Thread.ofPlatform().name("deck-preview-", 0).daemon(true).factory());
        this.previews.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        previews.shutdownNow();
    }

    /** A deck as a user states it; {@code direction} sell or buy, {@code noticeDays} defaults to 7. */
    public record DeckRequest(Long accountId, String name, String direction, String currency, Integer noticeDays) {
    }

    public List<RateDeck> list(Long accountId, int offset, int limit) {
        return decks.list(accountId, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public Optional<RateDeck> find(long id) {
        return decks.find(id);
    }

    public Outcome<RateDeck> create(Caller caller, DeckRequest request) {
        caller.require(CHANGE, "create rate decks");
        DeckDirection direction = null;
        if (request.direction() != null && List.of("sell", "buy").contains(request.direction().toLowerCase(Locale.ROOT))) {
            direction = DeckDirection.ofCode(request.direction());
        }
        RateDeckSpec spec = new RateDeckSpec(request.accountId(), request.name(), direction,
                request.currency() == null ? null : request.currency().trim().toUpperCase(Locale.ROOT), request.noticeDays());
        Map<String, String> errors = decks.validate(spec);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        RateDeck deck = decks.create(spec);
        audit.record(caller.name(), "create", "rate_deck", String.valueOf(deck.id()), deck.name(), caller.sourceIp());
        return new Outcome.Done<>(deck);
    }

    /** Whether a prefix filter is acceptable: digits only, at most {@link #MAX_PREFIX}. Null when it is. */
    public static String prefixProblem(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        if (prefix.length() > MAX_PREFIX) {
            return "at most " + MAX_PREFIX + " digits";
        }
        return prefix.chars().allMatch(c -> c >= '0' && c <= '9') ? null : "digits only";
    }

    /** Rates by offset, as the API has always paged them; empty when the deck does not exist. */
    public Outcome<List<CurrentRate>> rates(long deckId, String prefix, int offset, int limit) {
        if (decks.find(deckId).isEmpty()) {
            return Outcome.notFound("rate deck", deckId);
        }
        String problem = prefixProblem(prefix);
        if (problem != null) {
            return Outcome.invalid(Map.of("prefix", problem));
        }
        return new Outcome.Done<>(decks.rates(deckId, prefix, Math.max(0, offset), Math.clamp(limit, 1, 10_000)));
    }

    /**
     * One keyset page of rates: those after {@code after} (null = the first page). Fast at any depth of a
     * million-row deck; the console's rates browser pages with it.
     */
    public List<CurrentRate> ratesAfter(long deckId, String prefix, CurrentRate after, int limit) {
        if (prefixProblem(prefix) != null) {
            return List.of();
        }
        return decks.ratesAfter(deckId, prefix, after, Math.clamp(limit, 1, 10_000));
    }

    /**
     * Writes the deck's current and scheduled rates as CSV in Tandem's canonical layout (which uploads read
     * back as they are), row by row from a database cursor.
     *
     * @return the number of rates written, or empty when the deck does not exist
     */
    public Optional<Long> writeCsv(long deckId, Writer out) {
        if (decks.find(deckId).isEmpty()) {
            return Optional.empty();
        }
        try {
            out.write("prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from,grace_seconds\n");
            long rows = decks.streamRates(deckId, rate -> {
                try {
                    out.write(rate.prefix() + "," + csvCell(rate.destination()) + "," + Micros.format(rate.rateMicros()) + ","
                            + Micros.format(rate.connectFeeMicros()) + "," + rate.initialIncrement() + "," + rate.nextIncrement() + ","
                            + rate.effectiveFrom() + "," + (rate.graceSeconds() < 0 ? "" : rate.graceSeconds()) + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
            return Optional.of(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quotes a cell when needed and keeps a spreadsheet from running it as a formula. */
    static String csvCell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    /**
     * Reads an upload into a stored preview. A file past the {@code tandem.decks.*} limits stores nothing and is
     * audited as refused. Blocking: a view calls {@link #previewInBackground} instead.
     */
    public Outcome<ImportPreview> preview(Caller caller, long deckId, String fileName, InputStream content, UploadOptions options) {
        caller.require(CHANGE, "upload rate decks");
        if (decks.find(deckId).isEmpty()) {
            return Outcome.notFound("rate deck", deckId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        ImportMode mode = switch ((options.mode() == null ? "update" : options.mode()).toLowerCase(Locale.ROOT)) {
            case "full" -> ImportMode.FULL;
            case "update" -> ImportMode.UPDATE;
            default -> {
                errors.put("mode", "full (codes missing from the file are closed) or update (only listed codes change)");
                yield null;
            }
        };
        Instant effectiveFrom = null;
        if (options.effectiveFrom() != null && !options.effectiveFrom().isBlank()) {
            try {
                effectiveFrom = Instant.parse(options.effectiveFrom().trim());
            } catch (DateTimeParseException e) {
                errors.put("effectiveFrom", "an ISO-8601 UTC time such as 2026-12-01T00:00:00Z");
            }
        }
        errors.putAll(options.unreadable());
        String name = fileName == null || fileName.isBlank() ? "upload.csv" : fileName;
        if (name.length() > MAX_FILE_NAME) {
            errors.put("fileName", "at most " + MAX_FILE_NAME + " characters");
        }
        DeckFormat format = options.format().resolve(errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        Optional<ImportPreview> preview;
        try {
            preview = imports.preview(deckId, name, content, format, new ImportOptions(mode, effectiveFrom, options.keepValidRows()),
                    caller.name());
        } catch (DeckTooLargeException e) {
            // nothing was stored; the audit log keeps who sent a file past the limits
            audit.record(caller.name(), "upload refused", "rate_deck", String.valueOf(deckId), name + ": " + e.getMessage(), caller.sourceIp());
            return new Outcome.TooLarge<>(e.getMessage(), Map.of("file", "limited by " + setting(e.limit())));
        }
        if (preview.isEmpty()) {
            return Outcome.notFound("rate deck", deckId);
        }
        ImportPreview p = preview.get();
        audit.record(caller.name(), "upload", "deck_import", String.valueOf(p.deckImport().id()),
                "deck " + deckId + " " + p.deckImport().fileName() + " " + p.deckImport().status().code(), caller.sourceIp());
        return new Outcome.Done<>(p);
    }

    /**
     * {@link #preview} on the service's own bounded executor, reading a file the caller saved; the file is
     * deleted afterwards. When the executor is full the answer is a conflict saying so, at once.
     */
    public CompletableFuture<Outcome<ImportPreview>> previewInBackground(Caller caller, long deckId, String fileName, Path file,
                                                                         UploadOptions options) {
        caller.require(CHANGE, "upload rate decks");
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (InputStream in = Files.newInputStream(file)) {
                    return preview(caller, deckId, fileName, in, options);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the uploaded file " + file, e);
                } finally {
                    deleteQuietly(file);
                }
            }, previews);
        } catch (RejectedExecutionException e) {
            deleteQuietly(file);
            return CompletableFuture.completedFuture(new Outcome.Conflict<>(
                    "the node is reading " + (PREVIEW_THREADS + PREVIEW_QUEUE) + " uploads already; try again in a minute"));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the uploaded file {}: {}", file, e.getMessage());
        }
    }

    /** The deck's uploads, newest first; empty when the deck does not exist. */
    public Optional<List<DeckImport>> history(long deckId, int offset, int limit) {
        if (decks.find(deckId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(imports.history(deckId, Math.max(0, offset), Math.clamp(limit, 1, 1000)));
    }

    public Optional<DeckImport> findImport(long deckId, long importId) {
        return imports.find(importId).filter(i -> i.deckId() == deckId);
    }

    /**
     * Applies a preview; routing reloads here at once and on every peer. A conflict when increases come sooner
     * than the deck's notice period (unless {@code acceptEarlyIncreases}; the fields name them) or when the import
     * is no longer a preview.
     */
    public Outcome<DeckImport> commit(Caller caller, long deckId, long importId, boolean acceptEarlyIncreases) {
        return switch (commit(caller, deckId, importId, acceptEarlyIncreases ? EarlyIncreases.ACCEPT : EarlyIncreases.REFUSE)) {
            case Outcome.Done<DeckCommit> done -> new Outcome.Done<>(done.value().deckImport());
            case Outcome.Invalid<DeckCommit> invalid -> new Outcome.Invalid<>(invalid.fields());
            case Outcome.NotFound<DeckCommit> notFound -> new Outcome.NotFound<>(notFound.message());
            case Outcome.Conflict<DeckCommit> conflict -> new Outcome.Conflict<>(conflict.message(), conflict.fields());
            case Outcome.InsufficientFunds<DeckCommit> insufficient -> new Outcome.InsufficientFunds<>(insufficient.message());
            case Outcome.TooLarge<DeckCommit> tooLarge -> new Outcome.TooLarge<>(tooLarge.message(), tooLarge.fields());
        };
    }

    /**
     * Applies a preview, doing with increases inside the notice period what {@code early} says; routing reloads
     * here at once and on every peer; each customer of a sell deck gets a rate-change notice.
     */
    public Outcome<DeckCommit> commit(Caller caller, long deckId, long importId, EarlyIncreases early) {
        caller.require(CHANGE, "commit rate decks");
        Optional<RateDeck> deck = decks.find(deckId);
        if (deck.isEmpty() || findImport(deckId, importId).isEmpty()) {
            return Outcome.notFound("deck import", importId);
        }
        Optional<List<io.tandem.routing.deck.CurrentRate>> before = notices.snapshot(deck.get());
        CommitResult result = imports.commit(importId, early == EarlyIncreases.ACCEPT);
        int pushed = 0;
        Instant pushedTo = null;
        if (result instanceof CommitResult.NoticeRequired && early == EarlyIncreases.PUSH) {
            Optional<DeckImportRepository.PushedIncreases> moved = imports.pushEarlyIncreases(importId);
            if (moved.isPresent()) {
                pushed = moved.get().count();
                pushedTo = moved.get().effectiveFrom();
                audit.record(caller.name(), "push increases", "deck_import", String.valueOf(importId), "deck " + deckId + ": " + pushed
                        + " increase(s) inside the notice period moved to " + pushedTo, caller.sourceIp());
                result = imports.commit(importId, false);
            }
        }
        return switch (result) {
            case CommitResult.Committed committed -> {
                routingChanges.announce("import " + importId + " of deck " + deckId);
                audit.record(caller.name(), early == EarlyIncreases.ACCEPT ? "commit with early increases" : "commit", "deck_import",
                        String.valueOf(importId), "deck " + deckId + "; early increases " + early.code(), caller.sourceIp());
                List<io.tandem.console.notices.RateNotice> sent = before
                        .map(snapshot -> notices.afterChange(caller, deck.get(), importId, snapshot)).orElse(List.of());
                yield new Outcome.Done<>(new DeckCommit(committed.deckImport(), pushed, pushedTo, early == EarlyIncreases.ACCEPT, sent));
            }
            case CommitResult.NoticeRequired notice -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (DiffLine line : notice.increases()) {
                    fields.put(line.prefix(), line.increase() + " effective " + line.effectiveFrom());
                }
                yield new Outcome.Conflict<>(notice.count() + " price increase(s) take effect sooner than the notice period of "
                        + notice.noticeDays() + " days; refused: commit with earlyIncreases=push to move them to the end of the period, "
                        + "or earlyIncreases=accept (acceptEarlyIncreases=true) to override", fields);
            }
            case CommitResult.NotCommittable not -> new Outcome.Conflict<>(not.reason());
        };
    }

    /** {@link #commit(Caller, long, long, EarlyIncreases)} on the service's bounded executor. */
    public CompletableFuture<Outcome<DeckCommit>> commitInBackground(Caller caller, long deckId, long importId, EarlyIncreases early) {
        caller.require(CHANGE, "commit rate decks");
        try {
            return CompletableFuture.supplyAsync(() -> commit(caller, deckId, importId, early), previews);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Outcome.Conflict<>("the node is busy with " + (PREVIEW_THREADS + PREVIEW_QUEUE)
                    + " uploads; try again in a minute"));
        }
    }

    /**
     * {@link #commit} on the service's bounded executor: committing a million-row deck takes seconds, which a
     * view must not spend on its request thread.
     */
    public CompletableFuture<Outcome<DeckImport>> commitInBackground(Caller caller, long deckId, long importId, boolean acceptEarlyIncreases) {
        caller.require(CHANGE, "commit rate decks");
        try {
            return CompletableFuture.supplyAsync(() -> commit(caller, deckId, importId, acceptEarlyIncreases), previews);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Outcome.Conflict<>("the node is busy with " + (PREVIEW_THREADS + PREVIEW_QUEUE)
                    + " uploads; try again in a minute"));
        }
    }

    /** Drops a preview; the deck stays as it was. A conflict when the import is no longer a preview. */
    public Outcome<DeckImport> discard(Caller caller, long deckId, long importId) {
        caller.require(CHANGE, "discard rate deck uploads");
        Optional<DeckImport> before = findImport(deckId, importId);
        if (before.isEmpty()) {
            return Outcome.notFound("deck import", importId);
        }
        if (before.get().status() != io.tandem.routing.deck.ImportStatus.PREVIEWED) {
            return new Outcome.Conflict<>("import " + importId + " is " + before.get().status().code() + "; only a preview can be discarded");
        }
        Optional<DeckImport> discarded = imports.discard(importId);
        if (discarded.isEmpty()) {
            return Outcome.notFound("deck import", importId);
        }
        audit.record(caller.name(), "discard", "deck_import", String.valueOf(importId), "deck " + deckId, caller.sourceIp());
        return new Outcome.Done<>(discarded.get());
    }

    /** The configuration key an operator raises when real decks pass the limit. */
    static String setting(DeckLimits.Limit limit) {
        return switch (limit) {
            case UPLOAD_BYTES -> "tandem.decks.max-upload-size";
            case DECOMPRESSED_BYTES -> "tandem.decks.max-decompressed-size";
            case ROWS -> "tandem.decks.max-rows";
            case RECORD_CHARACTERS -> "the fixed limit of " + DeckLimits.MAX_RECORD_CHARACTERS + " characters per row";
        };
    }
}
