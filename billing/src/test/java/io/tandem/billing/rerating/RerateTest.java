package io.tandem.billing.rerating;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static io.tandem.db.jooq.Tables.RATE;
import static io.tandem.db.jooq.Tables.RATE_DECK;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.persistence.DeckRateLookup;
import io.tandem.billing.persistence.RerateStore;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.Settlement;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RerateTest {

    private static final Instant DAY = Instant.parse("2026-11-10T00:00:00Z");

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aCorrectedDeckRepricesThePeriodAsAPreviewThenAsOneLedgerAdjustment(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = BillingFixtures.prepaidCustomer(dsl, "50.000000", "0");
            long trunk = trunkWithDeck(dsl, customer.id());
            RateSnapshot billed = RateSnapshot.of("4420", "0.060000", "0", 60, 60);
            SettlementStore settlements = new SettlementStore(dsl, "node:a");
            for (int i = 0; i < 10; i++) {
                UUID call = UUID.randomUUID();
                CdrRecord cdr = call(call, customer.id(), trunk, DAY.plusSeconds(3600L * i), 90_000, billed);
                settlements.apply(List.of(new Settlement(call, customer.id(), "a", HoldSource.NONE, List.of(cdr), DAY)));
            }
            // The deck was wrong: 0.06 should have been 0.03 for 4420, from the start of the day.
            dsl.update(RATE).set(RATE.RATE_PER_MINUTE, new BigDecimal("0.030000")).where(RATE.PREFIX.eq("4420")).execute();
            AccountLedger ledger = new AccountLedger(dsl, Clock.systemUTC());
            Rerater rerater = new Rerater(new CdrStore(dsl), new DeckRateLookup(dsl), new RerateStore(dsl, ledger));
            CdrFilter period = CdrFilter.period(DAY, DAY.plusSeconds(86_400)).customer(customer.id());

            RerateReport preview = rerater.preview(period);

            assertThat(preview.examined()).isEqualTo(10);
            assertThat(preview.unpriced()).isZero();
            assertThat(preview.totals()).singleElement().satisfies(total -> {
                assertThat(total.calls()).isEqualTo(10);
                assertThat(total.oldTotal()).isEqualByComparingTo("1.200000"); // 10 x 2 min x 0.06
                assertThat(total.newTotal()).isEqualByComparingTo("0.600000");
            });
            assertThat(balance(dsl, customer)).as("a preview changes nothing").isEqualByComparingTo("48.800000");

            List<RerateTotal> applied = rerater.apply(preview, "operator");
            List<RerateTotal> again = rerater.apply(preview, "operator");

            assertThat(applied).singleElement().satisfies(total -> assertThat(total.delta()).isEqualByComparingTo("-0.600000"));
            assertThat(again).singleElement().satisfies(total -> assertThat(total.calls()).isZero());
            assertThat(balance(dsl, customer)).isEqualByComparingTo("49.400000");
            assertThat(dsl.fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.KIND.eq("rerate"))).isEqualTo(1);
            assertThat(dsl.select(org.jooq.impl.DSL.sum(CDR.SELL_COST)).from(CDR).fetchSingle().value1())
                    .isEqualByComparingTo("0.600000");
            assertThat(dsl.select(org.jooq.impl.DSL.sum(CDR.MARGIN)).from(CDR).fetchSingle().value1())
                    .isEqualByComparingTo("0.600000"); // buy cost 0 in this test
            assertThat(ledger.reconcile()).isEmpty();
            assertThat(rerater.preview(period).changes()).as("nothing left to re-rate").isEmpty();
        }
    }

    private static long trunkWithDeck(DSLContext dsl, long accountId) {
        Instant now = Instant.now();
        long deck = dsl.insertInto(RATE_DECK)
                .set(RATE_DECK.ACCOUNT_ID, accountId).set(RATE_DECK.NAME, "sell").set(RATE_DECK.DIRECTION, "sell")
                .set(RATE_DECK.CURRENCY, "EUR").set(RATE_DECK.CREATED_AT, now).set(RATE_DECK.UPDATED_AT, now)
                .returningResult(RATE_DECK.ID).fetchSingle().value1();
        dsl.insertInto(RATE)
                .set(RATE.DECK_ID, deck).set(RATE.PREFIX, "44").set(RATE.RATE_PER_MINUTE, new BigDecimal("0.100000"))
                .set(RATE.EFFECTIVE_FROM, DAY.minusSeconds(86_400 * 30L)).execute();
        dsl.insertInto(RATE)
                .set(RATE.DECK_ID, deck).set(RATE.PREFIX, "4420").set(RATE.RATE_PER_MINUTE, new BigDecimal("0.060000"))
                .set(RATE.EFFECTIVE_FROM, DAY).execute();
        return dsl.insertInto(INGRESS_TRUNK)
                .set(INGRESS_TRUNK.ACCOUNT_ID, accountId).set(INGRESS_TRUNK.NAME, "trunk-" + accountId)
                .set(INGRESS_TRUNK.SOURCE_CIDRS, "192.0.2.0/24").set(INGRESS_TRUNK.SELL_DECK_ID, deck)
                .set(INGRESS_TRUNK.CREATED_AT, now).set(INGRESS_TRUNK.UPDATED_AT, now)
                .returningResult(INGRESS_TRUNK.ID).fetchSingle().value1();
    }

    private static CdrRecord call(UUID call, long customer, long trunk, Instant start, long talkMillis, RateSnapshot sell) {
        Instant answered = start.plusSeconds(2);
        return new CdrRecord(call, 1, "a", call + "@test", customer, trunk, null, null, "+441234", "004420700",
                "441234", "+4420700900", start, answered, answered.plusMillis(talkMillis), talkMillis + 2000, 0, 2000,
                200, "OK", 16, HangupSide.CALLER, "EUR", sell, null, null, null, null).priced();
    }

    private static BigDecimal balance(DSLContext dsl, Account account) {
        return dsl.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle().value1();
    }
}
