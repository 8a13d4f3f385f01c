package dev.herald.service.portal;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import dev.herald.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Portal links against a real store: single use, lifetimes, one account per session. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class PortalLinksTest {
    private static final URI ORIGIN = URI.create("http://127.0.0.1:8080");

    private final StoreKind kind;
    @TempDir
    Path dir;
    private Store store;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private PortalLinks links;
    private TestTenant tenant;

    PortalLinksTest(StoreKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void start() {
        store = kind.open(dir);
        links = new PortalLinks(store, PortalSettings.defaults(), clock);
        tenant = TestData.tenant(store, clock.instant());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aLinkOpensOneSessionForItsAccountOnce() {
        PortalLink link = links.mint(tenant.account().id(), ORIGIN);

        assertThat(link.url().toString()).isEqualTo("http://127.0.0.1:8080/portal/login?token=" + link.token());
        var session = links.redeem(link.token()).orElseThrow();
        assertThat(session.caller().account()).isEqualTo(tenant.account().id());
        assertThat(links.session(session.token())).contains(session);
        assertThat(links.redeem(link.token())).as("a used link").isEmpty();
    }

    @Test
    void anEndedSessionOpensNothing() {
        var session = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();

        links.end(session);

        assertThat(links.session(session.token())).isEmpty();
    }

    @Test
    void theStoreKeepsOnlyHashesOfTheTokens() {
        PortalLink link = links.mint(tenant.account().id(), ORIGIN);

        assertThat(store.portalTokens().redeemLink(link.token(), clock.instant())).isEmpty();
        assertThat(store.portalTokens().redeemLink(ApiKeyToken.sha256Hex(link.token()), clock.instant())).isPresent();
    }

    @Test
    void aLinkExpiresAfterTheLinkLifetimeAndASessionAfterTheSessionLifetime() {
        PortalLink late = links.mint(tenant.account().id(), ORIGIN);
        PortalLink onTime = links.mint(tenant.account().id(), ORIGIN);
        clock.advance(Duration.ofMinutes(14));
        var session = links.redeem(onTime.token()).orElseThrow();
        clock.advance(Duration.ofMinutes(1));

        assertThat(links.redeem(late.token())).isEmpty();
        clock.advance(Duration.ofHours(8).minusMinutes(2));
        assertThat(links.session(session.token())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(links.session(session.token())).isEmpty();
    }

    @Test
    void forgedAndMalformedTokensOpenNothing() {
        links.mint(tenant.account().id(), ORIGIN);

        assertThat(links.redeem(ApiKeyToken.randomToken("hpl_"))).isEmpty();
        assertThat(links.redeem("hpl_not-a-token")).isEmpty();
        assertThat(links.redeem("")).isEmpty();
        assertThat(links.session(ApiKeyToken.randomToken("hps_"))).isEmpty();
    }

    @Test
    void theConfiguredPublicUrlStartsTheLink() {
        var configured = new PortalLinks(store, new PortalSettings(Optional.of(URI.create("https://hooks.example.com/")),
                Duration.ofMinutes(5), Duration.ofHours(1)), clock);

        assertThat(configured.mint(tenant.account().id(), ORIGIN).url().toString())
                .startsWith("https://hooks.example.com/portal/login?token=hpl_");
    }

    @Test
    void theSessionActsWithTheAccountsPortalKeyCreatedOnce() {
        var first = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();
        var second = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();

        assertThat(first.caller().key()).isEqualTo(second.caller().key()).isNotEqualTo(tenant.key().id());
        assertThat(store.apiKeys().find(first.caller().key()).orElseThrow().name())
                .isEqualTo(PortalLinks.PORTAL_KEY_NAME);
    }

    @Test
    void anUnknownOrDisabledAccountGetsNoLinkAndItsSessionsEnd() {
        var session = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();
        store.accounts().setStatus(tenant.account().id(), AccountStatus.DISABLED);

        assertThat(links.session(session.token())).isEmpty();
        assertThatThrownBy(() -> links.mint(tenant.account().id(), ORIGIN))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_NOT_FOUND));
        assertThatThrownBy(() -> links.mint(new AccountId(987_654), ORIGIN))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_NOT_FOUND));
    }

    @Test
    void eachSessionHasItsOwnCsrfToken() {
        var first = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();
        var second = links.redeem(links.mint(tenant.account().id(), ORIGIN).token()).orElseThrow();

        assertThat(first.csrfToken()).hasSize(64).isNotEqualTo(second.csrfToken()).doesNotContain(first.token());
    }
}
