package io.tandem.routing.deck;

import io.tandem.routing.DeckDirection;
import java.time.Instant;

/**
 * A rate deck: a customer's sell prices or a vendor's buy prices, in one currency.
 * {@code noticeDays} is how far ahead a rate increase must be announced; {@code deckVersion}
 * counts committed imports.
 */
public record RateDeck(
        long id,
        long accountId,
        String name,
        DeckDirection direction,
        String currency,
        int noticeDays,
        int graceSeconds,
        long deckVersion,
        Instant createdAt,
        Instant updatedAt) {
}
