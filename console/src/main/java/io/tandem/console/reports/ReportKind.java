package io.tandem.console.reports;

import java.util.Locale;
import java.util.Optional;

/**
 * What a traffic report groups the CDRs by. A customer's or a destination's attempts are its
 * calls (one per call, however many vendors were tried); a vendor's attempts are the calls
 * offered to it, so a failover counts against the vendor that failed.
 */
public enum ReportKind {
    CUSTOMERS, VENDORS, DESTINATIONS;

    /** The path segment, e.g. {@code customers}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportKind> ofCode(String code) {
        for (ReportKind kind : values()) {
            if (kind.code().equals(code)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
