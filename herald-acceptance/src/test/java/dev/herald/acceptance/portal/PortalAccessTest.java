package dev.herald.acceptance.portal;

import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.app.Main;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.store.PortalTokens.Grant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's access rules over plain HTTP on each store: minting (admin API and CLI), single-use links, the
 * session cookie's attributes, CSRF, the security headers, and one account per session.
 */
@ClassTemplate
class PortalAccessTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore()
            .with("portal.frame-ancestors", "https://app.example.com")
            .with("portal.title", "Acme webhooks")
            .with("portal.logo-url", "https://cdn.example.com/logo.svg")
            .with("portal.accent-color", "#0f766e");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private TestAccount tenant;

    @BeforeEach
    void account() {
        tenant = herald.newAccount();
    }

    @Test
    void aMintedLinkOpensASessionOnceAndThePagesNeedIt() {
        var minted = herald.admin().post("/admin/v1/accounts/" + tenant.account().value() + "/portal-sessions", "{}");
        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        String url = minted.json().path("url").asText();
        String token = minted.json().path("token").asText();
        assertThat(url).isEqualTo(herald.baseUri() + "/portal/login?token=" + token);

        var opened = get(url, null);
        assertThat(opened.statusCode()).isEqualTo(200);
        String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("herald_portal=hps_").contains("HttpOnly", "SameSite=Strict", "Path=/portal")
                .doesNotContain("Secure");
        assertThat(opened.body()).contains("url=/portal/endpoints");

        var again = get(url, null);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("This link has expired").doesNotContain("Exception");

        String session = cookie.substring(0, cookie.indexOf(';'));
        var page = get(herald.baseUri() + "/portal/endpoints", session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Endpoints</h1>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "frame-ancestors https://app.example.com");
        assertThat(get(herald.baseUri() + "/portal/endpoints", null).statusCode()).isEqualTo(401);

        // the bare /portal too carries the portal's headers, and nothing outside the portal does
        var bare = get(herald.baseUri() + "/portal", null);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get(herald.baseUri() + "/health", null).headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    void thePagesCarryTheConfiguredBrandingAndServeEveryAssetThemselves() {
        String session = signIn(mint());
        var page = get(herald.baseUri() + "/portal/endpoints", session);

        assertThat(page.body()).contains("<title>Endpoints · Acme webhooks</title>")
                .contains("<img src=\"https://cdn.example.com/logo.svg\"")
                .doesNotContain("<script>").doesNotContain(" style=\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("img-src 'self' https://cdn.example.com;");
        assertThat(get(herald.baseUri() + "/portal/assets/theme.css", null).body()).contains("--accent: #0f766e;");
        var htmx = get(herald.baseUri() + "/portal/assets/htmx.min.js", null);
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(get(herald.baseUri() + "/portal/assets/portal.css", null).statusCode()).isEqualTo(200);
        assertThat(get(herald.baseUri() + "/portal/assets/secrets.txt", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theCookieIsSecureBehindHttps() throws Exception {
        String url = mint();
        var opened = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-Proto", "https").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(opened.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void forgedAndExpiredLinksAreRefusedWithAPlainPage() {
        var forged = get(herald.baseUri() + "/portal/login?token=" + ApiKeyToken.randomToken("hpl_"), null);
        var garbage = get(herald.baseUri() + "/portal/login?token=%3Cscript%3E", null);
        String expiredToken = ApiKeyToken.randomToken("hpl_");
        Instant now = Instant.now();
        herald.store().portalTokens().addLink(ApiKeyToken.sha256Hex(expiredToken),
                new Grant(tenant.account(), tenant.keyId(), now.minus(Duration.ofMinutes(1))), now.minusSeconds(900));
        var expired = get(herald.baseUri() + "/portal/login?token=" + expiredToken, null);

        for (var response : java.util.List.of(forged, garbage, expired)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("This link has expired").doesNotContain("<script>");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsForbidden() {
        String session = signIn(mint());
        var created = herald.client(tenant).post("/v1/webhooks",
                "{\"url\":\"https://example.com/hook\",\"events\":[\"*\"]}");
        String id = created.json().path("id").asText();

        var withoutToken = post(herald.baseUri() + "/portal/endpoints/" + id + "/status", session, "status=paused");
        var wrongToken = post(herald.baseUri() + "/portal/endpoints/" + id + "/status", session,
                "status=paused&_csrf=" + "0".repeat(64));

        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(herald.client(tenant).get("/v1/webhooks/" + id).json().path("status").asText()).isEqualTo("active");

        String csrf = csrf(get(herald.baseUri() + "/portal/endpoints/" + id, session).body());
        var withToken = post(herald.baseUri() + "/portal/endpoints/" + id + "/status", session,
                "status=paused&_csrf=" + csrf);
        assertThat(withToken.statusCode()).isEqualTo(303);
        assertThat(herald.client(tenant).get("/v1/webhooks/" + id).json().path("status").asText()).isEqualTo("paused");
    }

    @Test
    void anotherAccountsEndpointIsNotFound() {
        var other = herald.newAccount();
        String theirs = herald.client(other).post("/v1/webhooks",
                "{\"url\":\"https://example.com/theirs\",\"events\":[\"*\"]}").json().path("id").asText();
        String session = signIn(mint());

        var page = get(herald.baseUri() + "/portal/endpoints/" + theirs, session);
        var deliveries = get(herald.baseUri() + "/portal/endpoints/" + theirs + "/deliveries", session);

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("Not found").doesNotContain("example.com/theirs");
        assertThat(deliveries.statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownAccountGetsNoLink() {
        var minted = herald.admin().post("/admin/v1/accounts/987654/portal-sessions", "{}");

        assertThat(minted.status()).isEqualTo(404);
        assertThat(minted.json().path("error").path("code").asText()).isEqualTo("account_not_found");
    }

    @Test
    void theCliPrintsOnlyTheUrl() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new String[] {"portal-link", "--account", Long.toString(tenant.account().value()),
                "--config", herald.configFile().toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isZero();
        String printed = out.toString().strip();
        assertThat(printed).matches("http://127\\.0\\.0\\.1:\\d+/portal/login\\?token=hpl_[0-9a-f]{64}");
        // the configuration's listen.port is 0 (the test server's port is chosen at start), so open it on ours
        String url = herald.baseUri() + printed.substring(printed.indexOf("/portal/"));
        assertThat(get(url, null).statusCode()).isEqualTo(200);
    }

    private String mint() {
        var minted = herald.admin().post("/admin/v1/accounts/" + tenant.account().value() + "/portal-sessions", "{}");
        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        return minted.json().path("url").asText();
    }

    private String signIn(String url) {
        String cookie = get(url, null).headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String csrf(String page) {
        var m = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]{64})\"").matcher(page);
        assertThat(m.find()).as("a CSRF field in %s", page).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String url, String cookie) {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private HttpResponse<String> post(String url, String cookie, String form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
