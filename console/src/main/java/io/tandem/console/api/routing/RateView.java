package io.tandem.console.api.routing;

import io.tandem.routing.Micros;
import io.tandem.routing.Rate;
import io.tandem.routing.deck.CurrentRate;
import java.time.Instant;

/**
 * A rate period on the wire: money as decimal strings, times ISO-8601 UTC. {@code graceSeconds}
 * null = the deck's grace period applies (a stored rate without its own).
 */
public record RateView(Long id, String prefix, String destination, String rate, String connectFee, int initialIncrement,
                       int nextIncrement, Instant effectiveFrom, Instant effectiveUntil, boolean blocked, String status,
                       Integer graceSeconds) {

    static RateView of(CurrentRate r, Instant now) {
        return new RateView(r.id(), r.prefix(), r.destination(), Micros.format(r.rateMicros()), Micros.format(r.connectFeeMicros()),
                r.initialIncrement(), r.nextIncrement(), r.effectiveFrom(), r.effectiveUntil(), r.blocked(),
                r.effectiveFrom().isAfter(now) ? "scheduled" : "in-force", r.graceSeconds() < 0 ? null : r.graceSeconds());
    }

    static RateView of(Rate r) {
        return r == null ? null : new RateView(null, r.prefix(), r.destination(), Micros.format(r.ratePerMinuteMicros()),
                Micros.format(r.connectFeeMicros()), r.initialIncrement(), r.nextIncrement(), r.effectiveFrom(),
                r.effectiveUntil(), r.blocked(), null, r.graceSeconds());
    }
}
