package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.RATE;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.rerating.RateLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Sell rates for re-rating, straight from the decks in the database: the deck of the call's
 * ingress trunk, the longest prefix of the translated callee number ({@code callee_out}), the row
 * in force when the call started. One query per call; fine for re-rating a customer's period,
 * slow for a whole month of every customer (load a routing snapshot for that instead).
 */
public final class DeckRateLookup implements RateLookup {

    private final DSLContext dsl;

    public DeckRateLookup(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public Optional<RateSnapshot> sellRate(CdrRecord cdr) {
        if (cdr.ingressTrunkId() == null) {
            return Optional.empty();
        }
        var deck = dsl.select(RATE_DECK.ID, RATE_DECK.GRACE_SECONDS)
                .from(INGRESS_TRUNK)
                .join(RATE_DECK).on(RATE_DECK.ID.eq(INGRESS_TRUNK.SELL_DECK_ID))
                .where(INGRESS_TRUNK.ID.eq(cdr.ingressTrunkId()))
                .fetchOne();
        if (deck == null) {
            return Optional.empty();
        }
        String digits = cdr.calleeOut().replaceAll("[^0-9]", "");
        List<String> prefixes = new ArrayList<>(digits.length() + 1);
        for (int length = 0; length <= digits.length(); length++) {
            prefixes.add(digits.substring(0, length));
        }
        var rate = dsl.selectFrom(RATE)
                .where(RATE.DECK_ID.eq(deck.value1()))
                .and(RATE.PREFIX.in(prefixes))
                .and(RATE.EFFECTIVE_FROM.le(cdr.startedAt()))
                .and(RATE.EFFECTIVE_UNTIL.isNull().or(RATE.EFFECTIVE_UNTIL.gt(cdr.startedAt())))
                .orderBy(DSL.length(RATE.PREFIX).desc(), RATE.EFFECTIVE_FROM.desc())
                .limit(1)
                .fetchOne();
        if (rate == null || Boolean.TRUE.equals(rate.getBlocked())) {
            return Optional.empty();
        }
        return Optional.of(new RateSnapshot(rate.getPrefix(), rate.getRatePerMinute(), rate.getConnectFee(),
                rate.getInitialIncrement(), rate.getNextIncrement(),
                rate.getGraceSeconds() != null ? rate.getGraceSeconds() : deck.value2()));
    }
}
