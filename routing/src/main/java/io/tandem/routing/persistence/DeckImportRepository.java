package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.DECK_IMPORT;
import static io.tandem.db.jooq.Tables.RATE;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.DatabaseKind;
import io.tandem.db.jooq.tables.records.DeckImportRecord;
import io.tandem.db.jooq.tables.records.RateDeckRecord;
import io.tandem.routing.RouteTable;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.DeckChangePlan;
import io.tandem.routing.deck.DeckDiff;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.CappedInputStream;
import io.tandem.routing.deck.DeckLimits;
import io.tandem.routing.deck.DeckParser;
import io.tandem.routing.deck.DeckTooLargeException;
import io.tandem.routing.deck.DeckRow;
import io.tandem.routing.deck.DiffKind;
import io.tandem.routing.deck.DiffLine;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.ImportStatus;
import io.tandem.routing.deck.ParsedDeck;
import io.tandem.routing.deck.RowAction;
import io.tandem.routing.deck.RowError;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rate deck uploads: preview, commit, history.
 *
 * <p><b>Preview</b> parses and validates the file, compares it with the deck and stores the
 * import with its counts and row errors. The valid rows are staged in {@code rate} under the
 * import's id with the bulk path of the database ({@link RateBulkWriter}); staged rows are
 * invisible to routing ({@link VisibleRates}). A row with action delete is staged as a zero-length
 * period, which can never be in force.
 *
 * <p><b>Commit</b> runs in one transaction: it locks the deck, recomputes the diff against the
 * deck as it is now (another import may have been committed since the preview) as of the upload
 * time, refuses increases inside the notice period unless overridden, ends and deletes the
 * superseded periods, drops staged rows that change nothing, marks the import committed, rejects
 * other pending previews of the deck, and bumps the deck version and the config version. Routing
 * sees all of it or none of it.
 */
