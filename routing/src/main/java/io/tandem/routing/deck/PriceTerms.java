package io.tandem.routing.deck;

/**
 * What a call to a code costs: the rate per minute and the connect fee in micros, the initial and
 * next increments in seconds, and the grace time in seconds (-1: the deck's grace time applies).
 */
public record PriceTerms(long rateMicros, long connectFeeMicros, int initialIncrement, int nextIncrement, int graceSeconds) {

    /** The increments as carriers write them, {@code initial/next}: {@code 60/60}, {@code 30/6}. */
    public String increments() {
        return initialIncrement + "/" + nextIncrement;
    }

    /**
     * Whether these terms cost more (positive) or less (negative) than {@code other}: the rate per
     * minute decides, then the connect fee, then the initial and the next increment, then the grace
     * time (a shorter one makes short calls dearer).
     */
    public int compareCostTo(PriceTerms other) {
        int c = Long.compare(rateMicros, other.rateMicros);
        if (c == 0) {
            c = Long.compare(connectFeeMicros, other.connectFeeMicros);
        }
        if (c == 0) {
            c = Integer.compare(initialIncrement, other.initialIncrement);
        }
        if (c == 0) {
            c = Integer.compare(nextIncrement, other.nextIncrement);
        }
        if (c == 0) {
            c = Integer.compare(other.graceSeconds, graceSeconds);
        }
        return c;
    }
}
