package io.tandem.billing.reconciliation;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which columns of a vendor's CDR file (by header name, case-insensitive) hold what, and how times are written.
 *
 * @param connectTime  the call's connect (answer) time
 * @param caller       the calling number; optional (null): callers are often rewritten, so they never decide a match
 * @param called       the called number
 * @param duration     billed duration in seconds (decimals are rounded up to a whole second)
 * @param amount       the amount they charge; optional (null): then only durations are compared
 * @param timeFormat   {@code iso} (ISO-8601 with offset, e.g. {@code 2026-11-03T10:15:30Z}) or a
 *                     {@link DateTimeFormatter} pattern such as {@code yyyy-MM-dd HH:mm:ss}, read in {@code zone}
 * @param delimiter    {@code ,} {@code ;} {@code |} or tab
 */
public record VendorCdrMapping(String connectTime, String caller, String called, String duration, String amount,
                               String timeFormat, String zone, char delimiter) {

    public static final int MAX_NAME = 64;

    public static VendorCdrMapping of(String connectTime, String called, String duration, String amount) {
        return new VendorCdrMapping(connectTime, null, called, duration, amount, "iso", "UTC", ',');
    }

    /** One message per field that is not acceptable; empty when the mapping can be used. */
    public Map<String, String> problems() {
        Map<String, String> errors = new LinkedHashMap<>();
        required("connectTime", connectTime, errors);
        required("called", called, errors);
        required("duration", duration, errors);
        optional("caller", caller, errors);
        optional("amount", amount, errors);
        if (timeFormat == null || timeFormat.isBlank() || timeFormat.length() > MAX_NAME) {
            errors.put("timeFormat", "iso or a pattern such as yyyy-MM-dd HH:mm:ss");
        } else if (!"iso".equalsIgnoreCase(timeFormat)) {
            try {
                DateTimeFormatter.ofPattern(timeFormat);
            } catch (IllegalArgumentException e) {
                errors.put("timeFormat", "not a date-time pattern: " + e.getMessage());
            }
        }
        try {
            ZoneId.of(zone == null ? "" : zone);
        } catch (RuntimeException e) {
            errors.put("zone", "a time zone such as UTC or Europe/London");
        }
        if (",;|\t".indexOf(delimiter) < 0) {
            errors.put("delimiter", "one of , ; | or tab");
        }
        return errors;
    }

    private static void required(String field, String column, Map<String, String> errors) {
        if (column == null || column.isBlank()) {
            errors.put(field, "required: the header of the column");
        } else {
            optional(field, column, errors);
        }
    }

    private static void optional(String field, String column, Map<String, String> errors) {
        if (column != null && column.length() > MAX_NAME) {
            errors.put(field, "at most " + MAX_NAME + " characters");
        }
    }
}
