package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.ACCOUNT_DAILY_SPEND;
import static io.tandem.db.jooq.Tables.BALANCE_RESERVATION;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.settlement.AppliedSettlements;
import io.tandem.billing.settlement.BalanceEvent;
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

class SettlementStoreTest {

    private static final String NODE = "node-a";

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void settlingAReservedCallWritesCdrsLedgerAndBalanceOnceEvenWhenReplayed(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = BillingFixtures.prepaidCustomer(dsl, "5.000000", "0");
            LeaseStore holds = new LeaseStore(dsl);
            UUID call = UUID.randomUUID();
            Instant now = Instant.now();
            assertThat(holds.reserve(call, customer.id(), NODE, new BigDecimal("1.000000"), now, now.plusSeconds(60))).isTrue();
            Instant start = Instant.parse("2026-11-22T09:00:00.250Z");
            // 61.001 s answered on 60/6 at 0.06 + 0.01 fee: billable 66 s -> 0.01 + 0.066 = 0.076000
            CdrMediaStats media = new CdrMediaStats(new CdrMediaStats.Direction(3050, 524_600, 2, 3),
                    new CdrMediaStats.Direction(3048, 524_256, 0, 41));
            CdrRecord answered = BillingFixtures.answeredCall(call, 2, customer.id(), NODE, start, 61_001,
                    BillingFixtures.SELL, BillingFixtures.BUY).withMedia(media);
            Settlement settlement = new Settlement(call, customer.id(), NODE, HoldSource.RESERVATION,
                    List.of(BillingFixtures.failedAttempt(call, 1, customer.id(), NODE, start), answered), now);
            SettlementStore store = new SettlementStore(dsl, "node:" + NODE);

            AppliedSettlements first = store.apply(List.of(settlement));
            AppliedSettlements again = store.apply(List.of(settlement, settlement));

            assertThat(answered.sellCost()).isEqualByComparingTo("0.076000");
            assertThat(answered.buyCost()).isEqualByComparingTo("0.041333"); // 62 s at 0.04 on 1/1
            assertThat(answered.margin()).isEqualByComparingTo("0.034667");
            assertThat(first.applied()).isEqualTo(1);
            assertThat(again.replayed()).isEqualTo(1);
            var account = dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(customer.id())).fetchSingle();
            assertThat(account.getBalance()).isEqualByComparingTo("4.924000");
            assertThat(account.getHeld()).isEqualByComparingTo("0");
            assertThat(dsl.fetchCount(BALANCE_RESERVATION)).isZero();
            assertThat(dsl.fetchCount(CDR, CDR.CALL_UUID.eq(call.toString()))).isEqualTo(2);
            var entry = dsl.selectFrom(LEDGER_ENTRY).where(LEDGER_ENTRY.CALL_UUID.eq(call.toString())).fetchSingle();
            assertThat(entry.getAmount()).isEqualByComparingTo("-0.076000");
            assertThat(entry.getBalanceAfter()).isEqualByComparingTo("4.924000");
            assertThat(entry.getKind()).isEqualTo("call");
            assertThat(dsl.select(ACCOUNT_DAILY_SPEND.SPENT).from(ACCOUNT_DAILY_SPEND).fetchSingle().value1())
                    .isEqualByComparingTo("0.076000");
            assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
            assertThat(holds.heldMismatches()).isEmpty();

