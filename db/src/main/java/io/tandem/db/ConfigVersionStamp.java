package io.tandem.db;

import static io.tandem.db.jooq.Tables.CONFIG_VERSION;

import java.time.Instant;
import org.jooq.DSLContext;

/**
 * The stamp every node polls to know when to rebuild its routing table. Bump it inside the same
 * transaction as any routing-relevant change (trunks, gateways, profiles, rules, decks, accounts'
 * status), so a node that sees the new stamp also sees the change.
 */
public final class ConfigVersionStamp {

    private ConfigVersionStamp() {
    }

    public static void bump(DSLContext tx, Instant now) {
        tx.update(CONFIG_VERSION)
                .set(CONFIG_VERSION.VERSION, CONFIG_VERSION.VERSION.plus(1))
                .set(CONFIG_VERSION.CHANGED_AT, now)
                .where(CONFIG_VERSION.ID.eq(1))
                .execute();
    }

    public static long current(DSLContext dsl) {
        Long version = dsl.select(CONFIG_VERSION.VERSION).from(CONFIG_VERSION).where(CONFIG_VERSION.ID.eq(1)).fetchOne(CONFIG_VERSION.VERSION);
        return version == null ? 0 : version;
    }
}
