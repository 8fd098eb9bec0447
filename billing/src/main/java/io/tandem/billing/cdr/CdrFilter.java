package io.tandem.billing.cdr;

import java.time.Instant;
import java.util.Objects;

/**
 * Which CDRs to export: attempts started in {@code [from, until)}, optionally of one customer or
 * one vendor, optionally answered ones only.
 */
public record CdrFilter(Instant from, Instant until, Long customerAccountId, Long vendorAccountId, boolean answeredOnly) {

    public CdrFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("Empty period: " + from + " .. " + until);
        }
    }

    public static CdrFilter period(Instant from, Instant until) {
        return new CdrFilter(from, until, null, null, false);
    }

    public CdrFilter customer(long accountId) {
        return new CdrFilter(from, until, accountId, vendorAccountId, answeredOnly);
    }

    public CdrFilter vendor(long accountId) {
        return new CdrFilter(from, until, customerAccountId, accountId, answeredOnly);
    }

    public CdrFilter answered() {
        return new CdrFilter(from, until, customerAccountId, vendorAccountId, true);
    }
}
