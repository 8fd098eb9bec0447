package io.tandem.softswitch.sip.protection;

/**
 * The rate (new INVITEs per second) {@link OverloadShedder} admits while it limits, and how each 100-ms step moves
 * it: a token bucket with 20 ms of burst, cut when a step stays overloaded, steered towards the target loop
 * utilization in calm steps, held below where the kernel began dropping datagrams. The table of moves is on
 * {@link OverloadShedder}. Not thread-safe: the shedder calls it under its lock.
 */
final class AdmissionBudget {
    static final double FLOOR_CPS = 10;
    private static final double DECREASE = 0.85;
    private static final double FAST_INCREASE = 1.2;
    private static final double SLOW_INCREASE = 1.02;
    private static final double FAST_BELOW_CEILING = 0.8;
    /** A budget cut for kernel drops grows back freely to this share of where they began. */
    private static final double DROP_CEILING_SHARE = 0.9;
    /**
     * Growth a step above 90 % of where the kernel last dropped, or above the capacity a limiting spell proved: 1.6× a
     * second, back within two seconds of a cut.
     */
    private static final double SLOW_INCREASE_ABOVE = 1.05;
    /** Steps between admitting too much and the kernel's drops showing it (queue filling, sampling): one cut per that. */
    static final int DROP_EFFECT_STEPS = 3;
    private static final int QUIET_STEPS_TO_OPEN = 10;
    private static final int CALM_STEPS_TO_PROBE = 2;
    private static final double BURST_SECONDS = 0.02;
    private static final double FLOOR_SHARE_OF_START = 0.25;
    private static final double MAX_STEER_UP = 1.1;
    private static final double MAX_STEER_UP_WITH_ROOM = 1.3;
    private static final double MAX_STEER_DOWN = 0.9;

    private double perSecond = Double.POSITIVE_INFINITY;
    /** The budget last seen to be too much (or the rate carried when limiting began): below it, probing is fast. */
    private double ceiling;
    private double floor = FLOOR_CPS;
    private double tokens;
    private long lastRefill;
    /** The capacity a limiting spell has proven, above which the budget grows slowly; NaN while none is proven. */
    private double provenCapacity = Double.NaN;
    /** The budget when the kernel last dropped datagrams; NaN when it has not since limiting began. */
    private double dropCeiling = Double.NaN;
    /** The highest budget at which this spell saw the kernel drop datagrams above its floor; NaN while none. */
    private double highestDropCeiling = Double.NaN;
    /** The highest budget this spell found too much (cut for an overload at it); NaN while none was. */
    private double tooMuchAt = Double.NaN;
    /** Whether this spell stayed overloaded with the budget at its floor. */
    private boolean overloadedAtFloor;
    /** Steps since the budget was last cut for kernel drops, counted up to {@value #DROP_EFFECT_STEPS}. */
    private int stepsSinceDropCut = DROP_EFFECT_STEPS;
    private int calmSteps;
    private int quietSteps;

    /**
     * Starts limiting at {@code start} CPS (at least the floor); {@code ceiling}: the rate believed too much;
     * {@code provenCapacity}: the capacity a limiting spell has proven, NaN or 0 when none.
     */
    void start(double start, double ceiling, double provenCapacity, long now) {
        this.provenCapacity = provenCapacity > 0 ? provenCapacity : Double.NaN;
        perSecond = Math.max(FLOOR_CPS, start);
        this.ceiling = ceiling;
        floor = Math.max(FLOOR_CPS, perSecond * FLOOR_SHARE_OF_START);
        tokens = 0;
        lastRefill = now;
        dropCeiling = Double.NaN;
        highestDropCeiling = Double.NaN;
        tooMuchAt = Double.NaN;
        overloadedAtFloor = false;
        stepsSinceDropCut = DROP_EFFECT_STEPS;
        calmSteps = 0;
        quietSteps = 0;
    }

    /** The budget in new INVITEs per second; infinite before the first start. */
    double perSecond() {
        return perSecond;
    }

    double floor() {
        return floor;
    }

    /**
     * The highest budget this limiting spell has found too much (an overloaded step cut it there); NaN while none has,
     * and once the spell stayed overloaded at its floor. A rate held below it is a capacity; one held by a budget that
     * was never too much is a lower bound, and a spell whose node was late whatever it admitted proves nothing
     * (measured: a fresh README node's first flood met the JIT, its budget cut from 985 CPS to the floor, 246, while
     * the socket's backlog grew all the same; the 459 CPS it then held became the next overload's start).
     */
    double tooMuchAt() {
        return overloadedAtFloor ? Double.NaN : tooMuchAt;
    }

