package io.tandem.billing.rerating;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import java.util.Optional;

/**
 * The customer's sell rate for a past call as the decks say now: the rate in force at the call's
 * start for its number, from the deck of its ingress trunk ({@code persistence.DeckRateLookup}).
 */
public interface RateLookup {

    /** Empty if the decks no longer price this call (no trunk, no deck, no matching prefix, or blocked). */
    Optional<RateSnapshot> sellRate(CdrRecord cdr);
}
