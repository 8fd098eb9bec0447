package io.tandem.billing.cdr;

import java.time.Instant;
import java.util.Objects;

/**
 * Which CDRs to read: attempts started in {@code [from, until)}, optionally of one customer or one vendor,
 * answered ones only or failed ones only, to numbers starting with {@code calleePrefix} (as sent to the
 * vendor), with one final SIP code.
 */
public record CdrFilter(Instant from, Instant until, Long customerAccountId, Long vendorAccountId, boolean answeredOnly,
                        boolean failedOnly, String calleePrefix, Integer sipCode) {

    public CdrFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("Empty period: " + from + " .. " + until);
        }
        if (answeredOnly && failedOnly) {
            throw new IllegalArgumentException("answered only and failed only exclude each other");
        }
        calleePrefix = calleePrefix == null || calleePrefix.isEmpty() ? null : calleePrefix;
    }

    public CdrFilter(Instant from, Instant until, Long customerAccountId, Long vendorAccountId, boolean answeredOnly) {
        this(from, until, customerAccountId, vendorAccountId, answeredOnly, false, null, null);
    }

    public static CdrFilter period(Instant from, Instant until) {
        return new CdrFilter(from, until, null, null, false);
    }

    public CdrFilter customer(long accountId) {
        return new CdrFilter(from, until, accountId, vendorAccountId, answeredOnly, failedOnly, calleePrefix, sipCode);
    }

    public CdrFilter vendor(long accountId) {
        return new CdrFilter(from, until, customerAccountId, accountId, answeredOnly, failedOnly, calleePrefix, sipCode);
    }

    public CdrFilter answered() {
        return new CdrFilter(from, until, customerAccountId, vendorAccountId, true, false, calleePrefix, sipCode);
    }

    public CdrFilter failed() {
        return new CdrFilter(from, until, customerAccountId, vendorAccountId, false, true, calleePrefix, sipCode);
    }

    public CdrFilter calleePrefix(String prefix) {
        return new CdrFilter(from, until, customerAccountId, vendorAccountId, answeredOnly, failedOnly, prefix, sipCode);
    }

    public CdrFilter sipCode(int code) {
        return new CdrFilter(from, until, customerAccountId, vendorAccountId, answeredOnly, failedOnly, calleePrefix, code);
    }
}
