package io.tandem.console.ui.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the live views write figures: money in its currency, durations, times (UTC) and ages. */
public final class Figures {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Figures() {
    }

    /**
     * An amount with its currency code, e.g. {@code 0.000333 USD}: at least 2 and at most 6
     * decimals, as many as the amount has (rates and running costs are fractions of a cent).
     */
    public static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "";
        }
        BigDecimal shown = amount.stripTrailingZeros();
        int scale = Math.max(2, Math.min(6, shown.scale()));
        String text = amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
        return currency == null || currency.isBlank() ? text : text + " " + currency;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    public static String duration(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** UTC time of day, {@code HH:mm:ss}. */
    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** UTC date and minute. */
    public static String dayTime(Instant at) {
        return at == null ? "" : DAY_TIME.format(at);
    }

    /** "12 s ago", "5 min ago", "3 h ago", "never". */
    public static String ago(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(at, now).toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }

    /** Whole numbers with thousands separators, {@code 10,000}. */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** "1 call", "2 calls", "10,000 calls". */
    public static String count(long value, String singular, String plural) {
        return count(value) + " " + (value == 1 ? singular : plural);
    }

    /** One decimal, or a dash for no value (NaN). */
    public static String decimal(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }
}
