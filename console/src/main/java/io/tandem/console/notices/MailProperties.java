package io.tandem.console.notices;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the node sends e-mail ({@code tandem.mail.*}). Without a {@code host} nothing is mailed: notices are kept
 * and shown in the console, the API and the partner view, and each says that it was not mailed.
 *
 * @param host     SMTP server; blank = mail off
 * @param port     SMTP port (25, or 587 with {@code starttls})
 * @param username SMTP user, blank = no authentication
 * @param password SMTP password
 * @param from     the sender address of notices
 * @param starttls require STARTTLS (RFC 3207) before authenticating
 * @param timeout  connect, read and write timeout of one delivery
 */
@ConfigurationProperties("tandem.mail")
public record MailProperties(String host, @DefaultValue("25") int port, String username, String password,
                             @DefaultValue("tandem@localhost") String from, @DefaultValue("false") boolean starttls,
                             @DefaultValue("10s") Duration timeout) {

    public boolean enabled() {
        return host != null && !host.isBlank();
    }
}
