package io.tandem.console.ui;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Console views without a browser, on one node with the demo data (customer "Demo Customer", vendors A and B,
 * trunk "demo-trunk", prefixes 44 and 1). Every subclass shares this configuration, so Spring starts the node
 * once for all of them; sign in per test with {@link #signIn}.
 */
@SpringBootTest
public abstract class BrowserlessConsoleTest extends SpringBrowserlessTest {

    /** One data directory for every subclass: the same properties make Spring reuse one context. */
    private static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("tandem-browserless-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Signs in for the rest of the test, as the console's login would: a user name and a console role
     * ({@code ConsoleRole.VIEWER}, ...). Call before {@code navigate}.
     */
    protected static void signIn(String username, String role) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + role))));
        SecurityContextHolder.setContext(context);
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.tandem.routing.reload.RouteTableHolder routeTable;

    /**
     * The demo data is seeded after the node starts and the route table reloads on its own thread:
     * a test that routes waits until the table has the demo trunk (on a busy machine that can take
     * a few seconds after the first test began).
     */
    @org.junit.jupiter.api.BeforeEach
    void awaitTheDemoTrunkInTheRouteTable() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (routeTable.current().trunkIds().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", DATA_DIR::toString);
        registry.add("tandem.sip.enabled", () -> "false");
    }
}
