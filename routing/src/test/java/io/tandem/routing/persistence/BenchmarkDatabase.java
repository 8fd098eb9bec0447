package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import io.tandem.db.jooq.tables.records.AccountRecord;
import io.tandem.db.jooq.tables.records.RateDeckRecord;
import java.math.BigDecimal;
import java.time.Instant;
import org.jooq.DSLContext;

/** Accounts and decks for the database benchmarks, written directly. */
final class BenchmarkDatabase {

    private BenchmarkDatabase() {
    }

    static long account(DSLContext dsl, String name, String kind) {
        Instant now = Instant.now();
        AccountRecord a = dsl.newRecord(ACCOUNT);
        a.setName(name);
        a.setKind(kind);
        a.setCurrency("EUR");
        a.setBalance(BigDecimal.ZERO);
        a.setHeld(BigDecimal.ZERO);
        a.setCreditLimit(BigDecimal.ZERO);
        a.setStatus("active");
        a.setSuspendAtZero(false);
        a.setCreatedAt(now);
        a.setUpdatedAt(now);
        a.store();
        return a.getId();
    }

    static long deck(DSLContext dsl, long account, String name, String direction) {
        Instant now = Instant.now();
        RateDeckRecord d = dsl.newRecord(RATE_DECK);
        d.setAccountId(account);
        d.setName(name);
        d.setDirection(direction);
        d.setCurrency("EUR");
        d.setNoticeDays(7);
        d.setGraceSeconds(0);
        d.setDeckVersion(0L);
        d.setCreatedAt(now);
        d.setUpdatedAt(now);
        d.store();
        return d.getId();
    }
}
