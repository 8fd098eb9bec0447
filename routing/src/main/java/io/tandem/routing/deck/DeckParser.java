package io.tandem.routing.deck;

import io.tandem.routing.trie.PrefixTrie;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a partner's deck file into {@link DeckRow}s and reports every bad row with its row number
 * and a sentence the partner can act on. CSV syntax is left to Apache Commons CSV; this class owns
 * the column mapping and the validation.
 *
 * <p>Checks: the prefix is digits (a leading {@code +} is dropped); rates and fees are decimals,
 * not negative, at most six decimals and not above {@code maxRate} (a price of 250 a minute is a
 * misplaced decimal separator, not a rate); increments are whole seconds, initial 0..3600 and next
 * 1..3600, an empty cell meaning {@link DeckRow#DEFAULT_INCREMENT} (a deck with no column for the
 * next increment uses its initial one for both); dates match the format's patterns; the action is known; and a prefix appears once (a
 * repeated prefix with the same terms is tolerated, with different terms it is an error). A row
 * that closes its code ({@code delete}, {@code close}, {@code remove}) needs only the prefix and
 * the date: its price cells are not read.
 *
 * <p>A file past one of its {@link DeckLimits} (bytes uploaded, bytes unpacked, rows, characters in
 * one record) is not a deck with errors: reading stops there and {@link #parse} throws
 * {@link DeckTooLargeException}, so no part of a bomb is kept in memory.
 */
public final class DeckParser {

    /** Errors kept for the report; further ones are only counted. */
    public static final int MAX_REPORTED_ERRORS = 1000;

    /** Default ceiling for a per-minute rate or a connect fee. */
    public static final BigDecimal DEFAULT_MAX_RATE = new BigDecimal("100");

    private static final int MAX_INCREMENT = 3600;
    private static final OffsetDateTime SAMPLE_DATE = OffsetDateTime.of(2026, 12, 1, 8, 30, 0, 0, ZoneOffset.UTC);
    private static final Pattern INCREMENTS = Pattern.compile("(\\d{1,5})\\s*/\\s*(\\d{1,5})");
    private static final Map<String, RowAction> ACTIONS = Map.ofEntries(
            Map.entry("", RowAction.UPSERT), Map.entry("a", RowAction.UPSERT), Map.entry("add", RowAction.UPSERT),
            Map.entry("n", RowAction.UPSERT), Map.entry("new", RowAction.UPSERT), Map.entry("u", RowAction.UPSERT),
            Map.entry("update", RowAction.UPSERT), Map.entry("c", RowAction.UPSERT), Map.entry("change", RowAction.UPSERT),
            Map.entry("increase", RowAction.UPSERT), Map.entry("decrease", RowAction.UPSERT),
            Map.entry("unchanged", RowAction.UPSERT),
            Map.entry("d", RowAction.CLOSE), Map.entry("delete", RowAction.CLOSE), Map.entry("close", RowAction.CLOSE),
            Map.entry("closed", RowAction.CLOSE), Map.entry("remove", RowAction.CLOSE), Map.entry("r", RowAction.CLOSE));

    private final BigDecimal maxRate;
    private final DeckLimits limits;

    public DeckParser() {
        this(DEFAULT_MAX_RATE, DeckLimits.DEFAULTS);
    }

    public DeckParser(BigDecimal maxRate) {
        this(maxRate, DeckLimits.DEFAULTS);
    }

    public DeckParser(BigDecimal maxRate, DeckLimits limits) {
        this.maxRate = maxRate;
        this.limits = limits;
    }

    public DeckLimits limits() {
        return limits;
    }

    /**
     * Reads a whole deck. Never throws for bad content: a file that cannot be read at all comes
     * back as a deck with one error on row 0.
     *
     * @throws DeckTooLargeException when the file passes one of the {@link DeckLimits}
     */
    public ParsedDeck parse(String fileName, InputStream content, DeckFormat format) {
        Run run = new Run(format);
        InputStream uploaded = new CappedInputStream(content, limits.maxUploadBytes(), DeckLimits.Limit.UPLOAD_BYTES);
        try (InputStream text = DeckFile.open(fileName, uploaded, limits.maxDecompressedBytes());
             RecordLengthGuard reader = new RecordLengthGuard(new InputStreamReader(text, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            run.read(reader);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // commons-csv wraps reader failures; the innermost cause says what is wrong with the file
            Throwable cause = e;
            while (!(cause instanceof DeckFileException || cause instanceof CharacterCodingException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof DeckFileException) {
                run.error(0, "file", cause.getMessage());
            } else if (cause instanceof CharacterCodingException) {
                run.error(0, "file", "The file is not UTF-8 text; save it as CSV UTF-8");
            } else {
                run.error(0, "file", "The file cannot be read as CSV: " + cause.getMessage());
            }
        }
        return new ParsedDeck(format.name(), run.dataRows, run.rows, run.errors, run.errorCount);
    }

    /**
     * Refuses a record longer than {@link DeckLimits#MAX_RECORD_CHARACTERS}: the CSV reader builds a
     * cell in memory until its delimiter, and a bomb of zeros has none. It counts the characters
     * handed to the CSV reader since the last whole record; that reader buffers ahead a few
     * kilobytes at most, so a record is stopped within a buffer of the limit.
     */
    private static final class RecordLengthGuard extends java.io.FilterReader {
        private long sinceRecord;

        RecordLengthGuard(Reader in) {
            super(in);
        }

        void recordRead() {
            sinceRecord = 0;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                counted(1);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            sinceRecord += n;
            if (sinceRecord > DeckLimits.MAX_RECORD_CHARACTERS) {
                throw new DeckTooLargeException(DeckLimits.Limit.RECORD_CHARACTERS, DeckLimits.MAX_RECORD_CHARACTERS);
            }
        }
    }

    private final class Run {
        final DeckFormat format;
        final List<DeckRow> rows = new ArrayList<>();
        final List<RowError> errors = new ArrayList<>();
        final Map<String, DeckRow> byPrefix = new HashMap<>(1 << 16);
        /** One String per distinct destination: a big deck repeats a few hundred names a million times. */
        final Map<String, String> destinationNames = new HashMap<>();
        final Map<DeckField, Integer> index = new EnumMap<>(DeckField.class);
        final List<DateTimeFormatter> dates = new ArrayList<>();
        final String dateExamples;
        int lastDatePattern;
        int errorCount;
        int dataRows;
        int width;

        Run(DeckFormat format) {
            this.format = format;
            for (String pattern : format.datePatterns()) {
                dates.add(new DateTimeFormatterBuilder().parseCaseInsensitive()
                        .appendPattern(pattern.replace("yyyy", "uuuu"))
                        .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                        .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                        .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                        .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT));
            }
            List<String> examples = new ArrayList<>();
            for (DateTimeFormatter formatter : dates) {
                String example = formatter.format(SAMPLE_DATE);
                if (!examples.contains(example)) {
                    examples.add(example);
                }
            }
            dateExamples = examples.size() == 1 ? examples.get(0)
                    : String.join(", ", examples.subList(0, examples.size() - 1)) + " or " + examples.getLast();
        }

        void error(int row, String column, String message) {
            errorCount++;
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(new RowError(row, column, message));
            }
        }

        void read(RecordLengthGuard reader) throws IOException {
            CSVFormat csv = CSVFormat.Builder.create(CSVFormat.DEFAULT)
                    .setDelimiter(format.delimiter())
                    .setIgnoreEmptyLines(false)
                    .setIgnoreSurroundingSpaces(true)
                    .setTrim(true)
                    .get();
            try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(csv).get()) {
                Iterator<CSVRecord> records = parser.iterator();
                int row = 0;
                for (int skipped = 0; skipped < format.headerOffset() && records.hasNext(); skipped++) {
                    records.next();
                    reader.recordRead();
                    row++;
                }
                if (format.hasHeader()) {
                    if (!records.hasNext()) {
                        error(0, "file", "The file is empty: no header row");
                        return;
                    }
                    CSVRecord header = records.next();
                    reader.recordRead();
                    row++;
                    if (!mapColumns(header, row)) {
                        return;
                    }
                } else if (!mapColumns(null, row)) {
                    return;
                }
                int firstDataRow = row + 1;
                while (records.hasNext()) {
                    CSVRecord record = records.next();
                    reader.recordRead();
                    row++;
                    // blank records count: a million empty lines cost as much reading as a million rates
                    if (row - firstDataRow >= limits.maxRows()) {
                        throw new DeckTooLargeException(DeckLimits.Limit.ROWS, limits.maxRows());
                    }
                    if (isBlank(record)) {
                        continue;
                    }
                    dataRows++;
                    readRow(record, row);
                }
                if (dataRows == 0) {
                    error(0, "file", "The file holds no rates");
                }
            }
        }

        private boolean isBlank(CSVRecord record) {
            for (String value : record) {
                if (!value.isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        private boolean mapColumns(CSVRecord header, int row) {
            Map<String, Integer> names = new HashMap<>();
            if (header != null) {
                for (int i = 0; i < header.size(); i++) {
                    names.putIfAbsent(normalize(header.get(i)), i);
                }
            }
            boolean ok = true;
            for (Map.Entry<DeckField, List<String>> entry : format.columns().entrySet()) {
                Integer found = null;
                for (String name : entry.getValue()) {
                    if (name.startsWith("#") && name.length() > 1 && name.substring(1).chars().allMatch(Character::isDigit)) {
                        found = Integer.parseInt(name.substring(1)) - 1;
                        break;
                    }
                    found = names.get(normalize(name));
                    if (found != null) {
                        break;
                    }
                }
                if (found != null) {
                    index.put(entry.getKey(), found);
                    width = Math.max(width, found + 1);
                } else if (entry.getKey() == DeckField.PREFIX || entry.getKey() == DeckField.RATE) {
                    ok = false;
                    error(row, "header", "No " + String.join(" or ", entry.getValue().stream().map(n -> "'" + n + "'").toList())
                            + " column for the " + entry.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + (header == null ? "" : "; the header has: " + String.join(", ", header.toList()))
                            + " (is this the " + format.name() + " format, and is the delimiter '" + format.delimiter() + "'?)");
                }
            }
            return ok;
        }

        private String normalize(String name) {
            return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        }

        private String cell(CSVRecord record, DeckField field) {
            Integer i = index.get(field);
            if (i == null || i >= record.size()) {
                return null;
            }
            return record.get(i);
        }

        private void readRow(CSVRecord record, int row) {
            int errorsBefore = errorCount;
            // the action first: a closing row needs no price, so its rate may be left empty
            String actionCell = cell(record, DeckField.ACTION);
            RowAction action = actionCell == null ? RowAction.UPSERT : ACTIONS.get(actionCell.trim().toLowerCase(Locale.ROOT));
            boolean closing = action == RowAction.CLOSE;
            if (record.size() < width && (cell(record, DeckField.PREFIX) == null
                    || (!closing && cell(record, DeckField.RATE) == null))) {
                error(row, "row", "The row has " + record.size() + " column(s), expected " + width
                        + " (is the delimiter '" + format.delimiter() + "'?)");
                return;
            }
            String prefix = prefix(cell(record, DeckField.PREFIX), row);
            String destination = nullToEmpty(cell(record, DeckField.DESTINATION));
            if (destination.length() > 128) {
                destination = destination.substring(0, 128);
            }
            String shared = destinationNames.putIfAbsent(destination, destination);
            if (shared != null) {
                destination = shared;
            }
            if (closing) {
                // rate, fee, increments and grace time end with the code: whatever the cells hold is not read
                Instant from = date(cell(record, DeckField.EFFECTIVE_FROM), row);
                if (errorCount == errorsBefore) {
                    keep(DeckRow.closing(row, prefix, destination, from));
                }
                return;
            }
            long rate = amount(cell(record, DeckField.RATE), row, "rate", true);
            long connectFee = amount(cell(record, DeckField.CONNECT_FEE), row, "connect fee", false);
            int initial = DeckRow.DEFAULT_INCREMENT;
            int next = DeckRow.DEFAULT_INCREMENT;
            String both = cell(record, DeckField.INCREMENTS);
            if (both != null && !both.isEmpty()) {
                Matcher m = INCREMENTS.matcher(both);
                if (m.matches()) {
                    initial = increment(m.group(1), row, "initial increment", 0);
                    next = increment(m.group(2), row, "next increment", 1);
                } else if (both.chars().allMatch(Character::isDigit) && both.length() <= 5) {
                    initial = increment(both, row, "increment", 1);
                    next = initial;
                } else {
                    error(row, "increment", "Increment '" + both + "' must look like 60/60, 30/6 or 1/1");
                }
            }
            String initialCell = cell(record, DeckField.INITIAL_INCREMENT);
            if (initialCell != null && !initialCell.isEmpty()) {
                initial = increment(initialCell, row, "initial increment", 0);
            }
            String nextCell = cell(record, DeckField.NEXT_INCREMENT);
            if (nextCell != null && !nextCell.isEmpty()) {
                next = increment(nextCell, row, "next increment", 1);
            } else if (!index.containsKey(DeckField.NEXT_INCREMENT) && !index.containsKey(DeckField.INCREMENTS)
                    && initialCell != null && !initialCell.isEmpty() && initial > 0) {
                // A deck that prices with one increment means it throughout, as "60" means 60/60. An empty
                // cell in a next increment column is a blank like any other: the documented default.
                next = initial;
            }
            int grace = -1;
            String graceCell = cell(record, DeckField.GRACE_TIME);
            if (graceCell != null && !graceCell.isBlank()) {
                String g = graceCell.trim();
                if (g.chars().allMatch(Character::isDigit) && g.length() <= 4 && Integer.parseInt(g) <= io.tandem.routing.RouteTable.MAX_GRACE_SECONDS) {
                    grace = Integer.parseInt(g);
                } else {
                    error(row, "grace time", "Grace time '" + graceCell + "' must be whole seconds from 0 to "
                            + io.tandem.routing.RouteTable.MAX_GRACE_SECONDS);
                }
            }
            Instant from = date(cell(record, DeckField.EFFECTIVE_FROM), row);
            if (action == null) {
                error(row, "action", "Unknown action '" + actionCell + "' (leave it blank or write add, update or delete)");
            }
            if (errorCount > errorsBefore) {
                return;
            }
            keep(new DeckRow(row, prefix, destination, rate, connectFee, initial, next, from, action, grace));
        }

        /** Adds a valid row, unless its prefix came before: the same terms again are tolerated, others are an error. */
        private void keep(DeckRow parsed) {
            DeckRow first = byPrefix.putIfAbsent(parsed.prefix(), parsed);
            if (first == null) {
                rows.add(parsed);
            } else if (!first.sameTermsAs(parsed)) {
                error(parsed.row(), "prefix", "Prefix " + parsed.prefix() + " appears again with a different rate or terms"
                        + " (first on row " + first.row() + ")");
            }
        }

        private String prefix(String raw, int row) {
            String value = nullToEmpty(raw);
            if (value.startsWith("+")) {
                value = value.substring(1);
            }
            if (value.isEmpty()) {
                error(row, "prefix", "The prefix is empty");
                return value;
            }
            if (!value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                error(row, "prefix", "Prefix '" + raw + "' must be digits only"
                        + (value.matches(".*[eE][+-]?\\d+.*") ? " (did a spreadsheet turn it into a number?)" : ""));
                return value;
            }
            if (value.length() > PrefixTrie.MAX_PREFIX_LENGTH) {
                error(row, "prefix", "Prefix " + value + " is longer than " + PrefixTrie.MAX_PREFIX_LENGTH + " digits");
            }
            return value;
        }

        private long amount(String raw, int row, String what, boolean required) {
            String value = nullToEmpty(raw).replace(" ", "");
            if (value.isEmpty()) {
                if (required) {
                    error(row, what, "The " + what + " is empty" + (index.containsKey(DeckField.ACTION)
                            ? " (to close the code, write delete in the action column)" : ""));
                }
                return 0;
            }
            if (format.decimalComma()) {
                value = value.replace(',', '.');
            }
            BigDecimal amount;
            try {
                amount = new BigDecimal(value);
            } catch (NumberFormatException e) {
                error(row, what, "The " + what + " '" + raw + "' is not a number"
                        + (!format.decimalComma() && value.contains(",") ? " (decimal comma? choose the decimal-comma option)" : ""));
                return 0;
            }
            if (amount.signum() < 0) {
                error(row, what, "The " + what + " " + raw + " is negative");
                return 0;
            }
            if (amount.compareTo(maxRate) > 0) {
                error(row, what, "The " + what + " " + raw + " is above " + maxRate.toPlainString()
                        + " per minute; check the decimal separator and the currency");
                return 0;
            }
            BigDecimal exact = amount.stripTrailingZeros();
            if (exact.scale() > 6) {
                error(row, what, "The " + what + " " + raw + " has more than 6 decimal places");
                return 0;
            }
            return exact.movePointRight(6).longValueExact();
        }

        private int increment(String raw, int row, String what, int min) {
            String value = raw.trim();
            int seconds;
            try {
                seconds = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                error(row, what, "The " + what + " '" + raw + "' is not a whole number of seconds");
                return 60;
            }
            if (seconds < min || seconds > MAX_INCREMENT) {
                error(row, what, "The " + what + " " + raw + " must be between " + min + " and " + MAX_INCREMENT + " seconds");
                return 60;
            }
            return seconds;
        }

        private Instant date(String raw, int row) {
            if (raw == null || raw.isBlank()) {
                return null;
            }
            String value = raw.trim();
            for (int attempt = 0; attempt < dates.size(); attempt++) {
                int i = (lastDatePattern + attempt) % dates.size();
                DateTimeFormatter formatter = dates.get(i);
                // parseUnresolved reports a mismatch through the position, without an exception
                ParsePosition position = new ParsePosition(0);
                if (formatter.parseUnresolved(value, position) == null || position.getErrorIndex() >= 0
                        || position.getIndex() != value.length()) {
                    continue;
                }
                lastDatePattern = i;
                try {
                    TemporalAccessor parsed = formatter.parse(value);
                    if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                        return Instant.from(parsed);
                    }
                    return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    error(row, "effective date", "The effective date '" + raw + "' is not a real date");
                    return null;
                }
            }
            error(row, "effective date", "The effective date '" + raw + "' is not written like " + dateExamples);
            return null;
        }

        private String nullToEmpty(String value) {
            return value == null ? "" : value.trim();
        }
    }
}
