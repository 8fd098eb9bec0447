package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.DECK_IMPORT;
import static io.tandem.db.jooq.Tables.RATE;

import java.time.Instant;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Which {@code rate} rows count. An upload is staged in {@code rate} under its {@code import_id}
 * while it waits for a commit, so committing is a status flip plus the closing of old periods in
 * one transaction: routing sees a new deck version whole or not at all. Rows of an import that is
 * waiting for its commit (status previewed) are invisible; rejected and superseded imports have
 * their staged rows deleted.
 */
final class VisibleRates {

    private VisibleRates() {
    }

    static Condition visible() {
        // uncorrelated: the few pending imports are read once, not once per rate row
        return RATE.IMPORT_ID.isNull().or(RATE.IMPORT_ID.notIn(DSL.select(DECK_IMPORT.ID).from(DECK_IMPORT)
                .where(DECK_IMPORT.STATUS.eq("previewed"))));
    }

    /** Visible and not over at {@code now}: in force or scheduled. */
    static Condition current(Instant now) {
        return visible().and(RATE.EFFECTIVE_UNTIL.isNull().or(RATE.EFFECTIVE_UNTIL.gt(now)));
    }
}
