package dev.herald.store.contract;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.store.PortalTokens.Grant;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class PortalTokenContractTest extends StoreContractTest {
    private static final Grant GRANT = new Grant(new AccountId(7), new ApiKeyId(3), NOW.plus(Duration.ofMinutes(15)));

    PortalTokenContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void aLinkIsRedeemedOnceOnly() {
        store.portalTokens().addLink("hash-a", GRANT, NOW);

        assertThat(store.portalTokens().redeemLink("hash-a", NOW.plusSeconds(1))).contains(GRANT);
        assertThat(store.portalTokens().redeemLink("hash-a", NOW.plusSeconds(2))).isEmpty();
        assertThat(store.portalTokens().redeemLink("hash-unknown", NOW)).isEmpty();
    }

    @Test
    void anExpiredLinkIsNotRedeemed() {
        store.portalTokens().addLink("hash-b", GRANT, NOW);

        assertThat(store.portalTokens().redeemLink("hash-b", GRANT.expiresAt())).isEmpty();
    }

    @Test
    void aSessionIsFoundUntilItExpiresAndALinkIsNoSession() {
        store.portalTokens().addLink("hash-link", GRANT, NOW);
        store.portalTokens().addSession("hash-session", GRANT, NOW);

        assertThat(store.portalTokens().findSession("hash-session", NOW.plusSeconds(60))).contains(GRANT);
        assertThat(store.portalTokens().findSession("hash-session", GRANT.expiresAt())).isEmpty();
        assertThat(store.portalTokens().findSession("hash-link", NOW)).isEmpty();
        assertThat(store.portalTokens().redeemLink("hash-session", NOW)).as("a session is no link").isEmpty();
    }

    @Test
    void anEndedSessionIsNotFoundAgain() {
        store.portalTokens().addLink("hash-link", GRANT, NOW);
        store.portalTokens().addSession("hash-session", GRANT, NOW);

        assertThat(store.portalTokens().endSession("hash-link")).as("a link is no session").isFalse();
        assertThat(store.portalTokens().endSession("hash-session")).isTrue();
        assertThat(store.portalTokens().endSession("hash-session")).isFalse();
        assertThat(store.portalTokens().findSession("hash-session", NOW)).isEmpty();
    }

    @Test
    void expiredTokensAreDeleted() {
        store.portalTokens().addLink("hash-old", GRANT, NOW);
        var later = new Grant(GRANT.account(), GRANT.key(), GRANT.expiresAt().plus(Duration.ofHours(8)));
        store.portalTokens().addSession("hash-new", later, NOW);

        assertThat(store.portalTokens().deleteExpired(GRANT.expiresAt())).isEqualTo(1);
        assertThat(store.portalTokens().findSession("hash-new", GRANT.expiresAt())).contains(later);
    }
}
