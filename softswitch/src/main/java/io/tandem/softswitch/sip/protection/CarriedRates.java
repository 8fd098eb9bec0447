package io.tandem.softswitch.sip.protection;

/**
 * What {@link OverloadShedder} knows of the rates (new INVITEs per second) the node has carried calmly, counted once per
 * 100-ms step: the highest of the last two seconds, for telling a delay the calls did not cause, and what the node has
 * shown and proven it carries, for where an overload's budget starts and how fast it grows. A rate counts only when a
 * run of calm steps carried it (the lowest of them): a flood's first steps look calm until the lag, the backlog or the
 * kernel's drops show it. Not thread-safe: the shedder calls it under its lock.
 */
final class CarriedRates {
    /** Steps of calm rates kept for {@link #highestCalmRate()}: two seconds. */
    static final int HISTORY = 20;
    /**
     * Calm steps in a row that show a rate carried calmly (the lowest of them): for telling a delay the calls did not
     * cause, and, while limiting, for the capacity a spell proves (the budget already holds the rate steady).
     */
    static final int SUSTAINED_STEPS = 10;
    /**
     * Calm steps in a row that prove a rate carried while open, for where an overload's budget starts: a flood's first
     * second or more looks calm, since the calls' later messages, records and settlements come a hold time after their
     * INVITEs (measured on the 2-core box: a 2× flood's first second carried at 1,530 CPS and more before anything
     * showed, and a budget started at twice that).
     */
    static final int PROVEN_OPEN_STEPS = 30;
    /** The start cap and the proven capacity: this many times the highest rate held while limiting. */
    static final double START_ABOVE_LIMITED = 1.05;
    /** Before a limiting spell proved a capacity, the start cap: this many times the highest rate carried open. */
    static final double START_ABOVE_OPEN = 2.0;
    static final long PROVEN_HALF_LIFE_SECONDS = 600;
    /** A learnt start is at most this share of the rate carried when the overload was confirmed. */
    static final double START_FROM_HEALTHY = 0.95;
    /** A node that knows nothing else starts its budget at this share of the rate it was carrying. */
    static final double START_BLIND = 0.25;
    /** A rate carried open below this shows nothing of the node's capacity (ten calls a step). */
    static final double SHOWN_OPEN_RATE = 100;

    /** Sustained rates of the last {@value #HISTORY} open steps; NaN where a step had none. */
    private final double[] calmRates = new double[HISTORY];
    private int calmNext;
    /** The highest rate carried through a run of calm steps while open / while limiting and shedding. */
    private final FadingHighest open = new FadingHighest();
    private final FadingHighest limiting = new FadingHighest();
    /** The admitted rates of the current run of calm steps, all open or all limiting ({@link #runLimiting}). */
    private final double[] run = new double[PROVEN_OPEN_STEPS];
    private int runLength;
    private boolean runLimiting;

    CarriedRates() {
        java.util.Arrays.fill(calmRates, Double.NaN);
    }

    /**
     * Counts a step that admitted {@code rate} into the run of calm steps (all open, or all limiting and shedding: while
     * limiting, a step that shed nothing carried only what was offered, the budget held nothing back). Once
     * {@value #SUSTAINED_STEPS} came in a row, the lowest of them was carried calmly, and while limiting, the spell
     * proves it when it is no more than {@code tooMuchAt}, the highest budget the spell found too much (NaN: none, or
     * the spell proves nothing): a budget never found too much held only a lower bound (measured: a README node's first
     * overload, its budget cut only at its start, 38 CPS, then climbing all along, "proved" 191 CPS and held its next
     * overload's budget there); while open, the lowest of the last {@value #PROVEN_OPEN_STEPS} proves a rate.
     */
    void step(double rate, boolean calm, boolean whileLimiting, boolean shedAny, double tooMuchAt, long end) {
        boolean counts = calm && !(whileLimiting && !shedAny);
        if (!counts || whileLimiting != runLimiting) {
            runLength = 0;
            runLimiting = whileLimiting;
        }
        double sustained = Double.NaN;
        if (counts) {
            run[runLength % run.length] = rate;
            runLength++;
            sustained = lowestOfLast(SUSTAINED_STEPS);
            if (whileLimiting) {
                if (sustained <= tooMuchAt) {
                    limiting.carried(sustained, end);
                }
            } else {
                double proven = lowestOfLast(PROVEN_OPEN_STEPS);
                if (!Double.isNaN(proven)) {
                    open.carried(proven, end);
                }
            }
        }
        if (!whileLimiting) {
            calmRates[calmNext] = sustained;
            calmNext = (calmNext + 1) % HISTORY;
        }
    }

