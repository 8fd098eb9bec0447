package io.tandem.console.invoices;

import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceKind;
import io.tandem.billing.invoicing.InvoicePdfRenderer;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.notices.MailProperties;
import io.tandem.console.notices.RateNoticeMailer;
import io.tandem.console.partners.persistence.PartnerRepository;
import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Mails an issued invoice or credit note, its PDF attached, to the account's invoice addresses (partner terms;
 * none = not mailed). Rendering and delivery run on one thread of their own, one document at a time, so neither a
 * month's run nor a slow SMTP server holds up issuing. The outcome is written to the audit log ({@code mail invoice}
 * or {@code mail invoice failed}, with the reason), since an issued document is never changed.
 */
public class InvoiceMailer {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceMailer.class);
    /** Documents waiting for the SMTP server; beyond that one is not mailed, and the audit log says so. */
    static final int QUEUE = 5000;
    static final String ACTOR = "mail";

    private final MailProperties settings;
    private final PartnerRepository partners;
    private final AuditLogRepository audit;
    private final JavaMailSenderImpl sender;
    private final ThreadPoolExecutor outbox;
    private final InvoicePdfRenderer pdf = new InvoicePdfRenderer();

    public InvoiceMailer(MailProperties settings, PartnerRepository partners, AuditLogRepository audit) {
        this.settings = settings;
        this.partners = partners;
        this.audit = audit;
        this.sender = settings.enabled() ? RateNoticeMailer.sender(settings) : null;
        this.outbox = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("invoice-mail-", 0).daemon(true).factory());
        this.outbox.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        outbox.shutdown();
    }

    /** Queues the document when the account has invoice addresses; without them nothing happens. */
    public void send(Invoice invoice) {
        String recipients = partners.terms(invoice.accountId()).invoiceEmail();
        if (recipients.isBlank()) {
            return;
        }
        if (sender == null) {
            failed(invoice, recipients, "mail is off: tandem.mail.host is not set");
            return;
        }
        try {
            outbox.execute(() -> deliver(invoice, recipients));
        } catch (RejectedExecutionException e) {
            LOG.warn("Invoice {} not mailed: {} documents are waiting for the mail server", invoice.documentNumber(), QUEUE);
            failed(invoice, recipients, "not mailed: " + QUEUE + " documents were waiting for the mail server");
        }
    }

    static String subject(Invoice invoice) {
        return (invoice.kind() == InvoiceKind.CREDIT_NOTE ? "Credit note " : "Invoice ") + invoice.documentNumber() + ": "
                + invoice.accountName() + ", " + invoice.period().label();
    }

    static String body(Invoice invoice) {
        return (invoice.kind() == InvoiceKind.CREDIT_NOTE
                ? "Please find attached credit note " + invoice.documentNumber() + (invoice.reason() == null || invoice.reason().isBlank()
                        ? "" : " (" + invoice.reason() + ")")
                : "Please find attached invoice " + invoice.documentNumber() + " for " + invoice.period().label())
                + ".\n\nTotal: " + Money.format(invoice.totalDue()) + " " + invoice.currency() + "\n";
    }

    private void deliver(Invoice invoice, String recipients) {
        try {
            ByteArrayOutputStream document = new ByteArrayOutputStream();
            pdf.render(invoice, document);
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper mail = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            mail.setFrom(settings.from());
            mail.setTo(recipients.split("\\s*,\\s*"));
            mail.setSubject(subject(invoice));
            mail.setText(body(invoice));
            mail.addAttachment(invoice.documentNumber() + ".pdf", new ByteArrayResource(document.toByteArray()), "application/pdf");
            sender.send(message);
            audit.record(ACTOR, "mail invoice", "invoice", String.valueOf(invoice.id()), invoice.documentNumber() + " to " + recipients, "");
        } catch (MessagingException | RuntimeException e) {
            // MailException, and whatever rendering throws: the document stays issued, the audit log says why
            LOG.warn("Invoice {} to {} not mailed: {}", invoice.documentNumber(), recipients, e.getMessage());
            failed(invoice, recipients, "not mailed: " + e.getMessage());
        }
    }

    private void failed(Invoice invoice, String recipients, String why) {
        audit.record(ACTOR, "mail invoice failed", "invoice", String.valueOf(invoice.id()), invoice.documentNumber() + " to " + recipients
                + ": " + why, "");
    }
}
