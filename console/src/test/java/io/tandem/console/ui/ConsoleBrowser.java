package io.tandem.console.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium (Debian's {@code chromium} and {@code chromium-driver}, never downloaded) driving the
 * console the way an operator does. Tests using it are skipped when the browser is not installed.
 *
 * <p>Screenshots go to {@code target/console-screenshots/}; with {@code -Dtandem.docs.screenshots=true}
 * they are also copied to {@code docs/console/}, where docs/console.md shows them.
 */
public final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final String baseUrl;
    private final WebDriver driver;
    private final Path profile;

    private ConsoleBrowser(String baseUrl, WebDriver driver, Path profile) {
        this.baseUrl = baseUrl;
        this.driver = driver;
        this.profile = profile;
    }

    /** A fresh headless browser with an empty profile; skips the calling test when Chromium is missing. */
    public static ConsoleBrowser open(String baseUrl) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        try {
            Path profile = Files.createTempDirectory("tandem-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-sync", "--disable-component-update",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,900");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1440, 900));
            return new ConsoleBrowser(baseUrl, driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a console path, e.g. {@code "calls"}, and waits until Vaadin has rendered it. */
    public ConsoleBrowser go(String path) {
        driver.get(baseUrl + "/" + path);
        waitForVaadin();
        return this;
    }

    /** Signs in through the login form and waits for the signed-in layout. */
    public ConsoleBrowser signIn(String username, String password) {
        driver.get(baseUrl + "/login");
        WebElement user = waitFor(d -> d.findElement(By.cssSelector("input[name=username]")));
        user.sendKeys(username);
        WebElement secret = driver.findElement(By.cssSelector("input[name=password]"));
        secret.sendKeys(password);
        secret.sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor(d -> d.findElements(By.id("tandem-navigation")).isEmpty() ? null : Boolean.TRUE);
        waitForVaadin();
        return this;
    }

    /** The paths the side navigation offers this user, in order. */
    @SuppressWarnings("unchecked")
    public List<String> navigationPaths() {
        return (List<String>) script("return Array.from(document.querySelectorAll('#tandem-navigation vaadin-side-nav-item'))"
                + ".map(i => i.getAttribute('path'));");
    }

    /** Runs JavaScript in the page (for shadow-DOM parts Selenium cannot reach by CSS). */
    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition::apply);
    }

    /** Waits until Vaadin's client has no request in flight. */
    public void waitForVaadin() {
        waitFor(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return !!window.Vaadin && !!window.Vaadin.Flow && !!window.Vaadin.Flow.clients"
                        + " && Object.values(window.Vaadin.Flow.clients).every(c => !c.isActive || !c.isActive());")) ? Boolean.TRUE : null);
    }

    /** Saves the page as {@code name.png}; see the class comment for where. */
    public Path screenshot(String name) {
        try {
            Path target = Path.of("target", "console-screenshots");
            Files.createDirectories(target);
            Path file = target.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            if (Boolean.getBoolean("tandem.docs.screenshots")) {
                Path docs = Path.of("..", "docs", "console");
                Files.createDirectories(docs);
                Files.copy(file, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