public final class DeckImportRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<RowError>> ROW_ERRORS = new TypeReference<>() {
    };
    private static final int ID_CHUNK = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(DeckImportRepository.class);
    /** Previews whose diff a commit on this node may reuse; see {@link PreviewedDiff}. */
    private static final int REMEMBERED_PREVIEWS = 16;

    private final DSLContext dsl;
    private final Clock clock;
    private final DeckParser parser;
    private final DatabaseKind kind;
    private final Cache<Long, PreviewedDiff> previewed = Caffeine.newBuilder().maximumSize(REMEMBERED_PREVIEWS)
            .expireAfterWrite(java.time.Duration.ofHours(24)).build();

    /**
     * A preview's diff without its inserts (they are staged in the database), and the deck version it
     * was computed against. A commit on the node that made the preview uses it when the deck is
     * still at that version and the notice period unchanged: the deck's rates are then exactly those the preview compared with, so
     * re-reading the staged rows and computing the diff again would give the same answer.
     */
    private record PreviewedDiff(long deckVersion, int noticeDays, DeckDiff diff) {
    }

    public DeckImportRepository(DSLContext dsl, Clock clock) {
        this(dsl, clock, new DeckParser());
    }

    public DeckImportRepository(DSLContext dsl, Clock clock, DeckParser parser) {
        this.dsl = dsl;
        this.clock = clock;
        this.parser = parser;
        this.kind = dsl.dialect().family() == org.jooq.SQLDialect.POSTGRES ? DatabaseKind.POSTGRESQL : DatabaseKind.MYSQL;
    }

    /**
     * Reads an upload and stores its preview.
     *
     * @return empty when the deck does not exist
     * @throws DeckTooLargeException when the file passes the parser's {@link DeckLimits}; nothing is stored
     */
    public Optional<ImportPreview> preview(long deckId, String fileName, InputStream content, DeckFormat format,
            ImportOptions options, String uploadedBy) {
        Optional<RateDeckRecord> deckRow = dsl.selectFrom(RATE_DECK).where(RATE_DECK.ID.eq(deckId)).fetchOptional();
        if (deckRow.isEmpty()) {
            return Optional.empty();
        }
        RateDeckRecord deck = deckRow.get();
        Instant now = clock.instant();
        long started = System.nanoTime();
        MessageDigest sha256 = sha256();
        ParsedDeck parsed;
        // the cap covers the reading after the parser too: a raw upload has no other size limit
        try (DigestInputStream digesting = new DigestInputStream(new CappedInputStream(content,
                parser.limits().maxUploadBytes(), DeckLimits.Limit.UPLOAD_BYTES), sha256)) {
            parsed = parser.parse(fileName, new KeptOpen(digesting), format);
            // the parser may stop early (a fatal header error); the hash covers the whole file
            digesting.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the upload failed", e);
        }
        String hash = HexFormat.of().formatHex(sha256.digest());
        Instant effectiveFrom = options.effectiveFrom() == null || options.effectiveFrom().isBefore(now) ? now : options.effectiveFrom();
        boolean rejected = !parsed.valid() && (!options.keepValidRows() || parsed.rows().isEmpty());
        long parsedAt = System.nanoTime();
        return Optional.of(dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            DeckImportRecord row = tx.newRecord(DECK_IMPORT);
            row.setDeckId(deckId);
            row.setUploadedBy(uploadedBy);
            row.setUploadedAt(now);
            row.setFileName(fileName == null || fileName.isBlank() ? "upload.csv" : truncate(fileName, 255));
            row.setFileSha256(hash);
            row.setFileFormat(truncate(parsed.format(), 32));
            row.setImportMode(options.mode().code());
            row.setEffectiveFrom(effectiveFrom);
            row.setStatus(rejected ? ImportStatus.REJECTED.code() : ImportStatus.PREVIEWED.code());
            row.setRowCount(parsed.rowCount());
            row.setErrorCount(parsed.errorCount());
            row.setRowErrors(parsed.errors().isEmpty() ? null : JSON.writeValueAsString(parsed.errors()));
            if (rejected) {
                row.setNewCount(0);
                row.setIncreasedCount(0);
                row.setDecreasedCount(0);
                row.setUnchangedCount(0);
                row.setClosedCount(0);
                row.store();
                return new ImportPreview(toImport(row), null, false);
            }
            // the version before the rates: a commit in between makes it stale, never the other way round
            long deckVersion = tx.select(RATE_DECK.DECK_VERSION).from(RATE_DECK).where(RATE_DECK.ID.eq(deckId))
                    .fetchOne(RATE_DECK.DECK_VERSION);
            int noticeDays = NoticePeriods.ofDeck(tx, deckId).orElse(deck.getNoticeDays());
            DeckDiff diff = DeckDiff.compute(currentRates(tx, deckId, now), parsed.rows(), options.mode(), effectiveFrom,
                    now, noticeDays);
            long diffedAt = System.nanoTime();
            setCounts(row, diff);
            row.store();
            List<DeckRow> rows = parsed.rows();
            // a view, not a copy: a million staged rows are written without a second list in memory
            List<RateBulkWriter.Row> staged = new java.util.AbstractList<>() {
                @Override
                public RateBulkWriter.Row get(int index) {
                    DeckRow r = rows.get(index);
                    Instant at = r.effectiveFrom() == null || r.effectiveFrom().isBefore(now) ? effectiveFrom : r.effectiveFrom();
                    long from = at.toEpochMilli();
                    return new RateBulkWriter.Row(r.prefix(), r.destination(), r.rateMicros(), r.connectFeeMicros(),
                            r.initialIncrement(), r.nextIncrement(), from, r.action() == RowAction.CLOSE ? from : null, false,
                            r.graceSeconds());
                }

                @Override
                public int size() {
                    return rows.size();
                }
            };
            long importId = row.getId();
            tx.connection(connection -> RateBulkWriter.write(connection, kind, deckId, importId, staged));
            previewed.put(importId, new PreviewedDiff(deckVersion, noticeDays, withoutInserts(diff)));
            LOG.info("Import {} of deck {} previewed: {} rows; read and checked in {} ms, diffed in {} ms, staged in {} ms",
                    importId, deckId, rows.size(), millisSince(started, parsedAt), millisSince(parsedAt, diffedAt),
                    millisSince(diffedAt, System.nanoTime()));
            return new ImportPreview(toImport(row), diff, !parsed.valid());
        }));
    }

    /** Applies a previewed import; see the class comment. */
    public CommitResult commit(long importId, boolean acceptEarlyIncreases) {
        long started = System.nanoTime();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Long deckOfImport = tx.select(DECK_IMPORT.DECK_ID).from(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId))
                    .fetchOne(DECK_IMPORT.DECK_ID);
            if (deckOfImport == null) {
                return new CommitResult.NotCommittable(null, "import " + importId + " does not exist");
            }
            long deckId = deckOfImport;
            // the deck lock first, as every commit of this deck takes it first: commits queue, never deadlock
            RateDeckRecord deck = tx.selectFrom(RATE_DECK).where(RATE_DECK.ID.eq(deckId)).forUpdate().fetchOne();
            DeckImportRecord row = tx.selectFrom(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId)).forUpdate().fetchOne();
            ImportStatus status = ImportStatus.ofCode(row.getStatus());
            if (status != ImportStatus.PREVIEWED) {
                return new CommitResult.NotCommittable(status, "import " + importId + " is " + status.code()
                        + (status == ImportStatus.REJECTED ? "; upload the deck again" : ""));
            }
            Instant asOf = row.getUploadedAt();
            PreviewedDiff remembered = previewed.getIfPresent(importId);
            int noticeDays = NoticePeriods.ofDeck(tx, deckId).orElse(deck.getNoticeDays());
            boolean reused = remembered != null && remembered.deckVersion() == deck.getDeckVersion() && remembered.noticeDays() == noticeDays;
            DeckDiff diff;
            if (reused) {
                diff = remembered.diff();
            } else {
                List<DeckRow> staged = new ArrayList<>();
                RateScan.scan(tx, RATE.IMPORT_ID.eq(importId), (id, deck_, prefix, destination, rate, connectFee, initial, next,
                        from, until, blocked, grace) -> staged.add(new DeckRow(0, prefix, destination, rate, connectFee, initial,
                        next, Instant.ofEpochMilli(from), from == until ? RowAction.CLOSE : RowAction.UPSERT, grace)));
                diff = DeckDiff.compute(currentRates(tx, deckId, asOf), staged, ImportMode.ofCode(row.getImportMode()),
                        row.getEffectiveFrom(), asOf, noticeDays);
            }
            if (diff.noticeViolationCount() > 0 && !acceptEarlyIncreases) {
                return new CommitResult.NoticeRequired(diff.noticeViolationCount(), diff.noticeViolations(), noticeDays);
            }
            Instant now = clock.instant();
            DeckChangePlan plan = diff.plan();
            for (Map.Entry<Instant, List<Long>> end : plan.endAt().entrySet()) {
                for (List<Long> ids : chunks(end.getValue())) {
                    tx.update(RATE).set(RATE.EFFECTIVE_UNTIL, end.getKey()).where(RATE.ID.in(ids)).execute();
                }
            }
            for (List<Long> ids : chunks(plan.deletes())) {
                tx.deleteFrom(RATE).where(RATE.ID.in(ids)).execute();
            }
            // staged rows that change nothing, and the markers of deleted codes, are not rates
            tx.deleteFrom(RATE).where(RATE.IMPORT_ID.eq(importId)).and(RATE.EFFECTIVE_UNTIL.eq(RATE.EFFECTIVE_FROM)).execute();
            for (List<String> prefixes : chunks(plan.noOpPrefixes())) {
                tx.deleteFrom(RATE).where(RATE.IMPORT_ID.eq(importId)).and(RATE.PREFIX.in(prefixes)).execute();
            }
            setCounts(row, diff);
            row.setStatus(ImportStatus.COMMITTED.code());
            row.setCommittedAt(now);
            row.update();
            List<Long> superseded = tx.select(DECK_IMPORT.ID).from(DECK_IMPORT)
                    .where(DECK_IMPORT.DECK_ID.eq(deckId)).and(DECK_IMPORT.STATUS.eq(ImportStatus.PREVIEWED.code()))
                    .fetch(DECK_IMPORT.ID);
            if (!superseded.isEmpty()) {
                tx.deleteFrom(RATE).where(RATE.IMPORT_ID.in(superseded)).execute();
                tx.update(DECK_IMPORT).set(DECK_IMPORT.STATUS, ImportStatus.REJECTED.code())
                        .where(DECK_IMPORT.ID.in(superseded)).execute();
            }
            tx.update(RATE_DECK).set(RATE_DECK.DECK_VERSION, RATE_DECK.DECK_VERSION.plus(1)).set(RATE_DECK.UPDATED_AT, now)
                    .where(RATE_DECK.ID.eq(deckId)).execute();
            ConfigVersionStamp.bump(tx, now);
            previewed.invalidate(importId);
            LOG.info("Import {} of deck {} committed in {} ms ({})", importId, deckId, millisSince(started, System.nanoTime()),
                    reused ? "the preview's diff, deck unchanged since" : "diff recomputed against the deck as it is now");
            return new CommitResult.Committed(toImport(row));
        });
    }

    /**
     * Moves the effective date of every increase in a previewed import that comes sooner than the deck's notice
     * period to the end of that period, counted from now, so that a commit afterwards passes the notice rule.
     * Decreases, new and closed codes keep their dates (a customer may always pay less sooner).
     *
     * @return the number of codes moved and the date they now take effect; empty when the import is not a preview
     */
    public Optional<PushedIncreases> pushEarlyIncreases(long importId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Long deckOfImport = tx.select(DECK_IMPORT.DECK_ID).from(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId))
                    .fetchOne(DECK_IMPORT.DECK_ID);
            if (deckOfImport == null) {
                return Optional.<PushedIncreases>empty();
            }
            RateDeckRecord deck = tx.selectFrom(RATE_DECK).where(RATE_DECK.ID.eq(deckOfImport)).forUpdate().fetchOne();
            DeckImportRecord row = tx.selectFrom(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId)).forUpdate().fetchOne();
            if (ImportStatus.ofCode(row.getStatus()) != ImportStatus.PREVIEWED) {
                return Optional.<PushedIncreases>empty();
            }
            Instant asOf = row.getUploadedAt();
            List<DeckRow> staged = new ArrayList<>();
            RateScan.scan(tx, RATE.IMPORT_ID.eq(importId), (id, deck_, prefix, destination, rate, connectFee, initial, next,
                    from, until, blocked, grace) -> staged.add(new DeckRow(0, prefix, destination, rate, connectFee, initial,
                    next, Instant.ofEpochMilli(from), from == until ? RowAction.CLOSE : RowAction.UPSERT, grace)));
            int noticeDays = NoticePeriods.ofDeck(tx, deckOfImport).orElse(deck.getNoticeDays());
            DeckDiff diff = DeckDiff.compute(currentRates(tx, deckOfImport, asOf), staged, ImportMode.ofCode(row.getImportMode()),
                    row.getEffectiveFrom(), asOf, noticeDays, Integer.MAX_VALUE);
            Instant now = clock.instant();
            Instant pushedTo = (now.isAfter(asOf) ? now : asOf).plus(java.time.Duration.ofDays(noticeDays))
                    .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<String> prefixes = diff.noticeViolations().stream().map(DiffLine::prefix).distinct().toList();
            for (List<String> chunk : chunks(prefixes)) {
                tx.update(RATE).set(RATE.EFFECTIVE_FROM, pushedTo)
                        .where(RATE.IMPORT_ID.eq(importId)).and(RATE.PREFIX.in(chunk))
                        .and(RATE.EFFECTIVE_UNTIL.isNull()).and(RATE.EFFECTIVE_FROM.lt(pushedTo))
                        .execute();
            }
            previewed.invalidate(importId);
            LOG.info("Import {} of deck {}: {} early increase(s) pushed to {}", importId, deckOfImport, prefixes.size(), pushedTo);
            return Optional.of(new PushedIncreases(prefixes.size(), pushedTo));
        });
    }

    /** What {@link #pushEarlyIncreases} moved: {@code count} codes, now effective at {@code effectiveFrom}. */
    public record PushedIncreases(int count, Instant effectiveFrom) {
    }

    /**
     * Drops a previewed import: its staged rows are deleted and it is marked rejected, so the deck stays as it was.
     *
     * @return the import as it is now, or empty when it does not exist; an import that is not previewed is left alone
     */
    public Optional<DeckImport> discard(long importId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            DeckImportRecord row = tx.selectFrom(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId)).forUpdate().fetchOne();
            if (row == null) {
                return Optional.<DeckImport>empty();
            }
            if (ImportStatus.ofCode(row.getStatus()) == ImportStatus.PREVIEWED) {
                tx.deleteFrom(RATE).where(RATE.IMPORT_ID.eq(importId)).execute();
                row.setStatus(ImportStatus.REJECTED.code());
                row.update();
                previewed.invalidate(importId);
            }
            return Optional.of(toImport(row));
        });
    }

    public Optional<DeckImport> find(long importId) {
        return dsl.selectFrom(DECK_IMPORT).where(DECK_IMPORT.ID.eq(importId)).fetchOptional().map(DeckImportRepository::toImport);
    }

    /** The deck's uploads, newest first. */
    public List<DeckImport> history(long deckId, int offset, int limit) {
        return dsl.selectFrom(DECK_IMPORT).where(DECK_IMPORT.DECK_ID.eq(deckId))
                .orderBy(DECK_IMPORT.UPLOADED_AT.desc(), DECK_IMPORT.ID.desc())
                .offset(offset).limit(limit)
                .fetch(DeckImportRepository::toImport);
    }

    private static List<CurrentRate> currentRates(DSLContext tx, long deckId, Instant now) {
        List<CurrentRate> rates = new ArrayList<>();
        RateScan.scan(tx, RATE.DECK_ID.eq(deckId).and(VisibleRates.current(now)), (id, deck, prefix, destination, rate,
                connectFee, initial, next, from, until, blocked, grace) -> rates.add(new CurrentRate(id, prefix, destination, rate,
                connectFee, initial, next, Instant.ofEpochMilli(from),
                until == RouteTable.OPEN_ENDED ? null : Instant.ofEpochMilli(until), blocked, grace)));
        return rates;
    }

    private static DeckDiff withoutInserts(DeckDiff diff) {
        DeckChangePlan plan = diff.plan();
        return new DeckDiff(diff.counts(), diff.samples(), diff.noticeViolationCount(), diff.noticeViolations(),
                new DeckChangePlan(List.of(), plan.endAt(), plan.deletes(), plan.noOpPrefixes()));
    }

    private static long millisSince(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void setCounts(DeckImportRecord row, DeckDiff diff) {
        row.setNewCount(diff.count(DiffKind.NEW));
        row.setIncreasedCount(diff.count(DiffKind.INCREASED));
        row.setDecreasedCount(diff.count(DiffKind.DECREASED));
        row.setUnchangedCount(diff.count(DiffKind.UNCHANGED));
        row.setClosedCount(diff.count(DiffKind.CLOSED));
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>((items.size() + ID_CHUNK - 1) / ID_CHUNK);
        for (int i = 0; i < items.size(); i += ID_CHUNK) {
            chunks.add(items.subList(i, Math.min(items.size(), i + ID_CHUNK)));
        }
        return chunks;
    }

    static DeckImport toImport(DeckImportRecord r) {
        List<RowError> errors = r.getRowErrors() == null ? List.of() : JSON.readValue(r.getRowErrors(), ROW_ERRORS);
        return new DeckImport(r.getId(), r.getDeckId(), r.getUploadedBy(), r.getUploadedAt(), r.getCommittedAt(),
                r.getFileName(), r.getFileSha256(), r.getFileFormat(), ImportMode.ofCode(r.getImportMode()),
                r.getEffectiveFrom(), ImportStatus.ofCode(r.getStatus()), r.getRowCount(), r.getNewCount(),
                r.getIncreasedCount(), r.getDecreasedCount(), r.getUnchangedCount(), r.getClosedCount(),
                r.getErrorCount(), errors);
    }

    private static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Lets the parser close its readers without closing the upload, which is still hashed. */
    private static final class KeptOpen extends FilterInputStream {
        KeptOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the owner of the upload closes it
        }
    }
}
