package io.tandem.console.calls;

/**
 * A node's traffic over one interval, as raw counts so that nodes add up exactly into the
 * cluster's figures; the rates are worked out when shown.
 *
 * @param at              start of the interval, epoch seconds (a multiple of {@code seconds})
 * @param seconds         1 or 60
 * @param started         calls admitted (CPS = started / seconds)
 * @param ended           calls that ended
 * @param answered        ended calls that had been answered (ASR = answered / ended)
 * @param answeredMillis  talk time of those answered calls (ACD = answeredMillis / answered)
 * @param pddCalls        calls that rang or were answered in the interval
 * @param pddMillis       their post-dial delay, INVITE to first ring or answer (PDD = pddMillis / pddCalls)
 * @param activeCalls     calls up at the end of a 1-s interval; the peak over a 60-s one
 */
public record TrafficPoint(long at, int seconds, long started, long ended, long answered, long answeredMillis, long pddCalls,
                           long pddMillis, int activeCalls) {

    /** The sum of two nodes' points of the same interval. */
    public TrafficPoint plus(TrafficPoint other) {
        return new TrafficPoint(at, seconds, started + other.started, ended + other.ended, answered + other.answered,
                answeredMillis + other.answeredMillis, pddCalls + other.pddCalls, pddMillis + other.pddMillis,
                activeCalls + other.activeCalls);
    }

    public double cps() {
        return (double) started / seconds;
    }

    /** Answer-seizure ratio in percent, or NaN when no call ended. */
    public double asrPercent() {
        return ended == 0 ? Double.NaN : 100.0 * answered / ended;
    }

    /** Average call duration in seconds, or NaN when no answered call ended. */
    public double acdSeconds() {
        return answered == 0 ? Double.NaN : answeredMillis / 1000.0 / answered;
    }

    /** Average post-dial delay in milliseconds, or NaN. */
    public double pddMillisAverage() {
        return pddCalls == 0 ? Double.NaN : (double) pddMillis / pddCalls;
    }
}
