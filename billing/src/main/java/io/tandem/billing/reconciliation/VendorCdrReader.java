package io.tandem.billing.reconciliation;

import io.tandem.billing.account.Money;
import java.io.Closeable;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a vendor's CDR file row by row (Apache Commons CSV, as the deck import does) into {@link CallLeg}s,
 * in file order. The first bad row stops the read with its row number and column. A physical line longer
 * than {@value #MAX_LINE_CHARACTERS} characters is refused, so one endless field cannot fill the heap.
 */
public final class VendorCdrReader implements Iterator<CallLeg>, Closeable {

    public static final int MAX_LINE_CHARACTERS = 8 * 1024;
    public static final int MAX_NUMBER = 64;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final int timeColumn;
    private final int callerColumn;
    private final int calledColumn;
    private final int durationColumn;
    private final int amountColumn;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;
    private long row = 1;

    public VendorCdrReader(Reader in, VendorCdrMapping mapping) {
        try {
            CSVFormat format = CSVFormat.Builder.create(CSVFormat.DEFAULT).setDelimiter(mapping.delimiter())
                    .setIgnoreEmptyLines(true).setTrim(true).get();
            parser = CSVParser.builder().setReader(new LineLengthGuard(in)).setFormat(format).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records = parser.iterator();
        if (!records.hasNext()) {
            throw new VendorCdrFileException(1, "the file is empty: no header row");
        }
        Map<String, Integer> header = new java.util.HashMap<>();
        CSVRecord first = records.next();
        for (int i = 0; i < first.size(); i++) {
            header.putIfAbsent(first.get(i).toLowerCase(Locale.ROOT), i);
        }
        timeColumn = column(header, mapping.connectTime(), true);
        callerColumn = column(header, mapping.caller(), false);
        calledColumn = column(header, mapping.called(), true);
        durationColumn = column(header, mapping.duration(), true);
        amountColumn = column(header, mapping.amount(), false);
        pattern = "iso".equalsIgnoreCase(mapping.timeFormat()) ? null : DateTimeFormatter.ofPattern(mapping.timeFormat());
        zone = ZoneId.of(mapping.zone());
    }

    private static int column(Map<String, Integer> header, String name, boolean required) {
        if (name == null || name.isBlank()) {
            return -1;
        }
        Integer index = header.get(name.toLowerCase(Locale.ROOT));
        if (index == null) {
            if (required) {
                throw new VendorCdrFileException(1, "no column \"" + name + "\" in the header; it has " + header.keySet());
            }
            throw new VendorCdrFileException(1, "no column \"" + name + "\" in the header (leave it out if the file has none)");
        }
        return index;
    }

    @Override
    public boolean hasNext() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw new VendorCdrFileException(row + 1, "unreadable: " + e.getMessage());
        }
    }

    @Override
    public CallLeg next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CSVRecord record = records.next();
        row++;
        Instant at = time(field(record, timeColumn, "connect time"));
        String called = CallLeg.normalize(number(field(record, calledColumn, "called number"), "called number"));
        if (called.isEmpty()) {
            throw new VendorCdrFileException(row, "called number: no digits");
        }
        String caller = callerColumn < 0 ? "" : CallLeg.normalize(number(field(record, callerColumn, "caller"), "caller"));
        long seconds = seconds(field(record, durationColumn, "duration"));
        BigDecimal amount = amountColumn < 0 ? null : amount(field(record, amountColumn, "amount"));
        return new CallLeg(at, caller, called, seconds, amount, "row " + row);
    }

    private String field(CSVRecord record, int column, String what) {
        if (column >= record.size()) {
            throw new VendorCdrFileException(row, what + ": the row has only " + record.size() + " columns");
        }
        return record.get(column);
    }

    private String number(String value, String what) {
        if (value.length() > MAX_NUMBER) {
            throw new VendorCdrFileException(row, what + ": longer than " + MAX_NUMBER + " characters");
        }
        return value;
    }

    private Instant time(String value) {
        try {
            return pattern == null ? OffsetDateTime.parse(value).toInstant()
                    : LocalDateTime.parse(value, pattern).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new VendorCdrFileException(row, "connect time: \"" + clip(value) + "\" does not fit the format "
                    + (pattern == null ? "ISO-8601 (2026-11-03T10:15:30Z)" : pattern.toString()));
        }
    }

    private long seconds(String value) {
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(86_400 * 7)) > 0) {
                throw new VendorCdrFileException(row, "duration: " + clip(value) + " is not between 0 and a week in seconds");
            }
            return seconds.setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new VendorCdrFileException(row, "duration: \"" + clip(value) + "\" is not a number of seconds");
        }
    }

    private BigDecimal amount(String value) {
        try {
            BigDecimal amount = new BigDecimal(value);
            if (amount.abs().compareTo(Money.MAX) > 0) {
                throw new VendorCdrFileException(row, "amount: out of range");
            }
            return Money.round(amount);
        } catch (NumberFormatException e) {
            throw new VendorCdrFileException(row, "amount: \"" + clip(value) + "\" is not a decimal number");
        }
    }

    private static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** Refuses a physical line longer than {@link #MAX_LINE_CHARACTERS}. */
    private static final class LineLengthGuard extends FilterReader {
        private int sinceNewline;

        LineLengthGuard(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                count(buffer[offset + i]);
            }
            return n;
        }

        private void count(char c) throws IOException {
            sinceNewline = c == '\n' ? 0 : sinceNewline + 1;
            if (sinceNewline > MAX_LINE_CHARACTERS) {
                throw new IOException("a line is longer than " + MAX_LINE_CHARACTERS + " characters");
            }
        }
    }
}
