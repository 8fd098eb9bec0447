package io.tandem.console.notices;

import io.tandem.console.notices.persistence.RateNoticeRepository;
import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Mails rate-change notices with their CSV attached, one at a time on its own thread (an SMTP server that is slow
 * or down never holds up an import), and records on the notice whether the mail left or why not. The sender is
 * kept inside this class rather than published as a bean, so a mail server that is down does not turn the node's
 * health DOWN.
 */
public class RateNoticeMailer {

    private static final Logger LOG = LoggerFactory.getLogger(RateNoticeMailer.class);
    /** Notices waiting for the SMTP server; beyond that a notice is kept and marked as not mailed. */
    static final int QUEUE = 1000;

    private final MailProperties settings;
    private final RateNoticeRepository notices;
    private final Clock clock;
    private final JavaMailSenderImpl sender;
    private final ThreadPoolExecutor outbox;

    public RateNoticeMailer(MailProperties settings, RateNoticeRepository notices, Clock clock) {
        this.settings = settings;
        this.notices = notices;
        this.clock = clock;
        this.sender = settings.enabled() ? sender(settings) : null;
        this.outbox = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("notice-mail-", 0).daemon(true).factory());
        this.outbox.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        outbox.shutdown();
    }

    /** A notice to mail: its subject, plain-text body and CSV attachment. */
    public record Letter(RateNotice notice, String subject, String body, String attachmentName, String csv) {
    }

    /** Queues the letter; the notice records the outcome. Without recipients or {@code tandem.mail.host}, records why not. */
    public void send(Letter letter) {
        RateNotice notice = letter.notice();
        if (notice.recipients().isBlank()) {
            notices.markMailFailed(notice.id(), "no notice e-mail address for the account");
            return;
        }
        if (sender == null) {
            notices.markMailFailed(notice.id(), "mail is off: tandem.mail.host is not set");
            return;
        }
        try {
            outbox.execute(() -> deliver(letter));
        } catch (RejectedExecutionException e) {
            LOG.warn("Rate notice {} not mailed: {} notices are waiting for the mail server", notice.id(), QUEUE);
            notices.markMailFailed(notice.id(), "not mailed: " + QUEUE + " notices were waiting for the mail server");
        }
    }

    private void deliver(Letter letter) {
        RateNotice notice = letter.notice();
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper mail = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            mail.setFrom(settings.from());
            mail.setTo(notice.recipients().split("\\s*,\\s*"));
            mail.setSubject(letter.subject());
            mail.setText(letter.body());
            mail.addAttachment(letter.attachmentName(), new ByteArrayResource(letter.csv().getBytes(StandardCharsets.UTF_8)), "text/csv");
            sender.send(message);
            notices.markMailed(notice.id(), clock.instant());
        } catch (MessagingException | MailException e) {
            LOG.warn("Rate notice {} to {} not mailed: {}", notice.id(), notice.recipients(), e.getMessage());
            notices.markMailFailed(notice.id(), "not mailed: " + e.getMessage());
        }
    }

    /** An SMTP sender for the settings; shared with the invoice mailer. */
    public static JavaMailSenderImpl sender(MailProperties settings) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(settings.host());
        sender.setPort(settings.port());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties properties = sender.getJavaMailProperties();
        String millis = String.valueOf(settings.timeout().toMillis());
        properties.put("mail.smtp.connectiontimeout", millis);
        properties.put("mail.smtp.timeout", millis);
        properties.put("mail.smtp.writetimeout", millis);
        if (settings.username() != null && !settings.username().isBlank()) {
            sender.setUsername(settings.username());
            sender.setPassword(settings.password());
            properties.put("mail.smtp.auth", "true");
        }
        if (settings.starttls()) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        return sender;
    }
}
