package dev.herald.acceptance.portal;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) for a whole test class, with what the
 * portal tests need of it: a viewport of a given width, light or dark colour scheme, an axe-core check of the page,
 * and screenshots. Without a browser the class is skipped with one line, except under {@code CI=true}, where it
 * fails: CI must run it ({@code .ci/run} installs the packages).
 */
final class Browser implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> BINARIES = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium",
            "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ChromeDriver driver;
    private Path profile;
    private String axe;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<String> binary = firstExisting(BINARIES);
        Optional<String> chromedriver = firstExisting(DRIVERS);
        if (binary.isEmpty() || chromedriver.isEmpty()) {
            String reason = "portal browser tests skipped: no chromium/chromedriver (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(reason.replace("skipped", "cannot run under CI=true"));
            }
            Assumptions.abort(reason);
        }
        profile = Files.createTempDirectory("herald-chromium");
        var options = new ChromeOptions();
        options.setBinary(binary.get());
        // the closed network: no first-run, sync, component or background traffic, no QUIC
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(chromedriver.get()).toFile())
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        axe = axeSource();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(By by) {
        return waitFor(d -> d.findElement(by));
    }

    /**
     * A page replaced while the condition reads it (htmx, a redirect) is read again, as a missing element is; so is a
     * read Chrome aborted because the page was still navigating (a form just sent), and one of an element Chrome
     * found on the old page and read once the new one had replaced it ("Node with given id does not belong to the
     * document": Chrome's own words for a stale element, reported as an unknown error).
     */
    <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            try {
                return condition.apply(d);
            } catch (WebDriverException e) {
                String message = e.getMessage();
                if (message != null && (message.contains("aborted by navigation")
                        || message.contains("does not belong to the document"))) {
                    return null; // not yet: the wait asks again
                }
                throw e;
            }
        });
    }

    /** The page's heading; read again should the page be replaced while it is read. */
    String heading() {
        return waitFor(d -> d.findElement(By.tagName("h1")).getText());
    }

    /** Waits until the page's heading is {@code text} (after a click that loads another page). */
    void waitForHeading(String text) {
        waitFor(d -> d.findElement(By.tagName("h1")).getText().equals(text));
    }

    /** The viewport: 1280 px desktop or 375 px phone (emulated, as headless windows have a minimum width). */
    void width(int pixels) {
        if (pixels >= 1000) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        } else {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", pixels, "height", 812,
                    "deviceScaleFactor", 1, "mobile", true));
        }
    }

    void dark(boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /** Whether the page is wider than the viewport (a phone would have to scroll sideways). */
    boolean scrollsSideways() {
        return (Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }

    /** The serious and critical axe-core violations of the page as shown now, one line each. */
    List<String> seriousViolations() {
        driver.executeScript(axe);
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(r => done(r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at '
                           + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));""");
        var lines = new ArrayList<String>();
        if (result instanceof List<?> list) {
            list.forEach(v -> lines.add(String.valueOf(v)));
        }
        return lines;
    }

    void assertAccessible(String screen) {
        assertThat(seriousViolations()).as("axe-core on %s", screen).isEmpty();
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            driver.executeScript("window.scrollTo(0, 0);"); // the top of the page, whatever the test clicked
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The axe-core script bundled in Deque's Maven artifact (MPL-2.0), injected into each page checked. */
    private static String axeSource() throws IOException {
        try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> firstExisting(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
