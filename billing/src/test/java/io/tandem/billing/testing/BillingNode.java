package io.tandem.billing.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.billing.authorization.AuthorizationSettings;
import io.tandem.billing.authorization.BalanceAuthorizer;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.LeaseStore;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.settlement.BalanceEvent;
import io.tandem.billing.settlement.SettlementWriter;
import io.tandem.db.DatabaseKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * One simulated cluster node: its own connection pool, spool, settlement writer and authorizer,
 * wired the way the console wires a real node.
 */
public final class BillingNode implements AutoCloseable {

    public final String nodeId;
    public final HikariDataSource pool;
    public final DSLContext dsl;
    public final LeaseStore holds;
    public final SettlementStore store;
    public final CdrSpool spool;
    public final CdrSpool rejected;
    public final SettlementWriter writer;
    public final BalanceAuthorizer authorizer;
    public final List<BalanceEvent> events = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newFixedThreadPool(2);

    public BillingNode(String nodeId, HikariDataSource pool, DatabaseKind kind, Path dataDir,
                       AuthorizationSettings settings, SettlementWriter.Settings writerSettings) {
        this(nodeId, io.tandem.billing.authorization.NodeRoles.BOTH, pool, kind, dataDir, settings, writerSettings);
    }

    /** @param roles what the node does (docs/media.md): a media-only node heartbeats but takes no calls */
    public BillingNode(String nodeId, String roles, HikariDataSource pool, DatabaseKind kind, Path dataDir,
                       AuthorizationSettings settings, SettlementWriter.Settings writerSettings) {
        this.nodeId = nodeId;
        this.pool = pool;
        this.dsl = DSL.using(pool, kind.dialect());
        this.holds = new LeaseStore(dsl);
        this.store = new SettlementStore(dsl, "node:" + nodeId);
        try {
            this.spool = CdrSpool.open(dataDir.resolve(nodeId + ".spool"));
            this.rejected = CdrSpool.open(dataDir.resolve(nodeId + ".rejected"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.writer = new SettlementWriter(store, spool, rejected, writerSettings, events::add);
        this.authorizer = new BalanceAuthorizer(nodeId, roles, holds, writer, settings, Clock.systemUTC(), background);
        writer.start();
        authorizer.maintain();
    }

    /** Gives back leases, drains the writer, closes files and the pool. */
    @Override
    public void close() throws IOException {
        writer.close();
        authorizer.close();
        background.shutdown();
        spool.close();
        rejected.close();
        pool.close();
    }
}
