package io.tandem.console.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** A report's period: CDRs started at or after {@code from} and before {@code to}, UTC, at most {@link #LONGEST}. */
public record ReportPeriod(Instant from, Instant to) {

    public static final Duration LONGEST = Duration.ofDays(366);

    /**
     * Reads {@code from} and {@code to} as ISO instants ({@code 2026-12-01T00:00:00Z}) or dates
     * ({@code 2026-12-01}, the start of that UTC day); null with a message per bad field in {@code errors}.
     */
    public static ReportPeriod parse(String from, String to, Map<String, String> errors) {
        Instant start = instant("from", from, errors);
        Instant end = instant("to", to, errors);
        if (start == null || end == null) {
            return null;
        }
        return of(start, end, errors);
    }

    public static ReportPeriod of(Instant from, Instant to, Map<String, String> errors) {
        if (!to.isAfter(from)) {
            errors.put("to", "must be after from");
            return null;
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            errors.put("to", "a period of at most 366 days");
            return null;
        }
        return new ReportPeriod(from, to);
    }

    private static Instant instant(String field, String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            errors.put(field, "required: an ISO date (2026-12-01) or instant (2026-12-01T00:00:00Z)");
            return null;
        }
        if (value.length() > 40) {
            errors.put(field, "an ISO date (2026-12-01) or instant (2026-12-01T00:00:00Z)");
            return null;
        }
        try {
            return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.put(field, "an ISO date (2026-12-01) or instant (2026-12-01T00:00:00Z)");
            return null;
        }
    }
}