    /** The highest rate carried calmly while open in the last {@value #HISTORY} open steps; 0 when none. */
    double highestCalmRate() {
        double best = 0;
        for (double r : calmRates) {
            if (!Double.isNaN(r) && r > best) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Where a start is capped: the {@link #provenCapacity} when there is one, else {@value #START_ABOVE_OPEN}× what the
     * node carried open (only a lower bound), when that was at least {@value #SHOWN_OPEN_RATE} CPS; else
     * {@code blindStart}, the start of a node that knows nothing: a node that carried 20 CPS before its first flood has
     * shown nothing of its capacity (measured: a README node started its first overload at 38 CPS and carried 267-605
     * CPS at 4x).
     */
    double startCap(long now, double blindStart) {
        return startCap(provenCapacity(now), open.at(now), blindStart);
    }

    private static double startCap(double proven, double openNow, double blindStart) {
        if (proven > 0) {
            return proven;
        }
        return showedACapacity(proven, openNow) ? START_ABOVE_OPEN * openNow : blindStart;
    }

    /**
     * Whether the node has shown something of its capacity: a limiting spell proved one, or it carried at least
     * {@value #SHOWN_OPEN_RATE} CPS open (ten calls a step, what it takes to learn a call's cost).
     */
    private static boolean showedACapacity(double proven, double openNow) {
        return proven > 0 || openNow >= SHOWN_OPEN_RATE;
    }

    /** Where a limiting spell's budget starts, the rate believed too much, and the capacity proven by then (0: none). */
    record Start(double perSecond, double ceiling, double proven) {
    }

    /**
     * Where the budget starts for an overload confirmed while the node was carrying {@code carried} CPS, its loops
     * having taught a capacity of {@code learnt} (NaN when not learnt): the learnt capacity (at most
     * {@value #START_FROM_HEALTHY} of what it was carrying, capped by {@link #startCap} and never below a proven
     * capacity); else what it carried calmly in the last two seconds; else blind, at {@value #START_BLIND} of what it
     * was carrying.
     */
    Start start(long now, double carried, double learnt) {
        // The start of a node that knows nothing else. Low: a budget started too high builds a queue that takes seconds
        // to drain, while one started low grows 1.3x a step while the loops have room (measured on a README node at
        // 4x, starts at half the rate carried: 2,080 and 2,785 CPS, PDD p50 0.2 and 4.1 s).
        double blind = carried * START_BLIND;
        double healthy = highestCalmRate();
        double proven = provenCapacity(now);
        double openNow = open.at(now);
        double start;
        double ceiling;
        if (!Double.isNaN(learnt)) {
            start = Math.min(learnt, carried * START_FROM_HEALTHY);
            double cap = startCap(proven, openNow, blind);
            if (cap > 0) {
                start = Math.min(start, cap);
            }
            // An overload confirmed before the node carried much (the kernel dropped a flood's first burst) starts at
            // what a spell proved, not at the few calls it took first (measured: 80 CPS from 84 carried, 475 proven)
            start = Math.max(start, Math.min(learnt, proven));
            ceiling = Math.max(learnt, carried);
        } else if (healthy > 0) {
            // what the node carried calmly just before, unless it has shown nothing of its capacity: then as blind as
            // a node with no history
            start = Math.min(healthy, carried) * START_FROM_HEALTHY;
            if (!showedACapacity(proven, openNow)) {
                start = Math.max(start, blind);
            }
            ceiling = Math.min(healthy * 1.1, Math.max(carried, healthy));
        } else {
            start = blind;
            ceiling = carried;
        }
        return new Start(start, Math.max(ceiling, start), proven);
    }

    /**
     * The node's capacity as a limiting spell has proven it, above which the budget grows only slowly:
     * {@value #START_ABOVE_LIMITED}× the highest rate held through a run of calm steps while limiting, when that is at
     * least what the node carried open; 0 otherwise. What a node carried open is only a lower bound (holding growth
     * there left a first overload's budget at 82 % of what the node carries, measured at 2×), and a spell that held
     * less than that was a stall (a fresh node's JIT), not a capacity: measured, a warm-up's 545 CPS held the next
     * overload's budget down. A rate under {@value #SHOWN_OPEN_RATE} CPS held while limiting shows no capacity, as one
     * carried open does not: measured, a fresh node's 2,000-CPS flood met the JIT, its budget held 20 CPS, and the next
     * overload, a 609-CPS load the node carries with ease, started at 21 CPS and grew 5 % a step: 3,535 of 18,270 calls
     * refused.
     */
    double provenCapacity(long now) {
        double held = limiting.at(now);
        return held >= SHOWN_OPEN_RATE && held >= open.at(now) ? START_ABOVE_LIMITED * held : 0;
    }

    /** The highest rate carried through a run of calm steps while open, faded; 0 when none. */
    double openAt(long now) {
        return open.at(now);
    }

    /** The highest rate held through a run of calm steps while limiting, faded; 0 when none. */
    double limitingAt(long now) {
        return limiting.at(now);
    }

    /** The lowest rate of the last {@code steps} steps of the run; NaN while the run is shorter. */
    private double lowestOfLast(int steps) {
        if (runLength < steps) {
            return Double.NaN;
        }
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 1; i <= steps; i++) {
            lowest = Math.min(lowest, run[(runLength - i) % run.length]);
        }
        return lowest;
    }

    /** The highest rate recorded, fading with a half-life of {@value #PROVEN_HALF_LIFE_SECONDS} s. */
    private static final class FadingHighest {
        private double rate;
        private long at;

        void carried(double carried, long now) {
            rate = Math.max(at(now), carried);
            at = now;
        }

        /** The rate as remembered at {@code now}; 0 when none was recorded. */
        double at(long now) {
            if (rate == 0) {
                return 0;
            }
            return rate * Math.pow(0.5, (now - at) / 1e9 / PROVEN_HALF_LIFE_SECONDS);
        }
    }
}
