package io.tandem.console.decks;

import io.tandem.console.notices.RateNotice;
import io.tandem.routing.deck.DeckImport;
import java.time.Instant;
import java.util.List;

/**
 * A committed import and what came with it: {@code pushedIncreases} codes moved to {@code pushedTo} under
 * {@link EarlyIncreases#PUSH} (0 and null otherwise), whether early increases were let through by
 * {@link EarlyIncreases#ACCEPT}, and the rate-change notices sent to the customers of a sell deck.
 */
public record DeckCommit(DeckImport deckImport, int pushedIncreases, Instant pushedTo, boolean acceptedEarlyIncreases,
                         List<RateNotice> notices) {

    /** One sentence for the operator: which way early increases went. */
    public String summary() {
        String early = pushedIncreases > 0 ? pushedIncreases + " increase(s) pushed to " + pushedTo + " (the end of the notice period)"
                : acceptedEarlyIncreases ? "early increases accepted by override" : "no increase inside the notice period";
        return "committed; " + early + "; " + notices.size() + " rate notice(s) sent";
    }
}
