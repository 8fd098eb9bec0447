package io.tandem.console.node;

import io.tandem.billing.authorization.AuthorizationSettings;
import io.tandem.billing.authorization.BalanceAuthorizer;
import io.tandem.billing.authorization.NodeRoles;
import io.tandem.billing.cdr.CdrSpool;
import io.tandem.billing.persistence.LeaseStore;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.settlement.SettlementWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The node's billing: balance leases and reservations, the settlement writer with its durable
 * spool under {@code tandem.data-dir/spool}, and their housekeeping.
 */
@Configuration(proxyBeanMethods = false)
public class BillingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BillingConfiguration.class);

    @Bean(destroyMethod = "close")
    CdrSpool settlementSpool(TandemProperties properties) {
        return openSpool(properties.dataDir().resolve("spool").resolve("settlements.spool"));
    }

    @Bean(destroyMethod = "close")
    CdrSpool rejectedSettlementSpool(TandemProperties properties) {
        return openSpool(properties.dataDir().resolve("spool").resolve("rejected.spool"));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    SettlementWriter settlementWriter(TandemProperties properties, SettlementStore store, CdrSpool settlementSpool,
                                      CdrSpool rejectedSettlementSpool) {
        SettlementWriter.Settings settings = SettlementWriter.Settings.defaults()
                .withBatching(properties.billing().settlementBatch(), properties.billing().settlementLinger());
        return new SettlementWriter(store, settlementSpool, rejectedSettlementSpool, settings,
                event -> log.info("Balance event: {}", event));
    }

    /**
     * Settlement health for alerting: parked settlements (refused, or settled with refused CDRs) and
     * the spool waiting for the database.
     */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder settlementMetrics(SettlementWriter writer) {
        return registry -> {
            io.micrometer.core.instrument.Gauge.builder("tandem.settlements.parked", writer, SettlementWriter::parkedBacklog)
                    .description("settlements parked for an operator: GET /api/v1/settlements/parked").register(registry);
            io.micrometer.core.instrument.Gauge.builder("tandem.settlements.spooled", writer, SettlementWriter::spoolBacklog)
                    .description("settlements in the local spool waiting for the database").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("tandem.settlements.applied", writer, SettlementWriter::applied)
                    .register(registry);
        };
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService billingHousekeeping() {
        return Executors.newFixedThreadPool(2, Thread.ofPlatform().name("billing-housekeeping-", 0).daemon().factory());
    }

    /** Heartbeats with this node's roles: only nodes that take calls share cluster-wide limits (docs/media.md). */
    @Bean(destroyMethod = "close")
    BalanceAuthorizer balanceAuthorizer(TandemProperties properties, LeaseStore holds, SettlementWriter writer, Clock clock,
                                        ExecutorService billingHousekeeping, org.springframework.core.env.Environment environment) {
        return new BalanceAuthorizer(properties.effectiveNodeId(), heartbeatRoles(environment), holds, writer,
                AuthorizationSettings.defaults(), clock, billingHousekeeping);
    }

    /** {@code tandem.roles} as the heartbeat row says it: a node with SIP off takes no calls ({@code none}). */
    static String heartbeatRoles(org.springframework.core.env.Environment environment) {
        return switch (io.tandem.console.media.NodeRoles.of(environment)) {
            case MEDIA -> NodeRoles.MEDIA;
            case SIP -> NodeRoles.SIP;
            case BOTH -> environment.getProperty("tandem.sip.enabled", Boolean.class, true) ? NodeRoles.BOTH : NodeRoles.NONE;
        };
    }

    @Bean
    BalanceReconciliation balanceReconciliation(io.tandem.billing.persistence.AccountLedger ledger, LeaseStore holds,
                                                io.micrometer.core.instrument.MeterRegistry registry) {
        return new BalanceReconciliation(ledger, holds, registry);
    }

    /**
     * Checks on a schedule that every balance is the sum of its ledger and every account's held money
     * is the sum of its leases and reservations; any difference is a gauge
     * ({@code tandem_reconciliation_mismatches}, alert on > 0) and an ERROR line per account. Both are
     * one aggregate query over the ledger / holds; every node runs them (any may be the one alive).
     */
    public static final class BalanceReconciliation {
        private final io.tandem.billing.persistence.AccountLedger ledger;
        private final LeaseStore holds;
        private final java.util.concurrent.atomic.AtomicInteger mismatches = new java.util.concurrent.atomic.AtomicInteger();

        BalanceReconciliation(io.tandem.billing.persistence.AccountLedger ledger, LeaseStore holds,
                              io.micrometer.core.instrument.MeterRegistry registry) {
            this.ledger = ledger;
            this.holds = holds;
            io.micrometer.core.instrument.Gauge.builder("tandem.reconciliation.mismatches", mismatches, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("accounts whose balance is not the sum of their ledger, or whose held money is not their holds")
                    .register(registry);
        }

        @Scheduled(initialDelayString = "${tandem.reconciliation.initial-delay:PT1M}",
                fixedDelayString = "${tandem.reconciliation.interval:PT5M}")
        public void scheduled() {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("Reconciliation could not run; trying again at the next interval: {}", e.toString());
            }
        }

        /** Runs both checks now; the number of accounts found different. */
        public int reconcile() {
            int found = 0;
            for (var mismatch : ledger.reconcile()) {
                log.error("Reconciliation: account {} has balance {} but its ledger sums to {}", mismatch.accountId(),
                        mismatch.balance(), mismatch.ledgerSum());
                found++;
            }
            for (long accountId : holds.heldMismatches()) {
                log.error("Reconciliation: account {} holds money that is not the sum of its leases and reservations", accountId);
                found++;
            }
            mismatches.set(found);
            return found;
        }
    }

    /** Heartbeat, lease renewal and reclaiming dead peers' holds. */
    @Bean
    BillingMaintenance billingMaintenance(BalanceAuthorizer authorizer) {
        return new BillingMaintenance(authorizer);
    }

    /** Runs {@link BalanceAuthorizer#maintain()} every 5 s on Spring's scheduler thread. */
    public static final class BillingMaintenance {
        private final BalanceAuthorizer authorizer;

        BillingMaintenance(BalanceAuthorizer authorizer) {
            this.authorizer = authorizer;
        }

        @Scheduled(initialDelay = 0, fixedDelay = 5000)
        public void maintain() {
            try {
                authorizer.maintain();
            } catch (RuntimeException e) {
                log.warn("Billing housekeeping failed; retrying in 5 s: {}", e.getMessage());
            }
        }
    }

    private static CdrSpool openSpool(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return CdrSpool.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the settlement spool " + file, e);
        }
    }
}
