package io.tandem.billing.authorization;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node holds money for calls.
 *
 * @param holdDuration     talk time set aside per call, and per {@link BalanceAuthorizer#extend} (default 10 min)
 * @param maxCallDuration  no call runs longer, whatever the balance (default 4 h)
 * @param leaseSlice       money one lease top-up asks for (default 20.000000); background top-ups
 *                         that follow each other within a second grow it twofold each time, up to 64 slices
 * @param leaseShare       a top-up takes at most {@code available / leaseShare}, so one busy node
 *                         cannot starve its peers (default 4)
 * @param minimumLease     below this a lease is not worth it and calls hold money one by one
 *                         (per-call reservations; default 1.000000)
 * @param leaseTtl         how long a lease or reservation lives without a heartbeat (default 60 s);
 *                         a node stops serving from a lease a quarter of this before it expires
 * @param deadNodeAfter    heartbeat silence after which peers reclaim a node's expired holds (default 30 s)
 */
public record AuthorizationSettings(Duration holdDuration, Duration maxCallDuration, BigDecimal leaseSlice,
                                    int leaseShare, BigDecimal minimumLease, Duration leaseTtl, Duration deadNodeAfter) {

    public AuthorizationSettings {
        Objects.requireNonNull(holdDuration, "holdDuration");
        Objects.requireNonNull(maxCallDuration, "maxCallDuration");
        Objects.requireNonNull(leaseSlice, "leaseSlice");
        Objects.requireNonNull(minimumLease, "minimumLease");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(deadNodeAfter, "deadNodeAfter");
        if (leaseShare < 1 || holdDuration.isNegative() || holdDuration.isZero()) {
            throw new IllegalArgumentException("leaseShare >= 1 and a positive hold duration are required");
        }
    }

    public static AuthorizationSettings defaults() {
        return new AuthorizationSettings(Duration.ofMinutes(10), Duration.ofHours(4), new BigDecimal("20.000000"), 4,
                new BigDecimal("1.000000"), Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    public AuthorizationSettings withHoldDuration(Duration duration) {
        return new AuthorizationSettings(duration, maxCallDuration, leaseSlice, leaseShare, minimumLease, leaseTtl, deadNodeAfter);
    }

    public AuthorizationSettings withLeases(BigDecimal slice, int share, BigDecimal minimum) {
        return new AuthorizationSettings(holdDuration, maxCallDuration, slice, share, minimum, leaseTtl, deadNodeAfter);
    }

    public AuthorizationSettings withTimeouts(Duration ttl, Duration deadAfter) {
        return new AuthorizationSettings(holdDuration, maxCallDuration, leaseSlice, leaseShare, minimumLease, ttl, deadAfter);
    }
}