    /** Takes a token for one INVITE when the bucket has one. */
    boolean take(long now) {
        tokens = Math.min(Math.max(1.0, perSecond * BURST_SECONDS), tokens + perSecond * (now - lastRefill) / 1e9);
        lastRefill = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /**
     * A step that ended still overloaded. {@code draining}: its delay shrank (and nothing was dropped), so the budget
     * already drains the queue and cutting again would overshoot. {@code dropped}: the kernel dropped datagrams in it.
     * {@code admittedRate}: what the step admitted, per second.
     */
    void overloadedStep(boolean dropped, boolean draining, double admittedRate) {
        boolean cutForDropsAlready = false;
        boolean atFloor = perSecond <= floor;
        if (atFloor && !Double.isNaN(highestDropCeiling)) {
            // Overloaded at its floor: late whatever it admits, the machine lends the node no CPU (another process, the
            // JIT). The drops that followed the budget down on its way there showed the machine, not the budget, so
            // growth slows again only near the highest budget they were seen at (measured with overload.sh at 2x:
            // another process starved the node, drops at each cut left the level at the 228-CPS floor, and the budget
            // took four seconds at 5 % a step to reach 1,600 once the starvation had passed: 964 CPS over the 10 s).
            dropCeiling = highestDropCeiling;
        }
        if (dropped) {
            // A cut shows in the drops only a few steps later (the socket's queue drains first, and the drops are
            // sampled once a step): one cut per that span, and the budget they were seen at is where growth slows.
            if (!atFloor) {
                dropCeiling = perSecond;
                highestDropCeiling = Double.isNaN(highestDropCeiling) ? perSecond : Math.max(highestDropCeiling, perSecond);
            } else if (Double.isNaN(dropCeiling)) {
                dropCeiling = perSecond;
            }
            cutForDropsAlready = stepsSinceDropCut < DROP_EFFECT_STEPS;
            if (!cutForDropsAlready) {
                stepsSinceDropCut = 0;
            }
        }
        if (!draining && !cutForDropsAlready) {
            // What was admitted at this budget proved too much: below it the budget may grow fast again.
            ceiling = Math.max(perSecond, admittedRate);
            if (perSecond <= floor) {
                overloadedAtFloor = true;
            } else if (!(perSecond <= tooMuchAt)) {
                tooMuchAt = perSecond;
            }
            perSecond = Math.max(floor, perSecond * DECREASE);
        }
        calmSteps = 0;
        quietSteps = 0;
        endStep();
    }

    /**
     * A step that ended overloaded while the node did little but refuse INVITEs: the budget is not what overloads it, so
     * it is neither cut nor marked too much there, and the drops are not where growth slows; it only is no calm step.
     */
    void refusingOverloadedStep() {
        calmSteps = 0;
        quietSteps = 0;
        endStep();
    }

    /**
     * A calm step in which INVITEs were shed: steers the busiest loop's {@code utilization} towards {@code target}
     * (both NaN or 0 when loop CPU is not measured); up only while {@code delayLow}. {@code provenNow}: the capacity
     * limiting spells have proven by now (0 when none).
     */
    void calmSheddingStep(double utilization, double target, boolean delayLow, double provenNow) {
        if (provenNow > 0 && !(provenNow <= provenCapacity)) {
            provenCapacity = provenNow;
        }
        calmSteps++;
        quietSteps = 0;
        if (target > 0 && utilization > 0) {
            // Up only while no delay builds (a delay already building is capacity in use), down whenever the loop
            // works more than the target. A loop working under half the target has room for several times what it
            // admits: a budget left far below what the node carries (a start measured while the loops stalled)
            // climbs faster.
            double maxUp = utilization < target / 2 ? MAX_STEER_UP_WITH_ROOM : MAX_STEER_UP;
            double steer = Math.max(MAX_STEER_DOWN, Math.min(maxUp, target / utilization));
            if (steer < 1.0 || delayLow) {
                perSecond = Math.max(floor, steerUp(perSecond, steer));
            }
        } else if (calmSteps >= CALM_STEPS_TO_PROBE && delayLow) {
            // Probe only while the loops are well within their limit: a delay already building is capacity in use.
            perSecond = steerUp(perSecond, perSecond < FAST_BELOW_CEILING * ceiling ? FAST_INCREASE : SLOW_INCREASE);
        }
        endStep();
    }

    /** A calm step that shed nothing; true when enough came in a row that the offered load fits: stop limiting. */
    boolean quietStep() {
        calmSteps++;
        endStep();
        if (++quietSteps < QUIET_STEPS_TO_OPEN) {
            return false;
        }
        perSecond = Double.POSITIVE_INFINITY;
        return true;
    }

    private void endStep() {
        if (stepsSinceDropCut < DROP_EFFECT_STEPS) {
            stepsSinceDropCut++;
        }
    }

    /**
     * The budget times {@code factor}; growth is held to {@value #SLOW_INCREASE_ABOVE}× a step above 90 % of the budget
     * at which the kernel last dropped datagrams (drops are seen only once the socket's queue is full, too late to grow
     * into them fast), and above the capacity a limiting spell proved: its loops can look idle while
     * what else holds the cores (the database, the collector, another process) shows as lag or drops only steps later
     * (measured: a budget grown from 4,300 to 8,000 CPS in five such steps on a node that carried 1,900).
     */
    private double steerUp(double current, double factor) {
        double next = current * factor;
        double freely = Math.min(Double.isNaN(dropCeiling) ? Double.POSITIVE_INFINITY : DROP_CEILING_SHARE * dropCeiling,
            Double.isNaN(provenCapacity) ? Double.POSITIVE_INFINITY : provenCapacity);
        if (factor <= 1.0 || Double.isInfinite(freely)) {
            return next;
        }
        return next <= freely ? next : Math.max(freely, Math.min(next, current * SLOW_INCREASE_ABOVE));
    }
}
