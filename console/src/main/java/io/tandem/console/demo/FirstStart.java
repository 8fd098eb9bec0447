package io.tandem.console.demo;

import io.tandem.console.demo.persistence.DemoDataSeeder;
import io.tandem.console.node.TandemProperties;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.ApiRole;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * What a node does on the first start against an empty database: create the console's admin
 * user (a random password, or {@code tandem.admin.initial-password}) and, unless {@code --no-demo},
 * seed the demo setup with an API key. New secrets go to {@value #SECRETS_FILE} under the data
 * directory, readable by its owner only; the log says where, never what.
 */
@Component
@Order(0)
public class FirstStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

    private final ConsoleUserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final ApiKeys apiKeys;
    private final TandemProperties properties;
    private final DemoDataSeeder seeder;
    private final Clock clock;
    private final String initialPassword;

    public FirstStart(ConsoleUserRepository users, PasswordEncoder passwordEncoder, ApiKeys apiKeys, TandemProperties properties,
                      DemoDataSeeder seeder, Clock clock,
                      @org.springframework.beans.factory.annotation.Value("${tandem.admin.initial-password:}") String initialPassword) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.apiKeys = apiKeys;
        this.properties = properties;
        this.seeder = seeder;
        this.clock = clock;
        this.initialPassword = initialPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        String password = null;
        if (users.count() == 0) {
            password = initialPassword.isBlank() ? randomPassword() : initialPassword;
            try {
                users.create("admin", passwordEncoder.encode(password), Set.of("admin"), clock.instant());
            } catch (RuntimeException e) {
                if (users.count() == 0) {
                    throw e;
                }
                log.info("Another node created the admin user at the same time; keeping theirs");
                password = null;
            }
        }
        String apiKey = null;
        if (properties.demo().enabled() && seeder.seedIfEmpty()) {
            apiKey = apiKeys.issue("demo", ApiRole.ADMIN, "first-start").secret();
            log.info("Demo data seeded: customer 'Demo Customer' (trunk 127.0.0.1/32), vendors on 127.0.0.1:5090 and :5091, prefixes 44 and 1");
        }
        boolean newPassword = password != null && initialPassword.isBlank();
        if (newPassword || apiKey != null) {
            StringBuilder secrets = new StringBuilder("# Tandem first start: the console's admin password and an API key, created once.\n"
                    + "# Store them elsewhere and delete this file.\n");
            if (newPassword) {
                secrets.append("console user: admin   password: ").append(password).append('\n');
            }
            if (apiKey != null) {
                secrets.append("API key (X-Api-Key): ").append(apiKey).append('\n');
            }
            Path file = writeOwnerOnly(properties.dataDir().resolve(SECRETS_FILE), secrets.toString());
            // Never the secrets themselves in the log: log files are shipped and kept.
            log.warn("\n\n=== Tandem first start: the admin password and an API key are in {} (readable by its owner only);"
                    + " store them and delete the file ===\n", file.toAbsolutePath());
        }
    }

    /** Where the first start leaves its secrets, under {@code tandem.data-dir}. */
    public static final String SECRETS_FILE = "first-start-secrets.txt";

    private static Path writeOwnerOnly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the first-start secrets to " + file, e);
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
