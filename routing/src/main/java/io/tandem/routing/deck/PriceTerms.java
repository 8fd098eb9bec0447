package io.tandem.routing.deck;

import io.tandem.routing.Micros;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Each term that is dearer here than in {@code before}, with both values, e.g.
     * {@code connect fee increase from 0.010000 to 0.020000} or {@code increments increase from 30/6
     * to 60/60}; empty when nothing rose. Terms that fell are left out: this names what a notice is for.
     */
    public List<String> risesSince(PriceTerms before) {
        List<String> rises = new ArrayList<>(2);
        if (rateMicros > before.rateMicros) {
            rises.add("rate increase from " + Micros.format(before.rateMicros) + " to " + Micros.format(rateMicros));
        }
        if (connectFeeMicros > before.connectFeeMicros) {
            rises.add("connect fee increase from " + Micros.format(before.connectFeeMicros) + " to "
                    + Micros.format(connectFeeMicros));
        }
        if (initialIncrement > before.initialIncrement || nextIncrement > before.nextIncrement) {
            rises.add("increments increase from " + before.increments() + " to " + increments());
        }
        if (graceSeconds < before.graceSeconds) {
            rises.add("grace time cut from " + before.grace() + " to " + grace());
        }
        return rises;
    }

    private String grace() {
        return graceSeconds < 0 ? "the deck's" : graceSeconds + " s";
    }
}
