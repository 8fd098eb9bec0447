package io.tandem.softswitch.sip.protection;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decides, for each new INVITE and before any state or work is spent on it, whether the node takes
 * it or answers a stateless {@code 503} with {@code Retry-After} (RFC 3261 §21.5.4): the excess of
 * an overload is refused in microseconds at the edge instead of being half-served, so the calls the
 * node does take complete. The signal is the node's own, not a configured CPS: how late its event
 * loops run their tasks, how many wait, and how long a UDP socket has stayed backlogged
 * ({@link LoopLoad}).
 *
 * <p><b>A budget, not a share.</b> While the node keeps up, every INVITE is admitted ("open"). Once an
 * overload is confirmed, new INVITEs are admitted from a token bucket at a <em>rate</em> (CPS) — the
 * budget — evenly spaced (20 ms of burst at most), whatever the offered rate: offering 4× the node's
 * capacity admits as many calls as offering 2×.
 *
 * <p><b>Where the budget starts.</b> While open, the shedder learns what a call costs the busiest event loop
 * (the share of its time it worked in a calm 100-ms step, divided by the calls admitted in it), so it knows
 * the rate at which that loop would work {@link OverloadConfig#targetLoopUtilization()} of its time — the
 * node's capacity, learnt at any load. An overload starts the budget there (at most 95 % of what the node
 * was just carrying); a node that has not learnt it yet starts at the highest rate it carried calmly in the
 * last two seconds, or blind at half the rate it was just carrying.
 *
 * <p><b>How it moves.</b> Every 100-ms step while limiting:
 *
 * <table>
 *   <caption>budget steps (every 100 ms while limiting)</caption>
 *   <tr><th>during the step</th><th>budget</th></tr>
 *   <tr><td>overload confirmed again, and the delay (lag or backlog) did not shrink by 2 % since the last
 *       step</td><td>× 0.85, never below a quarter of where it started (nor {@value #FLOOR_CPS} CPS): a node
 *       whose loops stay late while it admits that little is late for other reasons (refusing itself,
 *       retransmissions, a machine that lends it no CPU), and admitting nothing would not help</td></tr>
 *   <tr><td>overload confirmed again, the delay shrinking</td><td>unchanged: the queue is draining</td></tr>
 *   <tr><td>calm, INVITEs were shed</td><td>steered towards the target utilization: × target / busiest loop's
 *       utilization (smoothed over two steps), by 0.9 to 1.1 a step (to 1.3 while it works under half the
 *       target); up only while the delay is under a quarter of the limit. Without CPU times: × 1.2 while under 80 % of the last budget that proved too much, then × 1.02</td></tr>
 *   <tr><td>calm, nothing shed, for 10 steps in a row</td><td>open again: the offered load fits</td></tr>
 * </table>
 *
 * <p><b>Datagrams the kernel dropped</b> at the node's UDP sockets are an overload confirmed at once, and never a
 * queue that drains: the node did not even read them, and their senders retransmit them. The loops can look calm
 * meanwhile: on a machine whose cores other processes hold, a loop gets so little CPU that it reads slower than
 * datagrams arrive while each of its tasks still runs on time (measured: at 4× the node's maximum, a budget stuck at
 * 2,301 CPS with the loops 1–50 ms late and working 20–30 % of their time, while the kernel dropped 74,000
 * datagrams in 10 s). Drops show a few steps after the admissions that caused them, so the budget is cut for them
 * once per {@value #DROP_EFFECT_STEPS} steps, and grows back freely only to 90 % of the budget they showed at, from
 * there by 5 % a step.
 *
 * <p><b>Confirmed overload</b> is a limit exceeded for at least two check intervals (20 ms by default):
 * a lag of L means the loop's probe has waited L, so the loop has been past the limit for L − limit;
 * a single short stall (a collector pause) is not an overload.
 *
 * <p><b>A delay the calls did not cause</b> is no overload either: when INVITEs arrive no faster than the node
 * carried calmly in the last two seconds (with {@value #STALL_RATE_MARGIN}× margin) and its busiest loop worked
 * less than half the target share of its time, the loops are late because something else holds the cores (another
 * process, a browser on the same machine, the JIT, the console's first pages), and refusing calls would free next
 * to nothing: nothing is shed, and {@link #ignoredStalls()} counts it. Measured: a console signed into and clicked
 * through in Chromium on the node's 2-core machine made it shed 3 of 1,200 calls offered at 20 CPS. "No faster" has
 * a slack of the budget's floor ({@value #FLOOR_CPS} CPS). A node with no calm history (just started, or idle for two
 * seconds) has no rate to compare with, and its loops' work alone decides, counted up to the moment of the check (a
 * flood makes them work at once): measured, a freshly started node offered 609 CPS met the JIT (its loops 121 ms late,
 * the busiest working 29 % of its time) and shed 5–7 % of its first 30 s of calls; now 0–1 of 18,270. Without loop
 * CPU times every delay counts as an overload, and so does a delay past {@value #STALL_LAG_FACTOR}× the lag limit,
 * whatever its cause: by then UDP clients retransmit.
 *
 * <p>Memory: a few numbers and a 20-entry ring; a shed INVITE leaves nothing behind. Thread-safe (one
 * short lock per new INVITE).
 */
public final class OverloadShedder {
    static final double FLOOR_CPS = 10;
    private static final long STEP_NANOS = 100_000_000L;
    private static final int HISTORY = 20;
    private static final double START_FROM_HEALTHY = 0.95;
    private static final double START_BLIND = 0.5;
    private static final double DECREASE = 0.85;
    private static final double FAST_INCREASE = 1.2;
    private static final double SLOW_INCREASE = 1.02;
    private static final double FAST_BELOW_CEILING = 0.8;
    /** A budget cut for kernel drops grows back freely to this share of where they began. */
    private static final double DROP_CEILING_SHARE = 0.9;
    /** Growth a step above 90 % of where the kernel last dropped: 1.6× a second, back within two seconds of a cut. */
    private static final double ABOVE_DROPS_INCREASE = 1.05;
    /** Steps between admitting too much and the kernel's drops showing it (queue filling, sampling): one cut per that. */
    private static final int DROP_EFFECT_STEPS = 3;
    private static final int QUIET_STEPS_TO_OPEN = 10;
    /** The shortest span a carried rate is measured over (one check interval at the default 10 ms). */
    private static final double MIN_RATE_WINDOW_SECONDS = 0.01;
    private static final int CALM_STEPS_TO_PROBE = 2;
    private static final double BURST_SECONDS = 0.02;
    private static final long MAX_CATCH_UP_STEPS = 2 * HISTORY;
    private static final long BACKLOG_FACTOR = 10;
    private static final double FLOOR_SHARE_OF_START = 0.25;
    private static final double MAX_STEER_UP = 1.1;
    private static final double MAX_STEER_UP_WITH_ROOM = 1.3;
    private static final double MAX_STEER_DOWN = 0.9;
    /** A calm step teaches the cost of a call only with this many calls in it (fewer: fixed work dominates). */
    private static final int COST_SAMPLE_MIN_CALLS = 10;
    private static final double COST_SMOOTHING = 0.1;
    /** INVITEs arriving faster than this many times the highest calm rate are new load: a delay then is theirs. */
    static final double STALL_RATE_MARGIN = 1.2;
    /** A delay this many times the lag limit is an overload whatever its cause. */
    static final long STALL_LAG_FACTOR = 10;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OverloadShedder.class);

    private final OverloadConfig config;
    private final LoopLoad load;
    private final LongSupplier nanos;
    private final long intervalNanos;
    private final long maxLagNanos;
    private final LongAdder shed = new LongAdder();
    private final LongAdder ignoredStalls = new LongAdder();
    /** Whether the delay confirmed at the last check was one the calls did not cause (counted once per spell). */
    private boolean inIgnoredStall;

    private long lastCheck;
    private long overSince = -1;
    private boolean everOverloaded;
    private long lastOverloaded;
    private volatile long lastLagNanos;
    /** The larger of loop lag and socket backlog at the last check, and at the end of the last step. */
    private long lastSignal;
    private long signalAtStepEnd;

    /** Written under the lock, read without it by {@link #limiting()}. */
    private volatile boolean limiting;
    private double budget = Double.POSITIVE_INFINITY;
    private double ceiling;
    private double tokens;
    private long lastRefill;

    private long stepStart;
    /** When the first INVITE of this step was admitted, -1 before it. */
    private long firstAdmitInStep = -1;
    private int stepAdmitted;
    private int stepShed;
    private boolean stepOver;
    /** The kernel's count of datagrams dropped at the node's UDP sockets at the last check; -1 when not known. */
    private long lastKernelDrops = -1;
    /** Whether the kernel dropped datagrams at the node's sockets during this step. */
    private boolean stepDropped;
    /** While limiting: the budget when the kernel last dropped datagrams; NaN when it has not. */
    private double dropCeiling = Double.NaN;
    /** Steps since the budget was last cut for kernel drops, counted up to {@value #DROP_EFFECT_STEPS}. */
    private int stepsSinceDropCut = DROP_EFFECT_STEPS;
    private boolean previousStepCalm;
    private double previousStepRate;
    private int calmSteps;
    private int quietSteps;
    private double lastStepShare = 1.0;
    /** Admitted rates of calm steps, each confirmed by the calm step after it; NaN where not. */
    private final double[] healthyRates = new double[HISTORY];
    private int healthyNext;

    /** Per event loop: its thread's CPU time at the last sample, -1 when unknown. */
    private final long[] loopCpu;
    private long cpuSampledAt;
    /** The busiest loop's share of time spent working in the last step (smoothed over two), NaN when unknown. */
    private double utilization = Double.NaN;
    /** What one admitted call costs the busiest loop, in loop-seconds (learnt in calm steps), NaN until known. */
    private double costPerCall = Double.NaN;
    private double floor = FLOOR_CPS;

    /**
     * @param nanos a monotonic clock ({@code System::nanoTime}; a hand-moved one in tests)
     */
    public OverloadShedder(OverloadConfig config, LoopLoad load, LongSupplier nanos) {
        this.config = config;
        this.load = load;
        this.nanos = nanos;
        this.intervalNanos = config.interval().toNanos();
        this.maxLagNanos = config.maxLoopLag().toNanos();
        long now = nanos.getAsLong();
        this.lastCheck = now;
        this.stepStart = now;
        this.lastRefill = now;
        java.util.Arrays.fill(healthyRates, Double.NaN);
        this.loopCpu = new long[Math.max(0, load.loopCount())];
        // from the start: the first INVITE after an idle start then finds the loops' work of that spell known
        for (int i = 0; i < loopCpu.length; i++) {
            loopCpu[i] = load.loopCpuNanos(i);
        }
        this.cpuSampledAt = now;
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
            long now = nanos.getAsLong();
            advance(now);
            if (!limiting) {
                if (stepAdmitted++ == 0) {
                    firstAdmitInStep = now;
                }
                return true;
            }
            tokens = Math.min(Math.max(1.0, budget * BURST_SECONDS), tokens + budget * (now - lastRefill) / 1e9);
            lastRefill = now;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                stepAdmitted++;
                return true;
            }
            stepShed++;
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
            long now = nanos.getAsLong();
            advance(now);
            if (limiting && stepShed > 0) {
                lastOverloaded = now;
            }
            return everOverloaded && now - lastOverloaded <= window.toNanos();
        }
    }

    /**
     * Whether the budget is limiting now, so that {@link #admit()} may refuse; a volatile read, no lock. While it
     * is false, readers need not look at datagrams for the overload at all.
     */
    public boolean limiting() {
        return config.enabled() && limiting;
    }

    /** INVITEs shed so far. */
    public long shed() {
        return shed.sum();
    }

    /** Spells of event-loop delay that the node's calls did not cause, so nothing was shed for them. */
    public long ignoredStalls() {
        return ignoredStalls.sum();
    }

    /** The share of new INVITEs admitted in the last 100-ms step, 0..1 (1 when none came). */
    public synchronized double admittedShare() {
        return lastStepShare;
    }

    /** The admission budget in new INVITEs per second while limiting; infinite while every INVITE is admitted. */
    public synchronized double budgetPerSecond() {
        return limiting ? budget : Double.POSITIVE_INFINITY;
    }

    /** The busiest event loop's share of time spent working over the last step or two, 0..1; NaN when not measured. */
    public synchronized double loopUtilization() {
        return utilization;
    }

    /**
     * The rate of new calls at which the busiest loop would work the target share of its time, learnt from calm
     * steps; NaN until learnt (or when loop CPU time is not measured).
     */
    public synchronized double learntCapacityPerSecond() {
        return Double.isNaN(costPerCall) || costPerCall <= 0 ? Double.NaN : config.targetLoopUtilization() / costPerCall;
    }

    /** The worst loop lag seen at the last check, in nanoseconds. */
    public long lastLagNanos() {
        return lastLagNanos;
    }

    public long retryAfterSeconds() {
        return config.retryAfter().toSeconds();
    }

    private void advance(long now) {
        // the steps first: after a quiet spell (nothing calls in while no INVITE comes) the check then sees the
        // history and the loops' work of that spell, not of the last call before it
        long steps = (now - stepStart) / STEP_NANOS;
        if (steps > MAX_CATCH_UP_STEPS) {
            // After a long quiet spell: enough empty steps to open and age the history, then jump to now.
            stepStart = now - (now - stepStart) % STEP_NANOS - MAX_CATCH_UP_STEPS * STEP_NANOS;
        }
        while (now - stepStart >= STEP_NANOS) {
            endStep(stepStart + STEP_NANOS, now);
        }
        if (now - lastCheck >= intervalNanos) {
            lastCheck = now;
            check(now);
        }
    }

    private void check(long now) {
        long lag = load.worstLagNanos();
        // A socket read only in full reads has at least a read's worth waiting (16 datagrams: 2 ms at 8,000 a second),
        // not necessarily a long queue: measured on the harness at 2x, counting it from 50 ms on shed calls the node had
        // room for. Only a socket that has not emptied for ten times the lag limit counts: its reader cannot keep up.
        long backlog = load.worstBacklogNanos() / BACKLOG_FACTOR;
        lastLagNanos = lag;
        lastSignal = Math.max(lag, backlog);
        long drops = load.kernelDroppedDatagrams();
        boolean dropped = drops >= 0 && lastKernelDrops >= 0 && drops > lastKernelDrops;
        lastKernelDrops = drops;
        if (dropped) {
            stepDropped = true;
        }
        boolean over = dropped || lag >= maxLagNanos || backlog >= maxLagNanos || load.worstPendingTasks() >= config.maxLoopTasks();
        if (!over) {
            overSince = -1;
            inIgnoredStall = false;
            return;
        }
        if (overSince < 0) {
            overSince = now;
        }
        long confirmAfter = 2 * intervalNanos;
        // A lag of L says the loop has been past the limit for L - limit already: one late check can prove it.
        boolean confirmed = dropped || now - overSince >= confirmAfter || lag - maxLagNanos >= confirmAfter
            || backlog - maxLagNanos >= confirmAfter;
        if (!confirmed) {
            return;
        }
        stepOver = true;
        // a vendor's answer may have waited behind this delay, whatever caused it
        everOverloaded = true;
        lastOverloaded = now;
        if (limiting) {
            return;
        }
        if (notCausedByCalls(now, lag, backlog)) {
            if (!inIgnoredStall) {
                inIgnoredStall = true;
                ignoredStalls.increment();
                LOG.debug("event loops {} ms late while INVITEs are no new load and the busiest loop works {} of its time: not shed",
                    Math.max(lag, backlog) / 1_000_000, String.format("%.2f", utilization));
            }
            return;
        }
        inIgnoredStall = false;
        startLimiting(now);
    }

    /**
     * Whether a confirmed delay is one the node's calls did not cause: INVITEs arrive no faster than the highest
     * rate carried calmly in the last two seconds (with a margin, and the budget's floor on top), the busiest loop
     * works less than half the target share of its time, and the delay is short of {@link #STALL_LAG_FACTOR}× the
     * limit. False when the loops' CPU times are unknown.
     */
    private boolean notCausedByCalls(long now, long lag, long backlog) {
        double target = config.targetLoopUtilization();
        if (target <= 0 || Double.isNaN(utilization) || Math.max(lag, backlog) >= STALL_LAG_FACTOR * maxLagNanos) {
            return false;
        }
        double stepSeconds = STEP_NANOS / 1e9;
        double elapsed = Math.max(0, (now - stepStart) / 1e9);
        // this step so far and the whole step before it: a rate over at least 100 ms, not one call over a millisecond
        double recent = (previousStepRate * stepSeconds + stepAdmitted) / (stepSeconds + elapsed);
        // the budget never goes below the floor, so INVITEs within the floor of what was carried are no new load.
        // A node with no calm history (just started, or idle for two seconds) has nothing to compare a rate with:
        // its loops' work alone tells (a flood makes them work within a step; a fresh node's first calls meet the
        // JIT, which holds the cores while the loops idle: measured 121 ms late with the busiest loop at 29 %).
        double calm = highestHealthyRate();
        // the loops' work so far in this step too: a flood that began in it shows there before the step's sample
        double working = Math.max(utilization, utilizationSinceSample(now));
        return (calm == 0 || recent <= calm * STALL_RATE_MARGIN + FLOOR_CPS) && working < target / 2;
    }

    private void startLimiting(long now) {
        // The rate just carried: over this step since its first INVITE (calls that began mid-step, on a node that
        // was idle, came at their rate, not at their count over the whole step), and the step before.
        long since = firstAdmitInStep >= 0 ? firstAdmitInStep : stepStart;
        double elapsed = Math.max(MIN_RATE_WINDOW_SECONDS, (now - since) / 1e9);
        double carried = Math.max(previousStepRate, stepAdmitted / elapsed);
        double healthy = highestHealthyRate();
        double learnt = learntCapacityPerSecond();
        if (!Double.isNaN(learnt)) {
            budget = Math.min(learnt, carried * START_FROM_HEALTHY);
            ceiling = Math.max(learnt, carried);
        } else if (healthy > 0) {
            budget = Math.min(healthy, carried) * START_FROM_HEALTHY;
            ceiling = Math.min(healthy * 1.1, Math.max(carried, healthy));
        } else {
            budget = carried * START_BLIND;
            ceiling = carried;
        }
        budget = Math.max(FLOOR_CPS, budget);
        floor = Math.max(FLOOR_CPS, budget * FLOOR_SHARE_OF_START);
        limiting = true;
        tokens = 0;
        lastRefill = now;
        calmSteps = 0;
        quietSteps = 0;
    }

    private void endStep(long end, long now) {
        double rate = stepAdmitted / (STEP_NANOS / 1e9);
        sampleUtilization(now);
        int offered = stepAdmitted + stepShed;
        lastStepShare = offered == 0 ? 1.0 : (double) stepAdmitted / offered;
        if (!limiting) {
            if (!stepOver && stepAdmitted >= COST_SAMPLE_MIN_CALLS && utilization > 0) {
                double cost = utilization / rate;
                costPerCall = Double.isNaN(costPerCall) ? cost : costPerCall + COST_SMOOTHING * (cost - costPerCall);
            }
            if (!stepOver && previousStepCalm) {
                // The step before this one was calm and is now confirmed by this calm one: its rate was carried.
                healthyRates[healthyNext] = previousStepRate;
            } else {
                healthyRates[healthyNext] = Double.NaN;
            }
            healthyNext = (healthyNext + 1) % HISTORY;
        } else if (stepOver) {
            // Still over the limit, but the delay shrinks (by 2 % a step at least): the budget already drains the
            // queue, and cutting again would overshoot (the queue takes a while to drain). Otherwise cut.
            boolean draining = !stepDropped && lastSignal > 0 && lastSignal <= signalAtStepEnd * 49 / 50;
            boolean cutForDropsAlready = false;
            if (stepDropped) {
                // A cut shows in the drops only a few steps later (the socket's queue drains first, and the drops
                // are sampled once a step): one cut per that span, and the budget they were seen at is where
                // growth slows down.
                dropCeiling = budget;
                cutForDropsAlready = stepsSinceDropCut < DROP_EFFECT_STEPS;
                if (!cutForDropsAlready) {
                    stepsSinceDropCut = 0;
                }
            }
            if (!draining && !cutForDropsAlready) {
                // What was admitted at this budget proved too much: below it the budget may grow fast again.
                ceiling = Math.max(budget, rate);
                budget = Math.max(floor, budget * DECREASE);
            }
            calmSteps = 0;
            quietSteps = 0;
        } else {
            calmSteps++;
            if (stepShed > 0) {
                quietSteps = 0;
                lastOverloaded = end;
                double target = config.targetLoopUtilization();
                boolean delayLow = lastSignal < maxLagNanos / 4;
                if (target > 0 && utilization > 0) {
                    // Steer the busiest loop towards the target; up only while no delay builds (a delay already
                    // building is capacity in use), down whenever it works more than the target.
                    // A loop working under half the target has room for several times what it admits: the budget
                    // left far below what the node carries (a start measured while the loops stalled) climbs faster.
                    double maxUp = utilization < target / 2 ? MAX_STEER_UP_WITH_ROOM : MAX_STEER_UP;
                    double steer = Math.max(MAX_STEER_DOWN, Math.min(maxUp, target / utilization));
                    if (steer < 1.0 || delayLow) {
                        budget = Math.max(floor, steerUp(budget, steer));
                    }
                } else if (calmSteps >= CALM_STEPS_TO_PROBE && delayLow) {
                    // Probe only while the loops are well within their limit: a delay already building is capacity in use.
                    budget = steerUp(budget, budget < FAST_BELOW_CEILING * ceiling ? FAST_INCREASE : SLOW_INCREASE);
                }
            } else if (++quietSteps >= QUIET_STEPS_TO_OPEN) {
                limiting = false;
                budget = Double.POSITIVE_INFINITY;
                dropCeiling = Double.NaN;
            }
        }
        if (limiting && LOG.isDebugEnabled()) {
            LOG.debug("overload step: admitted {} shed {} over {} delay {} ms busiest loop {} budget {} floor {} learnt {}",
                stepAdmitted, stepShed, stepOver, lastSignal / 1_000_000, String.format("%.2f", utilization),
                Math.round(budget), Math.round(floor), Math.round(learntCapacityPerSecond()));
        }
        signalAtStepEnd = lastSignal;
        if (stepsSinceDropCut < DROP_EFFECT_STEPS) {
            stepsSinceDropCut++;
        }
        previousStepCalm = !stepOver;
        previousStepRate = rate;
        stepAdmitted = 0;
        firstAdmitInStep = -1;
        stepShed = 0;
        stepOver = false;
        stepDropped = false;
        stepStart = end;
    }

    /**
     * The budget times {@code factor}; above 90 % of the budget at which the kernel last dropped datagrams, growth is
     * held to {@value #ABOVE_DROPS_INCREASE}× a step (drops are seen only once the socket's queue is full, too late to
     * grow into them fast).
     */
    private double steerUp(double current, double factor) {
        double next = current * factor;
        if (factor <= 1.0 || Double.isNaN(dropCeiling)) {
            return next;
        }
        double freely = DROP_CEILING_SHARE * dropCeiling;
        return next <= freely ? next : Math.max(freely, Math.min(next, current * ABOVE_DROPS_INCREASE));
    }

    /** The busiest loop's working share since the last sample, smoothed with the one before; skipped when too recent. */
    private void sampleUtilization(long now) {
        long elapsed = now - cpuSampledAt;
        if (loopCpu.length == 0 || elapsed < STEP_NANOS / 2) {
            return;
        }
        double busiest = busiestShareSinceSample(elapsed, true);
        cpuSampledAt = now;
        if (!Double.isNaN(busiest)) {
            utilization = Double.isNaN(utilization) || elapsed > 2 * STEP_NANOS ? busiest : (utilization + busiest) / 2;
        }
    }

    /** The busiest loop's working share since the last sample (read only, the sample stays); 0 when too recent to tell. */
    private double utilizationSinceSample(long now) {
        long elapsed = now - cpuSampledAt;
        if (elapsed < STEP_NANOS / 10) {
            return 0;
        }
        double busiest = busiestShareSinceSample(elapsed, false);
        return Double.isNaN(busiest) ? 0 : busiest;
    }

    /**
     * The largest share of {@code elapsed} a loop worked since the last sample, NaN when none is measured;
     * {@code keep}: the CPU times read become the new sample.
     */
    private double busiestShareSinceSample(long elapsed, boolean keep) {
        double busiest = Double.NaN;
        for (int i = 0; i < loopCpu.length; i++) {
            long cpu = load.loopCpuNanos(i);
            if (cpu >= 0 && loopCpu[i] >= 0) {
                double u = Math.min(1.0, (double) (cpu - loopCpu[i]) / elapsed);
                busiest = Double.isNaN(busiest) ? u : Math.max(busiest, u);
            }
            if (keep) {
                loopCpu[i] = cpu;
            }
        }
        return busiest;
    }

    private double highestHealthyRate() {
        double best = 0;
        for (double r : healthyRates) {
            if (!Double.isNaN(r) && r > best) {
                best = r;
            }
        }
        return best;
    }
}
