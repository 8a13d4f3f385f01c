package dev.herald.core.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTokenTest {
    @Test
    void generatedKeysHaveTheMidmarketFormatAndDifferEachTime() {
        var a = ApiKeyToken.generate();
        var b = ApiKeyToken.generate();
        assertThat(a.value()).matches("sk_live_[0-9a-f]{64}");
        assertThat(a.value()).isNotEqualTo(b.value());
    }

    @Test
    void theHashIsSha256HexAndTheTokenIsNeverPrinted() {
        var token = new ApiKeyToken("sk_live_" + "ab".repeat(32));
        assertThat(token.hash()).matches("[0-9a-f]{64}").isNotEqualTo(token.value());
        assertThat(token.hash()).isEqualTo(new ApiKeyToken(token.value()).hash());
        assertThat(token.toString()).doesNotContain(token.value()).contains("abab".substring(0, 4));
        assertThat(token.hint()).isEqualTo("abab");
    }

    @Test
    void malformedKeysAreRejected() {
        assertThat(ApiKeyToken.looksValid("sk_live_" + "AB".repeat(32))).isFalse();
        assertThat(ApiKeyToken.looksValid("sk_test_" + "ab".repeat(32))).isFalse();
        assertThat(ApiKeyToken.looksValid("sk_live_abc")).isFalse();
        assertThat(ApiKeyToken.looksValid(null)).isFalse();
        assertThatThrownBy(() -> new ApiKeyToken("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
