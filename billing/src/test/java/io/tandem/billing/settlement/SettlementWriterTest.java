package io.tandem.billing.settlement;

import static io.tandem.db.jooq.Tables.CDR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
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

    private static Settlement settlement(long accountId) {
        UUID call = UUID.randomUUID();
        return new Settlement(call, accountId, "a", HoldSource.NONE, List.of(BillingFixtures.answeredCall(call,
                accountId, "a", Instant.now().minusSeconds(300), 65_000, BillingFixtures.SELL, BillingFixtures.BUY)),
                Instant.now());
    }
}
