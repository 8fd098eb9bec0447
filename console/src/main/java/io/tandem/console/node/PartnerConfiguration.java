package io.tandem.console.node;

import io.tandem.console.accounts.AccountService;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.cdrs.CdrService;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.invoices.InvoiceMailer;
import io.tandem.console.invoices.InvoiceService;
import io.tandem.console.notices.MailProperties;
import io.tandem.console.notices.RateNoticeMailer;
import io.tandem.console.notices.RateNotices;
import io.tandem.console.notices.persistence.RateNoticeRepository;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.partners.PartnerAccess;
import io.tandem.console.partners.PartnerPortal;
import io.tandem.console.partners.PartnerScope;
import io.tandem.console.partners.persistence.PartnerRepository;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.persistence.ApiKeyRepository;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.routing.persistence.RateDeckRepository;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Partner access, deck submissions and rate-change notices (#20); their repositories are in {@link PersistenceConfiguration}. */
@Configuration(proxyBeanMethods = false)
class PartnerConfiguration {

    @Bean
    RateNoticeMailer rateNoticeMailer(MailProperties mail, RateNoticeRepository notices, Clock clock) {
        return new RateNoticeMailer(mail, notices, clock);
    }

    @Bean
    InvoiceMailer invoiceMailer(MailProperties mail, PartnerRepository partners, AuditLogRepository audit) {
        return new InvoiceMailer(mail, partners, audit);
    }

    @Bean
    RateNotices rateNotices(RateDeckRepository decks, RateNoticeRepository notices, PartnerRepository partners, RateNoticeMailer mailer,
                            AuditLogRepository audit, Clock clock) {
        return new RateNotices(decks, notices, partners, mailer, audit, clock);
    }

    @Bean
    PartnerScope partnerScope(ConsoleUserRepository users) {
        return new PartnerScope(users);
    }

    @Bean
    PartnerAccess partnerAccess(AccountService accounts, ApiKeys apiKeys, ApiKeyRepository keys, ConsoleUserRepository users,
                                PartnerRepository partners, PasswordEncoder passwords, AuditLogRepository audit, Clock clock) {
        return new PartnerAccess(accounts, apiKeys, keys, users, partners, passwords, audit, clock);
    }

    @Bean
    PartnerPortal partnerPortal(AccountService accounts, CdrService cdrs, RateDeckRepository decks, RateNotices notices,
                                InvoiceService invoices, AuditLogRepository audit, Clock clock) {
        return new PartnerPortal(accounts, cdrs, decks, notices, invoices, audit, clock);
    }

    @Bean
    DeckSubmissions deckSubmissions(RateDeckService decks, PartnerRepository partners, AuditLogRepository audit, Clock clock) {
        return new DeckSubmissions(decks, partners, audit, clock);
    }
}
