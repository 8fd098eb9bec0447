package io.tandem.console.ui;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One console node (SIP off, demo data seeded) for the browserless tests of the trunks, gateways,
 * routing, reports, users and audit views; every test class extends this one, so they share one
 * Spring context.
 */
@SpringBootTest
public abstract class OpsViewFixture extends SpringBrowserlessTest {

    public static final String ADMIN_PASSWORD = "admin-password-0123";

    /**
     * The node's data directory (embedded PostgreSQL). Not a JUnit {@code @TempDir}: that is deleted after
     * the first test class, while the cached Spring context and its database serve every class.
     */
    static final Path DATA_DIR = dataDirectory();

    private static Path dataDirectory() {
        try {
            Path target = Path.of("target");
            java.nio.file.Files.createDirectories(target);
            return java.nio.file.Files.createTempDirectory(target, "ops-views-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> DATA_DIR.toAbsolutePath().toString());
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
    }

    /** Signs a console user in, as the login form would: roles as in {@link ConsoleRole}. */
    protected static void signedInAs(String user, String... roles) {
        List<SimpleGrantedAuthority> authorities = Arrays.stream(roles).map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(user, null, authorities));
    }

    /** Whether navigating to the view shows it (false when the route refuses the user). */
    protected boolean landsOn(Class<? extends com.vaadin.flow.component.Component> view) {
        try {
            navigate(view);
        } catch (RuntimeException refused) {
            return false;
        }
        return view.isInstance(getCurrentView());
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }
}
