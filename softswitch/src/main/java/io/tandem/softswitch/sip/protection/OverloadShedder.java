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
 * last two seconds, or blind at a quarter of the rate it was just carrying. A start measured on fewer than
 * {@value #COST_SAMPLE_MIN_CALLS} INVITEs (the overload confirmed as a flood began) is made again from the INVITEs
 * offered in the spell's first full step.
 *
 * <p>The loops' cost is the node's only where the loops are what runs out. Where other threads or processes share the
 * cores (the database, the collector, the capture thread, a load generator), the loops do a fraction of a call's
 * work and the capacity they teach is several times too high (measured on a 2-core machine: 6,400–9,900 CPS learnt
 * on a node that carried about 1,900, so each overload began by admitting three times too much). So the learnt start
 * is capped by what the node has shown it carries, the highest rate it carried through {@value CarriedRates#PROVEN_OPEN_STEPS} calm
 * steps in a row while open ({@value CarriedRates#SUSTAINED_STEPS} while limiting; a flood's first second or two look calm, its
 * calls' later work not come yet), remembered with a half-life of
 * {@value CarriedRates#PROVEN_HALF_LIFE_SECONDS} s: {@value CarriedRates#START_ABOVE_LIMITED}× what it held while limiting when that is at least
 * what it carried open and no more than a budget that spell found too much (a budget that held), else
 * {@value CarriedRates#START_ABOVE_OPEN}× what it carried open (only a lower bound) when that was at least
 * {@value CarriedRates#SHOWN_OPEN_RATE} CPS, else the blind start.
 * Once a limiting spell has proven a capacity so, the budget grows freely up to it and by 5 % a step above it.
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
 * there by 5 % a step (once a spell is overloaded at its floor, the highest budget drops were seen at in it: the drops
 * that followed the budget down showed the machine). A step that admitted under {@value #MIN_ADMITTED_SHARE} of its
 * INVITEs is the flood's own overload (reading and refusing it): it cuts nothing.
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
 * whatever its cause: by then UDP clients retransmit; so do datagrams the kernel dropped, which are lost whatever held
 * the cores. "Carried calmly" means through {@value CarriedRates#SUSTAINED_STEPS} calm steps in a row: a flood's first steps
 * look calm until the lag or the drops show it, and counted as carried they made the flood look like no new load.
 *
 * <p>Memory: a few numbers and a 20-entry ring; a shed INVITE leaves nothing behind. Thread-safe (one
 * short lock per new INVITE).
 */
public final class OverloadShedder {
    static final double FLOOR_CPS = AdmissionBudget.FLOOR_CPS;
    private static final long STEP_NANOS = 100_000_000L;
    static final int DROP_EFFECT_STEPS = AdmissionBudget.DROP_EFFECT_STEPS;
    /** The shortest span a carried rate is measured over (one check interval at the default 10 ms). */
    private static final double MIN_RATE_WINDOW_SECONDS = 0.01;
    private static final long MAX_CATCH_UP_STEPS = 2 * CarriedRates.HISTORY;
    private static final long BACKLOG_FACTOR = 10;
    /** A calm step teaches the cost of a call only with this many calls in it (fewer: fixed work dominates). */
    private static final int COST_SAMPLE_MIN_CALLS = 10;
    private static final double COST_SMOOTHING = 0.1;
    /** INVITEs arriving faster than this many times the highest calm rate are new load: a delay then is theirs. */
    static final double STALL_RATE_MARGIN = 1.2;
    /** A delay this many times the lag limit is an overload whatever its cause. */
    static final long STALL_LAG_FACTOR = 10;
    /**
     * A step that admitted less than this share of its INVITEs did little but refuse: its overload is the flood's own
     * (reading and answering it), not the admitted calls'. An admitted call costs the node 20-50 refusals, so 1 % of
     * the INVITEs is at most a third of its work; more, and a flood many times the budget (an attack) must not keep
     * the budget from being cut when its calls are what overloads the node.
     */
    static final double MIN_ADMITTED_SHARE = 0.01;
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
    private long overSince;
    private boolean everOverloaded;
    private long lastOverloaded;
    private volatile long lastLagNanos;
    /** The larger of loop lag and socket backlog at the last check, and at the end of the last step. */
    private long lastSignal;
    private long signalAtStepEnd;

    /** Written under the lock, read without it by {@link #limiting()}. */
    private volatile boolean limiting;
    private AdmissionBudget budget;

    private long stepStart;
    /** When the first INVITE of this step was admitted, -1 before it. */
    private long firstAdmitInStep;
    private int stepAdmitted;
    private int stepShed;
    private boolean stepOver;
    /** The kernel's count of datagrams dropped at the node's UDP sockets at the last check; -1 when not known. */
    private long lastKernelDrops = -1;
    /** Whether the kernel dropped datagrams at the node's sockets during this step. */
    private boolean stepDropped;
    private double previousStepRate;
    private double lastStepShare;

    /**
     * Whether this limiting spell's start was measured on fewer than {@value #COST_SAMPLE_MIN_CALLS} INVITEs, so its first
     * full step makes it again from the INVITEs offered in that step ({@link #restartFromOffered}).
     */
    private boolean startUnmeasured;
    private long limitingSince;

    private LoopWorkMeter loopWork;
    /** What one admitted call costs the busiest loop, in loop-seconds (learnt in calm steps), NaN until known. */
    private double costPerCall;
    private CarriedRates carriedRates;

    /**
     * @param nanos a monotonic clock ({@code System::nanoTime}; a hand-moved one in tests)
     */
    public OverloadShedder(OverloadConfig config, LoopLoad load, LongSupplier nanos) {
        this.config = config;
        this.load = load;
        this.nanos = nanos;
        this.intervalNanos = config.interval().toNanos();
        this.maxLagNanos = config.maxLoopLag().toNanos();
        startFromScratch(nanos.getAsLong());
    }

    public OverloadConfig config() {
        return config;
    }

    /**
     * Forgets all it learnt: the rates carried, what a call costs, any overload and limiting spell (the counters of
     * INVITEs shed and stalls ignored stay). For the end of the built-in warm-up: its calls were the node's own, over
     * loopback, on cold code and answered 503, and remembered as a rate carried calmly they made the first real calls
     * a new load, so that the JIT's first stall under them was an overload (measured: the harness's first 30 s at 609
     * CPS lost 388-1,289 INVITEs to 503s).
     */
    public synchronized void forgetHistory() {
        startFromScratch(nanos.getAsLong());
    }

    /** Everything learnt and every step counted, as a new shedder has them; the counters of shed and ignored stay. */
    private void startFromScratch(long now) {
        budget = new AdmissionBudget();
        carriedRates = new CarriedRates();
        loopWork = new LoopWorkMeter(load, STEP_NANOS, now);
        costPerCall = Double.NaN;
        limiting = false;
        startUnmeasured = false;
        everOverloaded = false;
        lastOverloaded = 0;
        overSince = -1;
        inIgnoredStall = false;
        lastCheck = now;
        lastSignal = 0;
        signalAtStepEnd = 0;
        stepStart = now;
        firstAdmitInStep = -1;
        stepAdmitted = 0;
        stepShed = 0;
        stepOver = false;
        stepDropped = false;
        previousStepRate = 0;
        lastStepShare = 1.0;
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
            if (budget.take(now)) {
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
        return limiting ? budget.perSecond() : Double.POSITIVE_INFINITY;
    }

    /** The busiest event loop's share of time spent working over the last step or two, 0..1; NaN when not measured. */
    public synchronized double loopUtilization() {
        return loopWork.utilization();
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
        // datagrams the kernel dropped are calls lost whatever held the cores: never a delay to sit out
        if (!dropped && notCausedByCalls(now, lag, backlog)) {
            if (!inIgnoredStall) {
                inIgnoredStall = true;
                ignoredStalls.increment();
                LOG.debug("event loops {} ms late while INVITEs are no new load and the busiest loop works {} of its time: not shed",
                    Math.max(lag, backlog) / 1_000_000, String.format("%.2f", loopWork.utilization()));
            }
            return;
        }
        inIgnoredStall = false;
        if (LOG.isDebugEnabled()) {
            LOG.debug("overload confirmed: kernel drops {}, lag {} ms, backlog {} ms, tasks {}, busiest loop working {} (so far in this step {})",
                dropped, lag / 1_000_000, backlog / 1_000_000, load.worstPendingTasks(), String.format("%.2f", loopWork.utilization()),
                String.format("%.2f", loopWork.sinceSample(now)));
        }
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
        double utilization = loopWork.utilization();
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
        double calm = carriedRates.highestCalmRate();
        // the loops' work so far in this step too: a flood that began in it shows there before the step's sample
        double working = Math.max(utilization, loopWork.sinceSample(now));
        return (calm == 0 || recent <= calm * STALL_RATE_MARGIN + FLOOR_CPS) && working < target / 2;
    }

    private void startLimiting(long now) {
        // The rate just carried: over this step since its first INVITE (calls that began mid-step, on a node that
        // was idle, came at their rate, not at their count over the whole step), and the step before.
        long since = firstAdmitInStep >= 0 ? firstAdmitInStep : stepStart;
        double elapsed = Math.max(MIN_RATE_WINDOW_SECONDS, (now - since) / 1e9);
        double carried = Math.max(previousStepRate, stepAdmitted / elapsed);
        double learnt = learntCapacityPerSecond();
        CarriedRates.Start start = carriedRates.start(now, carried, learnt);
        budget.start(start.perSecond(), start.ceiling(), start.proven(), now);
        limiting = true;
        limitingSince = now;
        startUnmeasured = previousStepRate * STEP_NANOS / 1e9 < COST_SAMPLE_MIN_CALLS && stepAdmitted < COST_SAMPLE_MIN_CALLS;
        if (LOG.isDebugEnabled()) {
            LOG.debug("overload: limiting from {} CPS (carried {}, calm in the last 2 s {}, learnt {}, sustained while open {}, while limiting {})",
                Math.round(budget.perSecond()), Math.round(carried), Math.round(carriedRates.highestCalmRate()), Math.round(learnt),
                Math.round(carriedRates.openAt(now)), Math.round(carriedRates.limitingAt(now)));
        }
    }

    /**
     * Makes the start of a limiting spell again, once, at the end of its first full step, when it was measured on fewer
     * than {@value #COST_SAMPLE_MIN_CALLS} INVITEs: the node was open until the overload was confirmed, so the INVITEs
     * offered in that step are what it would have carried, measured over 100 ms instead of a few. Only ever raises the
     * budget. Measured: a README node's second flood at 4x began in a 254-ms stall, the overload was confirmed after one
     * INVITE ("31 CPS carried"), and its budget started at the 10-CPS floor while 7,000 INVITEs a second were offered:
     * 881 CPS over the 10 s, the budget back at 1,500 only after 8 s. True when it did (the step then moves the budget
     * no further); false when the start stands, and the step moves it as any other.
     */
    private boolean restartFromOffered(int offered, long end) {
        startUnmeasured = false;
        double offeredRate = offered / (STEP_NANOS / 1e9);
        CarriedRates.Start start = carriedRates.start(end, offeredRate, learntCapacityPerSecond());
        if (start.perSecond() <= budget.perSecond()) {
            return false;
        }
        budget.start(start.perSecond(), start.ceiling(), start.proven(), end);
        return true;
    }

    private void endStep(long end, long now) {
        double rate = stepAdmitted / (STEP_NANOS / 1e9);
        carriedRates.step(rate, !stepOver, limiting, stepShed > 0, budget.tooMuchAt(), end);
        loopWork.sample(now);
        double utilization = loopWork.utilization();
        int offered = stepAdmitted + stepShed;
        lastStepShare = offered == 0 ? 1.0 : (double) stepAdmitted / offered;
        if (!limiting) {
            if (!stepOver && stepAdmitted >= COST_SAMPLE_MIN_CALLS && utilization > 0) {
                double cost = utilization / rate;
                costPerCall = Double.isNaN(costPerCall) ? cost : costPerCall + COST_SMOOTHING * (cost - costPerCall);
            }
        } else if (startUnmeasured && stepStart >= limitingSince && restartFromOffered(offered, end)) {
            LOG.debug("overload: started again from {} CPS, measured on the {} INVITEs offered in its first full step",
                Math.round(budget.perSecond()), offered);
        } else if (stepOver) {
            // Still over the limit, but the delay shrinks (by 2 % a step at least): the budget already drains the
            // queue. Datagrams the kernel dropped are never a queue that drains.
            boolean draining = !stepDropped && lastSignal > 0 && lastSignal <= signalAtStepEnd * 49 / 50;
            if (stepShed > 0 && stepAdmitted < MIN_ADMITTED_SHARE * offered) {
                // Refusing the flood is all the node does: admitting fewer would free nothing (measured on a README
                // node at 4x: the kernel dropped a flood's first burst while 3 of 656 INVITEs were admitted, and
                // growth was held 5 % a step above the 40 CPS budget the drops were seen at)
                budget.refusingOverloadedStep();
            } else {
                budget.overloadedStep(stepDropped, draining, rate);
            }
        } else if (stepShed > 0) {
            lastOverloaded = end;
            budget.calmSheddingStep(utilization, config.targetLoopUtilization(), lastSignal < maxLagNanos / 4,
                carriedRates.provenCapacity(end));
        } else if (budget.quietStep()) {
            limiting = false;
        }
        if (limiting && LOG.isDebugEnabled()) {
            LOG.debug("overload step: admitted {} shed {} over {} delay {} ms busiest loop {} budget {} floor {} learnt {}",
                stepAdmitted, stepShed, stepOver, lastSignal / 1_000_000, String.format("%.2f", utilization),
                Math.round(budget.perSecond()), Math.round(budget.floor()), Math.round(learntCapacityPerSecond()));
        }
        signalAtStepEnd = lastSignal;
        previousStepRate = rate;
        stepAdmitted = 0;
        firstAdmitInStep = -1;
        stepShed = 0;
        stepOver = false;
        stepDropped = false;
        stepStart = end;
    }
}
