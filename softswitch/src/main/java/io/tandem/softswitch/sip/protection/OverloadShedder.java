package io.tandem.softswitch.sip.protection;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decides, for each new INVITE and before any state or work is spent on it, whether the node takes
 * it or answers a stateless {@code 503} with {@code Retry-After} (RFC 3261 §21.5.4): the excess of
 * an overload is refused in microseconds at the edge instead of being half-served, so the calls the
 * node does take complete. The signal is the node's own, not a configured CPS: how late its event
 * loops run their tasks and how many wait ({@link LoopLoad}).
 *
 * <p>The admitted share is adjusted every {@code interval} like TCP's congestion window (additive
 * increase, multiplicative decrease): while a loop stays over a limit the share is cut by a quarter
 * (down to 1 %), otherwise it grows by 5 points, so shedding follows the node's real capacity
 * whatever the mix of calls, and full admission returns within about 0.2 s of the overload ending.
 * Within the share, INVITEs are admitted evenly (a credit counter, no randomness).
 *
 * <table>
 *   <caption>state table, evaluated at most once per interval</caption>
 *   <tr><th>loops</th><th>admitted share</th><th>{@link #overloadedWithin}</th></tr>
 *   <tr><td>a loop's lag or queue over its limit, at the first or second check in a row</td><td>unchanged</td><td>unchanged</td></tr>
 *   <tr><td>over a limit at the third check in a row and after</td><td>× 0.75, at least 0.01</td><td>true from now</td></tr>
 *   <tr><td>all within limits, share &lt; 1</td><td>+ 0.05, at most 1</td><td>true (still shedding)</td></tr>
 *   <tr><td>all within limits, share = 1</td><td>1</td><td>true only for an earlier overload in the window</td></tr>
 * </table>
 *
 * <p>Memory: three numbers; a shed INVITE leaves nothing behind. Thread-safe (one short lock per new INVITE).
 */
public final class OverloadShedder {
    private static final double DECREASE = 0.75;
    private static final double INCREASE = 0.05;
    private static final double FLOOR = 0.01;
    private static final int STREAK = 3;

    private final OverloadConfig config;
    private final LoopLoad load;
    private final LongSupplier nanos;
    private final long intervalNanos;
    private final long maxLagNanos;
    private final LongAdder shed = new LongAdder();
    private long lastAdjusted;
    private double share = 1.0;
    private double credit;
    private long lastOverloaded;
    private int overLimitStreak;
    private boolean everOverloaded;
    private volatile long lastLagNanos;

    /**
     * @param nanos a monotonic clock ({@code System::nanoTime}; a hand-moved one in tests)
     */
    public OverloadShedder(OverloadConfig config, LoopLoad load, LongSupplier nanos) {
        this.config = config;
        this.load = load;
        this.nanos = nanos;
        this.intervalNanos = config.interval().toNanos();
        this.maxLagNanos = config.maxLoopLag().toNanos();
        this.lastAdjusted = nanos.getAsLong();
    }

    public OverloadConfig config() {
        return config;
    }

    /** Whether a new INVITE may be taken now; false means answer it 503 with {@link #retryAfterSeconds()}. */
    public boolean admit() {
        if (!config.enabled()) {
            return true;
        }
        synchronized (this) {
            adjust();
            // Below 1 after every admission, so it never saves up a burst.
            credit += share;
            if (credit >= 1.0 - 1e-9) {
                credit -= 1.0;
                return true;
            }
        }
        shed.increment();
        return false;
    }

    /**
     * Whether the node was overloaded (or still shedding) at any moment of the last {@code window}:
     * a vendor attempt of that age that timed out may have timed out because of us (its answer
     * waited behind our own backlog), so it must not count against the vendor's breaker.
     */
    public boolean overloadedWithin(Duration window) {
        if (!config.enabled()) {
            return false;
        }
        synchronized (this) {
            adjust();
            return everOverloaded && nanos.getAsLong() - lastOverloaded <= window.toNanos();
        }
    }

    /** INVITEs shed so far. */
    public long shed() {
        return shed.sum();
    }

    /** The share of new INVITEs now admitted, 0..1. */
    public synchronized double admittedShare() {
        return share;
    }

    /** The worst loop lag seen at the last adjustment, in nanoseconds. */
    public long lastLagNanos() {
        return lastLagNanos;
    }

    public long retryAfterSeconds() {
        return config.retryAfter().toSeconds();
    }

    private void adjust() {
        long now = nanos.getAsLong();
        long elapsed = now - lastAdjusted;
        if (elapsed < intervalNanos) {
            return;
        }
        long steps = elapsed / intervalNanos;
        long lag = load.worstLagNanos();
        lastLagNanos = lag;
        if (lag >= maxLagNanos || load.worstPendingTasks() >= config.maxLoopTasks()) {
            // One stall (a collector pause, a busy neighbour on the machine) is seen at two checks at most: the
            // overdue probe, then its late run; a third check over the limit in a row is overload.
            if (++overLimitStreak >= STREAK) {
                share = Math.max(FLOOR, share * DECREASE);
                lastOverloaded = now;
                everOverloaded = true;
            }
        } else if (share < 1.0) {
            overLimitStreak = 0;
            // Intervals without an INVITE count too: a quiet node is not still overloaded.
            long toFull = (long) Math.ceil((1.0 - share) / INCREASE - 1e-9);
            share = Math.min(1.0, share + INCREASE * steps);
            lastOverloaded = share < 1.0 ? now : lastAdjusted + Math.min(steps, toFull) * intervalNanos;
        } else {
            overLimitStreak = 0;
        }
        lastAdjusted = now;
    }
}
