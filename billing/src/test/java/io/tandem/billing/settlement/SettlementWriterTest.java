package io.tandem.billing.settlement;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlementWriterTest {

    @TempDir
    Path dir;

    @Test
    void aSettlementTheDatabaseRefusesIsParkedAndDoesNotHoldUpTheOthers() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             CdrSpool spool = CdrSpool.open(dir.resolve("a.spool"));
             CdrSpool rejected = CdrSpool.open(dir.resolve("a.rejected"))) {
            Account customer = BillingFixtures.prepaidCustomer(db.dsl(), "10.000000", "0");
            SettlementWriter writer = new SettlementWriter(new SettlementStore(db.dsl(), "node:a"), spool, rejected,
                    SettlementWriter.Settings.defaults(), event -> { });
            writer.start();
            Settlement good = settlement(customer.id());
            Settlement orphan = settlement(987_654L); // no such account: the database can never take it

            CompletableFuture<Void> first = writer.submit(good);
            CompletableFuture<Void> second = writer.submit(orphan);
            CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
            writer.close();

            assertThat(writer.rejected()).isEqualTo(1);
            assertThat(rejected.readAll()).singleElement()
                    .satisfies(bytes -> assertThat(SettlementCodec.decode(bytes)).isEqualTo(orphan));
            assertThat(db.dsl().fetchCount(CDR, CDR.CALL_UUID.eq(good.callUuid().toString()))).isEqualTo(1);
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    /**
     * A call whose CDR the database refuses is charged, parked whole and listed; a replay while the
     * cause remains leaves it parked and charges nothing again.
     */
    @Test
    void aChargedCallWhoseCdrIsRefusedIsParkedListedAndReplayedWithoutChargingTwice() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             CdrSpool spool = CdrSpool.open(dir.resolve("b.spool"));
             CdrSpool rejected = CdrSpool.open(dir.resolve("b.rejected"))) {
            Account customer = BillingFixtures.prepaidCustomer(db.dsl(), "10.000000", "0");
            SettlementWriter writer = new SettlementWriter(new SettlementStore(db.dsl(), "node:a"), spool, rejected,
                    SettlementWriter.Settings.defaults(), event -> { });
            writer.start();
            Settlement plain = settlement(customer.id());
            CdrRecord cdr = plain.attempts().getFirst();
            CdrRecord refusedCdr = new CdrRecord(cdr.callUuid(), 1, cdr.nodeId(), cdr.sipCallId(), cdr.customerAccountId(), null,
                    7L, 8L, cdr.callerIn(), cdr.calleeIn(), cdr.callerOut(), cdr.calleeOut(), cdr.startedAt(), cdr.answeredAt(),
                    cdr.endedAt(), cdr.durationMs(), 0, cdr.pddMs(), 200, "OK", 16, cdr.hangupSide(), "EURO",
                    BillingFixtures.SELL, BillingFixtures.BUY, null, null, null).priced();
            Settlement settlement = new Settlement(plain.callUuid(), customer.id(), "a", HoldSource.NONE, List.of(refusedCdr),
                    plain.settledAt());

            writer.submit(settlement).get(30, TimeUnit.SECONDS);

            assertThat(writer.parked()).singleElement().satisfies(parked -> {
                assertThat(parked.callUuid()).isEqualTo(settlement.callUuid());
                assertThat(parked.charge()).isEqualByComparingTo(refusedCdr.sellCost()).isPositive();
            });
            assertThat(writer.parkedBacklog()).isEqualTo(1);
            BigDecimal afterCharge = balance(db, customer);
            assertThat(afterCharge).isEqualByComparingTo(new BigDecimal("10.000000").subtract(refusedCdr.sellCost()));

            SettlementWriter.ParkedReplay replay = writer.replayParked();
            writer.close();

            assertThat(replay).isEqualTo(new SettlementWriter.ParkedReplay(0, 1));
            assertThat(writer.parked()).hasSize(1);
            assertThat(balance(db, customer)).as("the replay charged nothing again").isEqualByComparingTo(afterCharge);
        }
    }

    private static BigDecimal balance(TestDatabase db, Account customer) {
        return db.dsl().select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(customer.id())).fetchSingle().value1();
    }

    private static Settlement settlement(long accountId) {
        UUID call = UUID.randomUUID();
        return new Settlement(call, accountId, "a", HoldSource.NONE, List.of(BillingFixtures.answeredCall(call,
                accountId, "a", Instant.now().minusSeconds(300), 65_000, BillingFixtures.SELL, BillingFixtures.BUY)),
                Instant.now());
    }
}
