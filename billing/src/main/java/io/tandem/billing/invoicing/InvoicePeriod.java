package io.tandem.billing.invoicing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The half-open interval {@code [start, end)} an invoice covers, in UTC. A cycle of {@code months} months
 * starts on the first of January, or of every {@code months}-th month after it (1 = monthly, 3 = quarterly,
 * 12 = yearly), so every account's periods tile the calendar without overlap.
 */
public record InvoicePeriod(Instant start, Instant end) {

    public InvoicePeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a period ends after it starts: " + start + " .. " + end);
        }
    }

    /** The cycle of {@code months} months that contains {@code month}. */
    public static InvoicePeriod containing(YearMonth month, int months) {
        if (12 % months != 0) {
            throw new IllegalArgumentException("a cycle divides the year: 1, 2, 3, 4, 6 or 12 months, not " + months);
        }
        int firstMonth = (month.getMonthValue() - 1) / months * months + 1;
        LocalDate first = LocalDate.of(month.getYear(), firstMonth, 1);
        return new InvoicePeriod(first.atStartOfDay().toInstant(ZoneOffset.UTC),
                first.plusMonths(months).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public static InvoicePeriod month(YearMonth month) {
        return containing(month, 1);
    }

    /** {@code 2026-11} for a month, {@code 2026-10..2026-12} for a longer cycle. */
    public String label() {
        YearMonth first = YearMonth.from(start.atOffset(ZoneOffset.UTC));
        YearMonth last = YearMonth.from(end.atOffset(ZoneOffset.UTC)).minusMonths(1);
        return first.equals(last) ? first.toString() : first + ".." + last;
    }
}
