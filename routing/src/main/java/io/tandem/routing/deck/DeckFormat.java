package io.tandem.routing.deck;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a partner's rate deck file is laid out: the delimiter, how many rows precede the header
 * ({@code headerOffset}), which column holds each {@link DeckField}, how dates are written and
 * whether decimals use a comma. A column is named by its header text (case and surrounding blanks
 * ignored; the first alternative present wins) or by its 1-based position written {@code "#3"}.
 * With {@code hasHeader = false} only positions work.
 *
 * <p>The presets cover the layouts carriers actually send; see {@code docs/csv-formats.md}.
 */
public record DeckFormat(
        String name,
        char delimiter,
        int headerOffset,
        boolean hasHeader,
        Map<DeckField, List<String>> columns,
        List<String> datePatterns,
        boolean decimalComma) {

    /** ISO-style dates and times, always read as UTC. */
    public static final List<String> ISO_DATES = List.of(
            "yyyy-MM-dd'T'HH:mm[:ss][.SSS]XXX", "yyyy-MM-dd'T'HH:mm[:ss][.SSS]'Z'", "yyyy-MM-dd'T'HH:mm[:ss]",
            "yyyy-MM-dd HH:mm[:ss]", "yyyy-MM-dd");

    /**
     * Tandem's own layout:
     * {@code prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from[,action][,grace_seconds]}.
     */
    public static final DeckFormat CANONICAL = new DeckFormat("canonical", ',', 0, true, Map.of(
            DeckField.PREFIX, List.of("prefix"),
            DeckField.DESTINATION, List.of("destination"),
            DeckField.RATE, List.of("rate"),
            DeckField.CONNECT_FEE, List.of("connect_fee"),
            DeckField.INITIAL_INCREMENT, List.of("initial_increment"),
            DeckField.NEXT_INCREMENT, List.of("next_increment"),
            DeckField.EFFECTIVE_FROM, List.of("effective_from"),
            DeckField.GRACE_TIME, List.of("grace_seconds"),
            DeckField.ACTION, List.of("action")), ISO_DATES, false);

    /**
     * ASTPP's termination rate export:
     * {@code Code,Destination,Connection Cost,Grace Time,Cost / Min,Initial Increment,Increment}.
     * Grace Time is kept per code: answered calls that last at most that many seconds are free.
     */
    public static final DeckFormat ASTPP = new DeckFormat("astpp", ',', 0, true, Map.of(
            DeckField.PREFIX, List.of("Code"),
            DeckField.DESTINATION, List.of("Destination"),
            DeckField.CONNECT_FEE, List.of("Connection Cost"),
            DeckField.GRACE_TIME, List.of("Grace Time"),
            DeckField.RATE, List.of("Cost / Min", "Cost/Min"),
            DeckField.INITIAL_INCREMENT, List.of("Initial Increment"),
            DeckField.NEXT_INCREMENT, List.of("Increment")), ISO_DATES, false);

    /**
     * A2Billing's semicolon rate card:
     * {@code dialprefix;destination;rateinitial;initblock;billingblock;connectcharge;startdate},
     * further columns ignored.
     */
    public static final DeckFormat A2BILLING = new DeckFormat("a2billing", ';', 0, true, Map.of(
            DeckField.PREFIX, List.of("dialprefix"),
            DeckField.DESTINATION, List.of("destination"),
            DeckField.RATE, List.of("rateinitial"),
            DeckField.INITIAL_INCREMENT, List.of("initblock"),
            DeckField.NEXT_INCREMENT, List.of("billingblock"),
            DeckField.CONNECT_FEE, List.of("connectcharge"),
            DeckField.EFFECTIVE_FROM, List.of("startdate")), ISO_DATES, false);

    /**
     * The sheet most carriers mail: {@code Code, Destination, Rate, Effective Date, Increment}, the
     * increment written {@code 60/60}, dates as {@code yyyy-MM-dd} or day-first {@code dd/MM/yyyy}.
     */
    public static final DeckFormat GENERIC = new DeckFormat("generic", ',', 0, true, Map.of(
            DeckField.PREFIX, List.of("Code", "Prefix", "Dial Code"),
            DeckField.DESTINATION, List.of("Destination", "Country"),
            DeckField.RATE, List.of("Rate", "Price", "Rate/Min"),
            DeckField.EFFECTIVE_FROM, List.of("Effective Date", "Effective From", "Effective"),
            DeckField.INCREMENTS, List.of("Increment", "Billing Increment"),
            DeckField.CONNECT_FEE, List.of("Connect Fee", "Connection Fee"),
            DeckField.ACTION, List.of("Action", "Change")),
            List.of("yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yyyy", "yyyy-MM-dd HH:mm[:ss]", "dd/MM/yyyy HH:mm[:ss]"), false);

    public DeckFormat {
        Objects.requireNonNull(name, "name");
        if (headerOffset < 0) {
            throw new IllegalArgumentException("headerOffset must be >= 0");
        }
        Map<DeckField, List<String>> copy = new EnumMap<>(DeckField.class);
        columns.forEach((field, names) -> copy.put(field, List.copyOf(names)));
        columns = Map.copyOf(copy);
        if (!columns.containsKey(DeckField.PREFIX) || !columns.containsKey(DeckField.RATE)) {
            throw new IllegalArgumentException("A deck format must map at least the prefix and rate columns");
        }
        datePatterns = List.copyOf(datePatterns.isEmpty() ? ISO_DATES : datePatterns);
    }

    /** A preset by its name ({@code canonical}, {@code astpp}, {@code a2billing}, {@code generic}). */
    public static DeckFormat preset(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "canonical", "tandem" -> CANONICAL;
            case "astpp" -> ASTPP;
            case "a2billing" -> A2BILLING;
            case "generic" -> GENERIC;
            default -> throw new IllegalArgumentException("Unknown deck format '" + name
                    + "' (use canonical, astpp, a2billing or generic, or give a column mapping)");
        };
    }

    public DeckFormat withDelimiter(char value) {
        return new DeckFormat(name, value, headerOffset, hasHeader, columns, datePatterns, decimalComma);
    }

    public DeckFormat withHeaderOffset(int value) {
        return new DeckFormat(name, delimiter, value, hasHeader, columns, datePatterns, decimalComma);
    }

    public DeckFormat withDatePatterns(List<String> value) {
        return new DeckFormat(name, delimiter, headerOffset, hasHeader, columns, value, decimalComma);
    }

    public DeckFormat withDecimalComma(boolean value) {
        return new DeckFormat(name, delimiter, headerOffset, hasHeader, columns, datePatterns, value);
    }

    /** The same options with a different column mapping, e.g. a partner's own layout. */
    public DeckFormat withColumns(String formatName, Map<DeckField, List<String>> value, boolean header) {
        return new DeckFormat(formatName, delimiter, headerOffset, header, value, datePatterns, decimalComma);
    }
}
