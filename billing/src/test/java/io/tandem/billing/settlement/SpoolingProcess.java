package io.tandem.billing.settlement;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jooq.impl.DSL;

/**
 * A node whose database is unreachable, run in its own JVM by {@link SpoolCrashTest} to be killed
 * with SIGKILL while it spools. Prints {@code ACK <uuid>} for every settlement acknowledged.
 * Arguments: spool directory, customer account id.
 */
public final class SpoolingProcess {

    private SpoolingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long accountId = Long.parseLong(args[1]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/unreachable");
        config.setUsername("nobody");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        HikariDataSource unreachable = new HikariDataSource(config);
        SettlementStore store = new SettlementStore(DSL.using(unreachable, DatabaseKind.POSTGRESQL.dialect()), "node:crash");
        SettlementWriter writer = new SettlementWriter(store, CdrSpool.open(dir.resolve("crash.spool")),
                CdrSpool.open(dir.resolve("crash.rejected")),
                SettlementWriter.Settings.defaults().withRetryInterval(Duration.ofHours(1)), event -> { });
        writer.start();
        while (true) {
            List<CompletableFuture<Void>> wave = new ArrayList<>();
            List<UUID> calls = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                UUID call = UUID.randomUUID();
                CdrRecord cdr = BillingFixtures.answeredCall(call, accountId, "crash", Instant.now().minusSeconds(600),
                        1_000 + i * 7_001L, BillingFixtures.SELL, BillingFixtures.BUY);
                calls.add(call);
                wave.add(writer.submit(new Settlement(call, accountId, "crash", HoldSource.NONE, List.of(cdr), Instant.now())));
            }
            for (int i = 0; i < wave.size(); i++) {
                wave.get(i).join();
                System.out.println("ACK " + calls.get(i));
            }
            System.out.flush();
        }
    }
}
