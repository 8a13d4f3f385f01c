package dev.herald.core.signing;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliverySignaturesTest {
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"delivered\",\"timestamp\":\"2024-01-15T10:30:00Z\",\"data\":{\"a\":\"é\"}}"
            .getBytes(StandardCharsets.UTF_8);
    private final DeliverySignatures signatures = DeliverySignatures.create("X-MailingAPI");

    private static Map<String, List<String>> asHeaders(Map<String, String> headers) {
        return headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    @Test
    void generatedSecretVerifiesWithTheOfficialStandardWebhooksLibrary() throws Exception {
        SigningSecret secret = SigningSecret.generate();
        var headers = signatures.headers("evt_1", Instant.now(), BODY, List.of(secret));
        new Webhook(secret.value()).verify(new String(BODY, StandardCharsets.UTF_8), asHeaders(headers));
        assertThat(headers.get("webhook-id")).isEqualTo("evt_1");
        assertThat(headers.get("webhook-signature")).startsWith("v1,");
    }

    @Test
    void userSuppliedSecretIsUsedAsItsUtf8Bytes() throws Exception {
        SigningSecret secret = new SigningSecret("super-secret-signing-key");
        var headers = signatures.headers("evt_2", Instant.now(), BODY, List.of(secret));
        new Webhook("super-secret-signing-key".getBytes(StandardCharsets.UTF_8))
                .verify(new String(BODY, StandardCharsets.UTF_8), asHeaders(headers));
    }

    @Test
    void timestampedHeaderIsHexHmacOfTimestampDotBodyWithTheWholeSecretString() throws Exception {
        SigningSecret secret = SigningSecret.generate();
        Instant at = Instant.ofEpochSecond(1_705_315_800L);
        var headers = signatures.headers("evt_3", at, BODY, List.of(secret));
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("1705315800.".getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(mac.doFinal(BODY));
        assertThat(headers.get("X-MailingAPI-Signature")).isEqualTo("t=1705315800,v1=" + expected);
        assertThat(headers.get("webhook-timestamp")).isEqualTo("1705315800");
    }

    @Test
    void duringRotationEverySecretSignsAndEachVerifiesAlone() throws Exception {
        SigningSecret newer = SigningSecret.generate();
        SigningSecret older = new SigningSecret("old-user-secret-123");
        var headers = signatures.headers("evt_4", Instant.now(), BODY, List.of(newer, older));
        String payload = new String(BODY, StandardCharsets.UTF_8);
        new Webhook(newer.value()).verify(payload, asHeaders(headers));
        new Webhook(older.value().getBytes(StandardCharsets.UTF_8)).verify(payload, asHeaders(headers));
        assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
        assertThat(headers.get("X-MailingAPI-Signature")).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
    }

    @Test
    void keysPreparedOnceSignManyDeliveriesConcurrentlyAndVerifyEachTime() throws Exception {
        SigningSecret newer = SigningSecret.generate();
        SigningSecret older = new SigningSecret("old-user-secret-123");
        var keys = DeliverySignatures.keys(List.of(newer, older));
        assertThat(keys.toString()).doesNotContain(newer.value()).doesNotContain(older.value());
        Instant at = Instant.now();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var signed = new java.util.ArrayList<java.util.concurrent.Future<Map<String, String>>>();
            for (int i = 0; i < 400; i++) {
                String id = "evt_" + i;
                signed.add(pool.submit(() -> signatures.headers(id, at, BODY, keys)));
            }
            String payload = new String(BODY, StandardCharsets.UTF_8);
            for (int i = 0; i < signed.size(); i++) {
                var headers = signed.get(i).get();
                // the same headers a fresh keying gives, so a shared prototype was never changed by a send
                assertThat(headers).isEqualTo(signatures.headers("evt_" + i, at, BODY, List.of(newer, older)));
                new Webhook(older.value().getBytes(StandardCharsets.UTF_8)).verify(payload, asHeaders(headers));
            }
        }
    }

    @Test
    void everySecretsStandardSignatureIsTheBase64OfItsHmacAsTheJdkEncodesIt() throws Exception {
        List<SigningSecret> secrets = List.of(SigningSecret.generate(), new SigningSecret("old-user-secret-123"),
                SigningSecret.generate());
        Instant at = Instant.ofEpochSecond(1_705_315_800L);
        var headers = signatures.headers("evt_6", at, BODY, secrets);
        var expected = new java.util.ArrayList<String>();
        for (SigningSecret secret : secrets) {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.standardWebhooksKey(), "HmacSHA256"));
            mac.update("evt_6.1705315800.".getBytes(StandardCharsets.UTF_8));
            expected.add("v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(BODY)));
        }
        assertThat(headers.get("webhook-signature")).isEqualTo(String.join(" ", expected));
    }

    /** The bytes a request writes are the strings' characters, for both formats, and one array may serve two. */
    @Test
    void headersGivenAsBytesAreTheHeadersGivenAsStrings() {
        var keys = DeliverySignatures.keys(List.of(SigningSecret.generate(), new SigningSecret("old-user-secret-123")));
        var event = dev.herald.core.event.EventId.generate();
        Instant at = Instant.ofEpochSecond(1_705_315_800L);
        for (var format : dev.herald.core.event.EventFormat.values()) {
            var asText = new java.util.LinkedHashMap<String, String>();
            signatures.putHeaders(asText, event, format, at, BODY, keys);
            var asBytes = new java.util.LinkedHashMap<String, String>();
            signatures.putHeaderBytes((name, value) -> asBytes.put(name, new String(value, StandardCharsets.US_ASCII)),
                    event, format, at, BODY, keys);
            assertThat(asBytes).as(format.name()).containsExactlyEntriesOf(asText);
            assertThat(asText.get("webhook-timestamp")).isEqualTo("1705315800");
        }
    }

    @Test
    void base64IsTheJdksEncodingWrittenInPlace() {
        var random = new java.util.Random(32);
        for (int length = 0; length <= 40; length++) {
            byte[] in = new byte[length];
            random.nextBytes(in);
            String expected = java.util.Base64.getEncoder().encodeToString(in);
            byte[] out = new byte[3 + expected.length()];
            DeliverySignatures.base64(in, out, 3);
            assertThat(new String(out, 3, expected.length(), StandardCharsets.US_ASCII)).as("length %d", length)
                    .isEqualTo(expected);
        }
    }

    @Test
    void decimalDigitsAreLongToStringsBytes() {
        for (long value : new long[] {0, 7, 9, 10, 99, 100, 1_705_315_800L, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            assertThat(new String(DeliverySignatures.decimal(value), StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(value));
        }
    }

    @Test
    void keysNeedASecret() {
        assertThatThrownBy(() -> DeliverySignatures.keys(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTamperedBodyDoesNotVerify() {
        SigningSecret secret = SigningSecret.generate();
        var headers = signatures.headers("evt_5", Instant.now(), BODY, List.of(secret));
        assertThatThrownBy(() -> new Webhook(secret.value()).verify("{\"tampered\":true}", asHeaders(headers)))
                .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    }

    @Test
    void secretsAreValidatedAndNeverPrinted() {
        assertThat(SigningSecret.generate().value()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(SigningSecret.generate().toString()).doesNotContain("whsec_");
        assertThatThrownBy(() -> new SigningSecret("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigningSecret("has space inside")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigningSecret("whsec_!!notbase64!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliverySignatures.create("X Bad\r\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
