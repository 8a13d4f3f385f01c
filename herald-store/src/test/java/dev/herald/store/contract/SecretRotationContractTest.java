package dev.herald.store.contract;

import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class SecretRotationContractTest extends StoreContractTest {
    SecretRotationContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void bothSecretsAreActiveDuringTheOverlapAndOnlyTheNewOneAfter() {
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        var old = store.endpoints().activeSecrets(endpoint.id(), NOW).getFirst().secret();
        var fresh = SigningSecret.generate();

        var rotated = store.endpoints().rotateSecret(endpoint.id(), fresh, Duration.ofHours(24), NOW.plusSeconds(10));

        assertThat(rotated.secret()).isEqualTo(fresh);
        assertThat(rotated.expiresAt()).isEmpty();
        assertThat(store.endpoints().activeSecrets(endpoint.id(), NOW.plusSeconds(11)))
                .extracting(EndpointSecret::secret).containsExactly(fresh, old);
        var beforeExpiry = NOW.plusSeconds(10).plus(Duration.ofHours(24)).minusMillis(1);
        assertThat(store.endpoints().activeSecrets(endpoint.id(), beforeExpiry))
                .extracting(EndpointSecret::secret).containsExactly(fresh, old);
        assertThat(store.endpoints().activeSecrets(endpoint.id(), beforeExpiry.plusMillis(1)))
                .extracting(EndpointSecret::secret).containsExactly(fresh);
    }

    @Test
    void rotationWithoutOverlapRetiresTheOldSecretAtOnce() {
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        var fresh = SigningSecret.generate();

        store.endpoints().rotateSecret(endpoint.id(), fresh, Duration.ZERO, NOW.plusSeconds(10));

        assertThat(store.endpoints().activeSecrets(endpoint.id(), NOW.plusSeconds(10)))
                .extracting(EndpointSecret::secret).containsExactly(fresh);
    }

    @Test
    void aSecondRotationDoesNotExtendAnAlreadyExpiringSecret() {
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        var second = SigningSecret.generate();
        var third = SigningSecret.generate();

        store.endpoints().rotateSecret(endpoint.id(), second, Duration.ofHours(1), NOW);
        store.endpoints().rotateSecret(endpoint.id(), third, Duration.ofHours(24), NOW.plusSeconds(60));

        assertThat(store.endpoints().activeSecrets(endpoint.id(), NOW.plus(Duration.ofHours(2))))
                .extracting(EndpointSecret::secret).containsExactly(third, second);
    }
}
