package io.tandem.routing.deck;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The format options of an upload as a partner or the console sends them: a preset name and
 * overrides. {@code columns} maps field names ({@code prefix}, {@code rate}, {@code connect_fee},
 * {@code increments}, ...) to a header name or a 1-based position {@code "#3"}; when given, it
 * replaces the preset's mapping.
 */
public record DeckFormatRequest(
        String preset,
        String delimiter,
        Boolean decimalComma,
        Integer headerOffset,
        Boolean hasHeader,
        List<String> datePatterns,
        Map<String, String> columns) {

    /** The format, or null with a message per bad option in {@code errors}. */
    public DeckFormat resolve(Map<String, String> errors) {
        DeckFormat format;
        try {
            format = DeckFormat.preset(preset == null || preset.isBlank() ? "canonical" : preset);
        } catch (IllegalArgumentException e) {
            errors.put("format", e.getMessage());
            return null;
        }
        if (columns != null && !columns.isEmpty()) {
            Map<DeckField, List<String>> mapping = new EnumMap<>(DeckField.class);
            for (Map.Entry<String, String> entry : columns.entrySet()) {
                String name = entry.getKey().trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
                try {
                    mapping.put(DeckField.valueOf(name), List.of(entry.getValue()));
                } catch (IllegalArgumentException e) {
                    errors.put("columns." + entry.getKey(), "unknown field; use one of " + fieldNames());
                }
            }
            if (!mapping.containsKey(DeckField.PREFIX) || !mapping.containsKey(DeckField.RATE)) {
                errors.put("columns", "map at least prefix and rate");
                return null;
            }
            format = format.withColumns("custom", mapping, hasHeader == null || hasHeader);
        } else if (hasHeader != null && !hasHeader) {
            errors.put("hasHeader", "a file without a header needs a column mapping by position (\"#1\")");
        }
        if (delimiter != null && !delimiter.isEmpty()) {
            String d = delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t") ? "\t" : delimiter;
            if (d.length() != 1) {
                errors.put("delimiter", "one character, e.g. ; or tab");
            } else {
                format = format.withDelimiter(d.charAt(0));
            }
        }
        if (decimalComma != null) {
            format = format.withDecimalComma(decimalComma);
        }
        if (headerOffset != null) {
            if (headerOffset < 0 || headerOffset > 100) {
                errors.put("headerOffset", "between 0 and 100 rows");
            } else {
                format = format.withHeaderOffset(headerOffset);
            }
        }
        if (datePatterns != null && !datePatterns.isEmpty()) {
            for (String pattern : datePatterns) {
                try {
                    java.time.format.DateTimeFormatter.ofPattern(pattern);
                } catch (IllegalArgumentException e) {
                    errors.put("datePattern", "'" + pattern + "' is not a date pattern such as dd/MM/yyyy");
                }
            }
            format = format.withDatePatterns(datePatterns);
        }
        return errors.isEmpty() ? format : null;
    }

    private static String fieldNames() {
        List<String> names = new ArrayList<>();
        for (DeckField field : DeckField.values()) {
            names.add(field.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", names);
    }
}
