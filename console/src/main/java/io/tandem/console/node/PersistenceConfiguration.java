package io.tandem.console.node;

import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.provisioning.persistence.GatewayRepository;
import io.tandem.routing.provisioning.persistence.RoutingProfileRepository;
import io.tandem.routing.provisioning.persistence.TrunkRepository;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the modules' plain-Java repositories to Boot's jOOQ {@link DSLContext}. */
@Configuration(proxyBeanMethods = false)
public class PersistenceConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AccountLedger accountLedger(DSLContext dsl, Clock clock) {
        return new AccountLedger(dsl, clock);
    }

    @Bean
    AccountRepository accountRepository(DSLContext dsl, Clock clock, AccountLedger ledger) {
        return new AccountRepository(dsl, clock, ledger);
    }

    @Bean
    TrunkRepository trunkRepository(DSLContext dsl, Clock clock, TandemProperties properties) {
        return new TrunkRepository(dsl, clock, properties.sip().realm());
    }

    @Bean
    GatewayRepository gatewayRepository(DSLContext dsl, Clock clock) {
        return new GatewayRepository(dsl, clock);
    }

    @Bean
    RoutingProfileRepository routingProfileRepository(DSLContext dsl, Clock clock) {
        return new RoutingProfileRepository(dsl, clock);
    }

    @Bean
    io.tandem.console.security.persistence.ApiKeyRepository apiKeyRepository(DSLContext dsl) {
        return new io.tandem.console.security.persistence.ApiKeyRepository(dsl);
    }

    @Bean
    io.tandem.console.security.persistence.ConsoleUserRepository consoleUserRepository(DSLContext dsl) {
        return new io.tandem.console.security.persistence.ConsoleUserRepository(dsl);
    }

    @Bean
    io.tandem.console.demo.persistence.DemoDataSeeder demoDataSeeder(DSLContext dsl, Clock clock) {
        return new io.tandem.console.demo.persistence.DemoDataSeeder(dsl, clock);
    }

    @Bean
    io.tandem.billing.persistence.LeaseStore leaseStore(DSLContext dsl) {
        return new io.tandem.billing.persistence.LeaseStore(dsl);
    }

    @Bean
    io.tandem.billing.persistence.SettlementStore settlementStore(DSLContext dsl, TandemProperties properties) {
        return new io.tandem.billing.persistence.SettlementStore(dsl, "node:" + properties.effectiveNodeId());
    }

    @Bean
    io.tandem.billing.persistence.InvoiceStore invoiceStore(DSLContext dsl, Clock clock, AccountLedger ledger) {
        return new io.tandem.billing.persistence.InvoiceStore(dsl, clock, ledger);
    }

    @Bean
    io.tandem.billing.reconciliation.OurCallSource ourCallSource(DSLContext dsl) {
        return new io.tandem.billing.persistence.VendorCallStream(dsl);
    }

    @Bean
    io.tandem.billing.persistence.CdrStore cdrStore(DSLContext dsl) {
        return new io.tandem.billing.persistence.CdrStore(dsl);
    }

    @Bean
    io.tandem.routing.provisioning.persistence.TrunkAccessRepository trunkAccessRepository(DSLContext dsl) {
        return new io.tandem.routing.provisioning.persistence.TrunkAccessRepository(dsl);
    }

    @Bean
    io.tandem.billing.rerating.Rerater rerater(DSLContext dsl, io.tandem.billing.persistence.CdrStore cdrs, AccountLedger ledger) {
        return new io.tandem.billing.rerating.Rerater(cdrs, new io.tandem.billing.persistence.DeckRateLookup(dsl),
                new io.tandem.billing.persistence.RerateStore(dsl, ledger));
    }

    @Bean
    AuditLogRepository auditLogRepository(DSLContext dsl, Clock clock) {
        return new AuditLogRepository(dsl, clock);
    }

    @Bean
    io.tandem.console.partners.persistence.PartnerRepository partnerRepository(DSLContext dsl) {
        return new io.tandem.console.partners.persistence.PartnerRepository(dsl);
    }

    @Bean
    io.tandem.console.notices.persistence.RateNoticeRepository rateNoticeRepository(DSLContext dsl) {
        return new io.tandem.console.notices.persistence.RateNoticeRepository(dsl);
    }
}
