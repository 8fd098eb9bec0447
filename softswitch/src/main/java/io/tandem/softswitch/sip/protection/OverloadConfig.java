package io.tandem.softswitch.sip.protection;

import java.time.Duration;

/**
 * When the node sheds new INVITEs because it is itself overloaded ({@link OverloadShedder}).
 *
 * @param enabled       off admits every INVITE (the transaction caps still hold)
 * @param maxLoopLag    an event loop running tasks this late means the node is past what it can carry
 * @param maxLoopTasks  as many tasks waiting on one event loop means the same
 * @param retryAfter    the {@code Retry-After} of the 503 a shed INVITE gets (whole seconds, at least 1)
 * @param interval      how often the loops are probed and the signals checked
 * @param targetLoopUtilization while limiting, the share of its time the busiest event loop should spend working
 *                      (0..1): the budget grows while the busiest loop works less than this and shrinks above it;
 *                      0 leaves the budget to the lag signal alone
 */
public record OverloadConfig(boolean enabled, Duration maxLoopLag, int maxLoopTasks, Duration retryAfter, Duration interval,
                             double targetLoopUtilization) {

    public OverloadConfig {
        if (enabled && (maxLoopLag.isNegative() || maxLoopLag.isZero() || maxLoopTasks <= 0 || interval.isZero()
            || interval.isNegative())) {
            throw new IllegalArgumentException("overload limits must be positive");
        }
        if (!(targetLoopUtilization >= 0 && targetLoopUtilization <= 1)) {
            throw new IllegalArgumentException("the target loop utilization is a share between 0 and 1");
        }
        if (retryAfter.toSeconds() < 1) {
            retryAfter = Duration.ofSeconds(1);
        }
    }

    /**
     * 50 ms of loop lag or socket backlog, or 2,000 waiting tasks, for 20 ms: well above what a healthy
     * node shows (a loop runs its tasks within a millisecond or two; a collector pause is a shorter stall),
     * well below the 500 ms after which a UDP client retransmits its INVITE (RFC 3261 §17.1.1.2, T1), each
     * retransmission adding to the load. Checked every 10 ms; shed INVITEs are told to retry after 2 s. While
     * limiting, the busiest loop is kept working about 85 % of its time: room for bursts without a queue.
     */
    public static OverloadConfig defaults() {
        return new OverloadConfig(true, Duration.ofMillis(50), 2_000, Duration.ofSeconds(2), Duration.ofMillis(10), 0.85);
    }

    public static OverloadConfig disabled() {
        return new OverloadConfig(false, Duration.ofMillis(50), 2_000, Duration.ofSeconds(2), Duration.ofMillis(10), 0.85);
    }

    public OverloadConfig withLimits(Duration lag, int tasks) {
        return new OverloadConfig(enabled, lag, tasks, retryAfter, interval, targetLoopUtilization);
    }

    public OverloadConfig withRetryAfter(Duration after) {
        return new OverloadConfig(enabled, maxLoopLag, maxLoopTasks, after, interval, targetLoopUtilization);
    }

    public OverloadConfig withEnabled(boolean on) {
        return new OverloadConfig(on, maxLoopLag, maxLoopTasks, retryAfter, interval, targetLoopUtilization);
    }

    public OverloadConfig withTargetLoopUtilization(double share) {
        return new OverloadConfig(enabled, maxLoopLag, maxLoopTasks, retryAfter, interval, share);
    }
}
