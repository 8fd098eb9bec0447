package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * How far ahead a rate increase of a deck must be announced. Each account a deck prices has a notice period: its own
 * ({@code account.notice_days}) when set, else the deck's {@code notice_days}. A sell deck prices its own account and
 * every account with an ingress trunk that sells from it; a buy deck its vendor. A change of the deck has to respect
 * all of them at once, so the deck's notice period is the longest of them (the deck's own when nobody has one). Today
 * a trunk may only sell from a deck of its own account, so a deck prices one account; the rule holds if that changes.
 */
final class NoticePeriods {

    private NoticePeriods() {
    }

    /** The notice period in days for a change of the deck; empty when the deck does not exist. */
    static Optional<Integer> ofDeck(DSLContext tx, long deckId) {
        Integer deckDays = tx.select(RATE_DECK.NOTICE_DAYS).from(RATE_DECK).where(RATE_DECK.ID.eq(deckId)).fetchOne(RATE_DECK.NOTICE_DAYS);
        if (deckDays == null) {
            return Optional.empty();
        }
        Integer longest = tx.select(DSL.max(DSL.coalesce(ACCOUNT.NOTICE_DAYS, deckDays)))
                .from(ACCOUNT)
                .where(ACCOUNT.ID.in(DSL.select(RATE_DECK.ACCOUNT_ID).from(RATE_DECK).where(RATE_DECK.ID.eq(deckId)))
                        .or(ACCOUNT.ID.in(DSL.select(INGRESS_TRUNK.ACCOUNT_ID).from(INGRESS_TRUNK)
                                .where(INGRESS_TRUNK.SELL_DECK_ID.eq(deckId)))))
                .fetchOne(0, Integer.class);
        return Optional.of(longest == null ? deckDays : longest);
    }

    /** One account's notice period under the deck: its own, else the deck's; empty when the deck does not exist. */
    static Optional<Integer> ofAccount(DSLContext tx, long deckId, long accountId) {
        Integer deckDays = tx.select(RATE_DECK.NOTICE_DAYS).from(RATE_DECK).where(RATE_DECK.ID.eq(deckId)).fetchOne(RATE_DECK.NOTICE_DAYS);
        if (deckDays == null) {
            return Optional.empty();
        }
        Integer own = tx.select(ACCOUNT.NOTICE_DAYS).from(ACCOUNT).where(ACCOUNT.ID.eq(accountId)).fetchOne(ACCOUNT.NOTICE_DAYS);
        return Optional.of(own == null ? deckDays : own);
    }
}
