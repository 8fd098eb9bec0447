package io.tandem.billing.settlement;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a node while it spools: after a restart, everything it acknowledged is
 * replayed into the database, exactly once.
 */
class SpoolCrashTest {

    @TempDir
    Path dir;

    @Test
    void aKilledNodeReplaysEverythingItAcknowledgedOnRestart() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            DSLContext dsl = db.dsl();
            Account account = BillingFixtures.prepaidCustomer(dsl, "1000.000000", "0");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, SpoolingProcess.class.getName(), dir.toString(), Long.toString(account.id()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Set<String> acknowledged = new HashSet<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (acknowledged.size() < 400 && (line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(line.substring(4));
                    }
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush, mid-append if it is appending
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(acknowledged).hasSize(400);

            try (CdrSpool spool = CdrSpool.open(dir.resolve("crash.spool"));
                 CdrSpool rejected = CdrSpool.open(dir.resolve("crash.rejected"))) {
                long spooled = spool.records();
                SettlementWriter restarted = new SettlementWriter(new SettlementStore(dsl, "node:crash"), spool, rejected,
                        SettlementWriter.Settings.defaults(), event -> { });
                restarted.start();
                restarted.close();

                assertThat(spool.isEmpty()).isTrue();
                Set<String> stored = new HashSet<>(dsl.select(CDR.CALL_UUID).from(CDR).fetch(r -> r.value1().trim()));
                assertThat(stored).containsAll(acknowledged).hasSize((int) spooled);
                assertThat(dsl.fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.KIND.eq("call"))).isEqualTo((int) spooled);
                BigDecimal charged = dsl.select(DSL.sum(CDR.SELL_COST)).from(CDR).fetchSingle().value1();
                assertThat(dsl.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(account.id())).fetchSingle().value1())
                        .isEqualByComparingTo(new BigDecimal("1000.000000").subtract(charged));
                assertThat(new AccountLedger(dsl, Clock.systemUTC()).reconcile()).isEmpty();
            }
        }
    }
}