            List<CdrRecord> stored = new CdrStore(dsl).findByCall(call);
            assertThat(stored).hasSize(2);
            assertThat(stored.get(1).answeredAt()).isEqualTo(answered.answeredAt());
            assertThat(stored.get(1).billsec()).isEqualTo(62);
            assertThat(stored.get(1).sellCost()).isEqualByComparingTo("0.076000");
            assertThat(stored.get(1).media()).as("the relay's figures, per direction").isEqualTo(media);
            assertThat(stored.get(0).media()).as("an attempt whose media was not anchored has none").isNull();
            assertThat(stored.get(0).sipCode()).isEqualTo(503);
            assertThat(stored.get(0).q850Cause()).isEqualTo(41);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void crossingTheThresholdRaisesLowBalanceAndZeroSuspendsWhenConfigured(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = BillingFixtures.customer(dsl, "0.100000", "0", null, "0.050000", true);
            LeaseStore holds = new LeaseStore(dsl);
            SettlementStore store = new SettlementStore(dsl, "node:" + NODE);
            Instant now = Instant.now();
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            holds.reserve(first, customer.id(), NODE, new BigDecimal("0.050000"), now, now.plusSeconds(60));
            holds.reserve(second, customer.id(), NODE, new BigDecimal("0.050000"), now, now.plusSeconds(60));

            // 60/6 at 0.06 + 0.01: a 30 s call bills 60 s = 0.070000
            AppliedSettlements low = store.apply(List.of(settlement(first, customer, 30_000)));
            AppliedSettlements zero = store.apply(List.of(settlement(second, customer, 1_000)));

            assertThat(low.events()).containsExactly(
                    new BalanceEvent.LowBalance(customer.id(), new BigDecimal("0.030000"), new BigDecimal("0.050000")));
            assertThat(zero.events()).containsExactly(
                    new BalanceEvent.SuspendedAtZero(customer.id(), new BigDecimal("-0.040000")));
            assertThat(dsl.select(ACCOUNT.STATUS).from(ACCOUNT).where(ACCOUNT.ID.eq(customer.id())).fetchSingle().value1())
                    .isEqualTo("suspended");
            assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
        }
    }

    /**
     * What a stranger's INVITE can put in a CDR (an 8 KiB Call-ID, long numbers, a vendor's long
     * reason phrase) is stored at its column's length: the call is charged and its CDR kept.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aCallWhoseTextIsLongerThanItsColumnsIsChargedAndItsCdrStored(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = BillingFixtures.prepaidCustomer(dsl, "5.000000", "0");
            UUID call = UUID.randomUUID();
            CdrRecord plain = settlement(call, customer, 30_000).attempts().getFirst();
            CdrRecord poisoned = new CdrRecord(call, 1, plain.nodeId(), "c".repeat(8192), customer.id(), null, 7L, 8L,
                    "1".repeat(200), "4".repeat(200), "1".repeat(200), "4".repeat(200), plain.startedAt(), plain.answeredAt(),
                    plain.endedAt(), plain.durationMs(), 0, 1200, 200, "Reason ".repeat(100), 16, HangupSide.CALLER, "EUR",
                    BillingFixtures.SELL, BillingFixtures.BUY, null, null, null).priced();

            AppliedSettlements result = new SettlementStore(dsl, "node:" + NODE).apply(List.of(
                    new Settlement(call, customer.id(), NODE, HoldSource.RESERVATION, List.of(poisoned), Instant.now())));

            assertThat(result.applied()).isEqualTo(1);
            assertThat(result.cdrsNotStored()).isEmpty();
            CdrRecord stored = new CdrStore(dsl).findByCall(call).getFirst();
            assertThat(stored.sipCallId()).hasSize(CdrRecord.MAX_SIP_CALL_ID);
            assertThat(stored.calleeIn()).hasSize(CdrRecord.MAX_NUMBER);
            assertThat(stored.sipReason()).hasSize(CdrRecord.MAX_SIP_REASON);
            assertThat(stored.sellCost()).isEqualByComparingTo(poisoned.sellCost()).isPositive();
            assertThat(dsl.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(customer.id())).fetchSingle().value1())
                    .isEqualByComparingTo(new BigDecimal("5.000000").subtract(poisoned.sellCost()));
        }
    }

    /**
     * A CDR the database refuses for any other reason never undoes a charge: the batch's money is
     * settled, the other calls' CDRs are stored, and the refused call comes back to be kept aside.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aCdrTheDatabaseRefusesNeverUndoesTheChargeOfItsBatch(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = BillingFixtures.prepaidCustomer(dsl, "5.000000", "0");
            Settlement first = settlement(UUID.randomUUID(), customer, 30_000);
            Settlement refused = settlement(UUID.randomUUID(), customer, 30_000);
            Settlement third = settlement(UUID.randomUUID(), customer, 30_000);
            CdrRecord good = refused.attempts().getFirst();
            // A currency of four letters stands for anything the cdr table refuses (CHAR(3)).
            CdrRecord bad = new CdrRecord(good.callUuid(), 1, good.nodeId(), good.sipCallId(), good.customerAccountId(), null, 7L, 8L,
                    good.callerIn(), good.calleeIn(), good.callerOut(), good.calleeOut(), good.startedAt(), good.answeredAt(),
                    good.endedAt(), good.durationMs(), 0, good.pddMs(), 200, "OK", 16, HangupSide.CALLER, "EURO",
                    BillingFixtures.SELL, BillingFixtures.BUY, null, null, null).priced();
            refused = new Settlement(refused.callUuid(), customer.id(), NODE, HoldSource.RESERVATION, List.of(bad), Instant.now());

            AppliedSettlements result = new SettlementStore(dsl, "node:" + NODE).apply(List.of(first, refused, third));

            assertThat(result.applied()).isEqualTo(3);
            assertThat(dsl.fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.ACCOUNT_ID.eq(customer.id()).and(LEDGER_ENTRY.KIND.eq("call"))))
                    .isEqualTo(3);
            if (kind == DatabaseKind.POSTGRESQL) {
                assertThat(result.cdrsNotStored()).extracting(Settlement::callUuid).containsExactly(refused.callUuid());
                assertThat(result.cdrProblem()).isNotBlank();
                assertThat(dsl.fetchCount(CDR, CDR.CUSTOMER_ACCOUNT_ID.eq(customer.id()))).isEqualTo(2);
            } else {
                // INSERT IGNORE (the MySQL family's duplicate-safe insert) stores the value cut to its column instead.
                assertThat(result.cdrsNotStored()).isEmpty();
                assertThat(dsl.fetchCount(CDR, CDR.CUSTOMER_ACCOUNT_ID.eq(customer.id()))).isEqualTo(3);
            }
            BigDecimal charged = first.charge().add(bad.sellCost()).add(third.charge());
            assertThat(dsl.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(customer.id())).fetchSingle().value1())
                    .isEqualByComparingTo(new BigDecimal("5.000000").subtract(charged));
            assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
        }
    }

    private static Settlement settlement(UUID call, Account customer, long talkMillis) {
        Instant start = Instant.now().minusSeconds(120);
        return new Settlement(call, customer.id(), NODE, HoldSource.RESERVATION, List.of(
                BillingFixtures.answeredCall(call, customer.id(), NODE, start, talkMillis, BillingFixtures.SELL,
                        BillingFixtures.BUY)), Instant.now());
    }
}
