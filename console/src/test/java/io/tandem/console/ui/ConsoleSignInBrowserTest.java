package io.tandem.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Signing in to the console in a real Chromium. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleSignInBrowserTest {

    static final String ADMIN_PASSWORD = "admin-password-0123";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", () -> dataDir.toString());
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.admin.initial-password", () -> ADMIN_PASSWORD);
        // no development-mode toolbar or banners over the screenshots
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Test
    void anAdminSignsInAndTheNavigationOffersTheDashboard() {
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port)) {
            browser.signIn("admin", ADMIN_PASSWORD);

            assertThat(browser.navigationPaths()).contains("");
            assertThat(browser.driver().getTitle()).contains("Tandem");
        }
    }
}
