package dev.herald.acceptance.portal;

import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.event.EventId;
import dev.herald.store.PortalTokens.Grant;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer portal in a real browser against a whole Herald and a real receiver: the flows of issue 23, an
 * axe-core check of every screen in light and dark, 375 px without sideways scrolling, and the screenshots (in
 * {@code target/portal/}; the README's copies in {@code docs/portal/} with {@code -Dherald.docs.refresh=true}). One
 * browser for the class; each test signs in as an account of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {
    @RegisterExtension
    @Order(1)
    static final Browser browser = new Browser();
    @RegisterExtension
    @Order(2)
    static final HeraldExtension herald = HeraldExtension.sqlite();

    /**
     * From the module's directory where the tests run: its target/portal, so a test run leaves the working tree
     * clean, or the project's docs/portal when the committed screenshots are to be refreshed.
     */
    private static final Path SCREENSHOTS = Boolean.getBoolean("herald.docs.refresh")
            ? Path.of("..", "docs", "portal") : Path.of("target", "portal");

    private final AtomicBoolean failing = new AtomicBoolean();
    private WebhookReceiver receiver;
    private TestAccount tenant;

    @BeforeEach
    void signIn() {
        receiver = WebhookReceiver.start().on("/hook", (exchange, closing) -> {
            boolean fail = failing.get();
            byte[] body = (fail ? "boom: database down" : "thanks").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        tenant = herald.newAccount();
        browser.dark(false);
        browser.width(1280);
        browser.open(mint(tenant));
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/portal/endpoints"));
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aMintedLinkOpensTheEndpointsListAtACleanUrl() {
        assertThat(browser.heading()).isEqualTo("Endpoints");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("token");
        assertThat(browser.driver().getPageSource()).contains("No endpoints yet");
    }

    @Test
    void createsAnEndpointToAReceiverAndATestEventShowsThe200Attempt() {
        String id = createEndpoint("Orders backend");

        assertThat(browser.find(By.cssSelector(".badge")).getText()).isEqualTo("active");
        browser.find(By.id("send-test")).click();

        WebElement result = browser.find(By.id("test-result"));
        assertThat(result.getText()).contains("Delivered").contains("status 200");
        assertThat(receiver.requests("/hook")).hasSize(1);
        assertThat(receiver.requests("/hook").getFirst().header("webhook-id")).startsWith("evt_");
        browser.open(herald.baseUri() + "/portal/endpoints");
        assertThat(browser.find(By.cssSelector("tbody tr")).getText()).contains(receiver.url("/hook"))
                .contains("active").contains("100 %");
        assertThat(id).startsWith("wh_");
    }

    @Test
    void aFailingAttemptShowsItsStatusAndBodyAndRetryNowDeliversOnceTheReceiverIsFixed() {
        String endpoint = createEndpoint("Flaky");
        failing.set(true);
        Delivery delivery = publishAndAwait(DeliveryState.FAILED);

        browser.open(herald.baseUri() + "/portal/deliveries/" + delivery.id().value());
        assertThat(browser.find(By.id("delivery-state")).getText()).isEqualTo("failed");
        var attempts = browser.driver().findElements(By.cssSelector("table.attempts tbody tr"));
        assertThat(attempts).hasSize(HeraldExtension.FAST_RETRY_ATTEMPTS);
        assertThat(attempts.getFirst().getText()).contains("500").contains("status").contains("boom: database down");
        assertThat(browser.find(By.tagName("pre")).getText()).contains("\"type\" : \"job.completed\"");

        failing.set(false);
        reEnable(endpoint);
        browser.open(herald.baseUri() + "/portal/deliveries/" + delivery.id().value());
        browser.find(By.id("retry-now")).click();

        browser.waitFor(d -> d.getPageSource().contains("Retry started"));
        Await.until("the retried delivery is delivered", () -> state(delivery) == DeliveryState.DELIVERED);
        browser.open(herald.baseUri() + "/portal/deliveries/" + delivery.id().value());
        assertThat(browser.find(By.id("delivery-state")).getText()).isEqualTo("delivered");
        assertThat(browser.driver().findElements(By.cssSelector("table.attempts tbody tr")).getLast().getText())
                .contains("200").contains("thanks");
    }

    @Test
    void recoverSinceATimeSendsTheFailedDeliveriesAgain() {
        String endpoint = createEndpoint("Recoverable");
        failing.set(true);
        Delivery delivery = publishAndAwait(DeliveryState.FAILED);
        failing.set(false);
        reEnable(endpoint);

        browser.open(herald.baseUri() + "/portal/endpoints/" + endpoint);
        WebElement since = browser.find(By.id("since"));
        assertThat(since.getAttribute("value")).isNotEmpty(); // a day ago, as the page proposes
        browser.find(By.xpath("//button[text()='Recover']")).click();

        browser.waitFor(d -> d.getPageSource().contains("being sent again"));
        Await.until("the recovered delivery is delivered", () -> state(delivery) == DeliveryState.DELIVERED);
    }

    @Test
    void filtersAnEndpointsDeliveriesByStatus() {
        String endpoint = createEndpoint("Filtered");
        Delivery delivered = publishAndAwait(DeliveryState.DELIVERED);
        failing.set(true);
        Delivery failed = publishAndAwait(DeliveryState.FAILED);

        browser.open(herald.baseUri() + "/portal/endpoints/" + endpoint);
        browser.find(By.linkText("All deliveries")).click();
        browser.waitFor(d -> d.findElements(By.cssSelector("tbody tr")).size() == 2);
        new Select(browser.find(By.id("status"))).selectByValue("failed");
        browser.find(By.xpath("//button[text()='Filter']")).click();

        browser.waitFor(d -> d.getCurrentUrl().contains("status=failed"));
        var rows = browser.driver().findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains(failed.id().value()).doesNotContain(delivered.id().value());
    }

    @Test
    void revealsTheSecretAndRotatingShowsBothDuringTheOverlap() {
        createEndpoint("Signed");
        assertThat(browser.driver().getPageSource()).doesNotContain("whsec_");

        browser.find(By.id("reveal-secret")).click();
        // an empty list would satisfy the wait at once: wait for the secret htmx puts in
        browser.waitFor(d -> !d.findElements(By.cssSelector("code.secret")).isEmpty());
        List<WebElement> secrets = browser.driver().findElements(By.cssSelector("code.secret"));
        assertThat(secrets).hasSize(1);
        String first = secrets.getFirst().getText();
        assertThat(first).startsWith("whsec_");
        assertThat(browser.driver().findElements(By.cssSelector("[data-copy]"))).hasSize(1);

        browser.find(By.id("rotate-secret")).click();
        browser.waitFor(d -> d.findElements(By.cssSelector("code.secret")).size() == 2);
        var rotated = browser.driver().findElements(By.cssSelector(".secrets li"));
        assertThat(rotated.get(0).getText()).doesNotContain(first).contains("current");
        assertThat(rotated.get(1).getText()).contains(first).contains("expires");
    }

    @Test
    void pausesAndResumesAnEndpoint() {
        String endpoint = createEndpoint("Pausable");

        browser.find(By.xpath("//button[text()='Pause']")).click();
        browser.waitFor(d -> d.findElement(By.cssSelector(".badge")).getText().equals("paused"));
        assertThat(herald.client(tenant).get("/v1/webhooks/" + endpoint).json().path("status").asText())
                .isEqualTo("paused");

        browser.find(By.xpath("//button[text()='Resume']")).click();
        browser.waitFor(d -> d.findElement(By.cssSelector(".badge")).getText().equals("active"));
        assertThat(herald.client(tenant).get("/v1/webhooks/" + endpoint).json().path("status").asText())
                .isEqualTo("active");
    }

    @Test
    void editsAndDeletesAnEndpointAfterConfirmation() {
        String endpoint = createEndpoint("Before");

        browser.open(herald.baseUri() + "/portal/endpoints/" + endpoint + "/edit");
        WebElement description = browser.find(By.id("description"));
        description.clear();
        description.sendKeys("After");
        browser.find(By.id("rate_limit")).sendKeys("5");
        browser.find(By.id("headers")).sendKeys("X-Team: payments");
        browser.find(By.xpath("//button[text()='Save changes']")).click();
        browser.waitFor(d -> d.getPageSource().contains("Changes saved"));
        var saved = herald.client(tenant).get("/v1/webhooks/" + endpoint).json();
        assertThat(saved.path("description").asText()).isEqualTo("After");

        browser.find(By.linkText("Delete")).click();
        browser.waitForHeading("Delete endpoint?");
        browser.find(By.xpath("//button[text()='Delete endpoint']")).click();
        browser.waitFor(d -> d.getPageSource().contains("Endpoint deleted"));
        assertThat(herald.client(tenant).get("/v1/webhooks/" + endpoint).status()).isEqualTo(404);
    }

    @Test
    void aRefusedFormShowsTheServicesReasonAndKeepsWhatWasTyped() {
        browser.open(herald.baseUri() + "/portal/endpoints/new");
        // the browser's own check would stop a bad URL before it is sent; a URL the policy refuses is sent
        browser.find(By.id("url")).sendKeys("https://example.com/hook");
        browser.find(By.xpath("//button[text()='Add endpoint']")).click();

        assertThat(browser.find(By.id("form-error")).getText()).contains("event type");
        assertThat(browser.find(By.id("url")).getAttribute("value")).isEqualTo("https://example.com/hook");
    }

    @Test
    void aUsedLinkAndAnExpiredLinkAreRefused() {
        String link = mint(tenant);
        browser.open(link);
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/portal/endpoints"));

        browser.open(link);
        assertThat(browser.heading()).isEqualTo("This link has expired");

        String expired = ApiKeyToken.randomToken("hpl_");
        Instant now = Instant.now();
        herald.store().portalTokens().addLink(ApiKeyToken.sha256Hex(expired),
                new Grant(tenant.account(), tenant.keyId(), now.minusSeconds(1)), now.minus(Duration.ofMinutes(16)));
        browser.open(herald.baseUri() + "/portal/login?token=" + expired);
        assertThat(browser.heading()).isEqualTo("This link has expired");
    }

    @Test
    void signingOutEndsTheSession() {
        browser.find(By.xpath("//button[text()='Sign out']")).click();

        browser.waitForHeading("You are signed out");
        browser.open(herald.baseUri() + "/portal/endpoints");
        assertThat(browser.heading()).isEqualTo("Your session has ended");
    }

    @Test
    void anotherAccountsEndpointIsTheNotFoundPage() {
        var other = herald.newAccount();
        String theirs = herald.client(other).post("/v1/webhooks",
                "{\"url\":\"https://example.com/theirs\",\"events\":[\"*\"]}").json().path("id").asText();

        browser.open(herald.baseUri() + "/portal/endpoints/" + theirs);

        assertThat(browser.heading()).isEqualTo("Not found");
        assertThat(browser.driver().getPageSource()).doesNotContain("example.com/theirs");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsForbidden() {
        String endpoint = createEndpoint("Guarded");

        Object status = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', credentials: 'same-origin',
                        headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'status=paused'})
                    .then(r => done(r.status));""", "/portal/endpoints/" + endpoint + "/status");

        assertThat(status).isEqualTo(403L);
        assertThat(herald.client(tenant).get("/v1/webhooks/" + endpoint).json().path("status").asText())
                .isEqualTo("active");
    }

    @Test
    void theKeyboardReachesEveryActionOfTheList() {
        var focused = new ArrayList<String>();
        for (int i = 0; i < 6 && !focused.contains("Add endpoint"); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
            focused.add(browser.driver().switchTo().activeElement().getText());
        }
        assertThat(focused).contains("Endpoints", "Event catalog", "Add endpoint");

        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/portal/endpoints/new"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyScreenPassesAxeInLightAndDarkAndFitsAPhone() {
        String endpoint = createEndpoint("Production orders");
        browser.find(By.id("send-test")).click();
        browser.find(By.id("test-result"));
        failing.set(true);
        Delivery failed = publishAndAwait(DeliveryState.FAILED);
        failing.set(false);
        reEnable(endpoint);
        publishAndAwait(DeliveryState.DELIVERED);
        String base = herald.baseUri() + "/portal";

        var screens = List.of(
                new Screen("endpoints", base + "/endpoints"),
                new Screen("endpoint-new", base + "/endpoints/new"),
                new Screen("endpoint", base + "/endpoints/" + endpoint),
                new Screen("endpoint-edit", base + "/endpoints/" + endpoint + "/edit"),
                new Screen("endpoint-delete", base + "/endpoints/" + endpoint + "/delete"),
                new Screen("deliveries", base + "/endpoints/" + endpoint + "/deliveries?status=failed"),
                new Screen("delivery", base + "/deliveries/" + failed.id().value()),
                new Screen("catalog", base + "/catalog"),
                new Screen("not-found", base + "/endpoints/wh_missing"),
                new Screen("link-expired", base + "/login?token=used"));
        var shots = List.of("endpoints", "endpoint", "delivery");
        for (boolean dark : List.of(false, true)) {
            browser.dark(dark);
            for (int width : List.of(1280, 375)) {
                browser.width(width);
                for (Screen screen : screens) {
                    browser.open(screen.url());
                    browser.find(By.tagName("h1"));
                    if (screen.name().equals("endpoint")) {
                        browser.find(By.id("reveal-secret")).click();
                        browser.find(By.cssSelector("code.secret"));
                    }
                    String variant = screen.name() + " at " + width + " px, " + (dark ? "dark" : "light");
                    if (width == 375) {
                        assertThat(browser.scrollsSideways()).as("%s scrolls sideways", variant).isFalse();
                    }
                    if (width == 1280 || !dark) {
                        browser.assertAccessible(variant);
                    }
                    if (shots.contains(screen.name())) {
                        browser.screenshot(SCREENSHOTS.resolve(screen.name() + "-" + width + "-"
                                + (dark ? "dark" : "light") + ".png"));
                    }
                }
            }
        }
        browser.dark(false);
        browser.width(1280);
    }

    private record Screen(String name, String url) {
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private String mint(TestAccount account) {
        var minted = herald.admin().post("/admin/v1/accounts/" + account.account().value() + "/portal-sessions", "{}");
        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        return minted.json().path("url").asText();
    }

    /** Adds an endpoint to the receiver through the form; returns its id, from the page it lands on. */
    private String createEndpoint(String description) {
        browser.open(herald.baseUri() + "/portal/endpoints/new");
        browser.find(By.id("url")).sendKeys(receiver.url("/hook"));
        browser.find(By.id("description")).sendKeys(description);
        browser.find(By.id("event-job.completed")).click();
        browser.find(By.xpath("//button[text()='Add endpoint']")).click();
        browser.waitFor(d -> d.getPageSource().contains("Endpoint added"));
        String url = browser.driver().getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    private Delivery publishAndAwait(DeliveryState state) {
        var published = herald.client(tenant).post("/v1/events", "{\"type\":\"job.completed\",\"data\":{\"job\":42}}");
        assertThat(published.status()).as(published.toString()).isEqualTo(202);
        var event = new EventId(published.json().path("id").asText());
        return Await.value("a delivery " + state.wireName(), () -> herald.store().events()
                .deliveriesOf(tenant.account(), event).stream().filter(d -> d.state() == state).findFirst());
    }

    private DeliveryState state(Delivery delivery) {
        return herald.store().deliveries().find(tenant.account(), delivery.id()).orElseThrow().state();
    }

    /** A delivery that exhausted its attempts disables its endpoint; the portal's "Re-enable" sets it active. */
    private void reEnable(String endpoint) {
        Await.until("the endpoint is disabled after the exhausted delivery", () -> herald.client(tenant)
                .get("/v1/webhooks/" + endpoint).json().path("status").asText().equals("disabled"));
        browser.open(herald.baseUri() + "/portal/endpoints/" + endpoint);
        browser.find(By.xpath("//button[text()='Re-enable']")).click();
        browser.waitFor(d -> d.findElement(By.cssSelector(".badge")).getText().equals("active"));
    }
}
