package dev.herald.app.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactionTest {
    private static final String KEY = "sk_live_" + "ab12".repeat(16);

    @ParameterizedTest
    @ValueSource(strings = {
            "http: POST /v1/events 202",
            "{\"level\":\"INFO\",\"message\":\"delivery dlv_123 to https://example.com/hook answered 200\"}",
            "bear with me: no secret here, only beer and Ebert",
            ""})
    void linesWithoutSecretsAreReturnedAsTheyAre(String line) {
        assertThat(SecretRedaction.redact(line)).isSameAs(line);
    }

    @Test
    void apiKeysSigningSecretsAndBearerTokensAreMasked() {
        String line = "key=" + KEY + " secret=whsec_c2VjcmV0IHNpZ25pbmcga2V5IQ== header={\"authorization\":\"Bearer abc.def\"}"
                + " AUTHORIZATION: BEARER xyz123";
        String redacted = SecretRedaction.redact(line);
        assertThat(redacted)
                .doesNotContain(KEY.substring(8))
                .doesNotContain("c2VjcmV0")
                .doesNotContain("abc.def")
                .doesNotContain("xyz123")
                .contains("sk_live_***", "whsec_***", "Bearer ***", "BEARER ***");
    }

    @Test
    void platformKeysAreMaskedLikeApiKeys() {
        String platformKey = "sk_platform_" + "0f".repeat(32);
        String redacted = SecretRedaction.redact("http: GET /nope/" + platformKey + " 404");
        assertThat(redacted).doesNotContain("0f0f0f").contains("/nope/sk_platform_***");
    }

    @Test
    void aPasswordParameterOfAJdbcUrlIsMasked() {
        assertThat(SecretRedaction.redact("store: jdbc:postgresql://db/herald?user=herald&password=s3cr3t!P@w$1&ssl=true"))
                .isEqualTo("store: jdbc:postgresql://db/herald?user=herald&password=***&ssl=true");
    }

    @Test
    void aConfiguredSecretIsMaskedLiterallyWhereverItOccurs() {
        String token = "adm-token-7d1c9e0b5a2f4e68+/x";
        SecretRedaction.maskLiterally(token);
        assertThat(SecretRedaction.redact("http: GET /nope/" + token + " 404")).isEqualTo("http: GET /nope/*** 404");
        assertThat(SecretRedaction.redact("http: GET /nope/adm-token-7d1c9e0b5a2f4e68%2B%2Fx 404"))
                .isEqualTo("http: GET /nope/*** 404");
        assertThat(SecretRedaction.redact("x-api-key " + token + "; " + token)).isEqualTo("x-api-key ***; ***");
    }

    @Test
    void theAnchorCheckFindsBearerInAnyCaseAndPosition() {
        assertThat(SecretRedaction.mayHoldSecret("bearer x")).isTrue();
        assertThat(SecretRedaction.mayHoldSecret("x BeArEr")).isTrue();
        assertThat(SecretRedaction.mayHoldSecret("Bearer")).isTrue();
        assertThat(SecretRedaction.mayHoldSecret("beare r")).isFalse();
        assertThat(SecretRedaction.mayHoldSecret("e")).isFalse();
    }
}
