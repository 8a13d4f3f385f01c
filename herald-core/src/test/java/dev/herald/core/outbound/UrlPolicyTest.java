package dev.herald.core.outbound;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlPolicyTest {
    private static final UrlPolicy HTTPS_ONLY = UrlPolicy.create(Set.of("https"), AddressPolicy.create(List.of()));
    private static final UrlPolicy LOCAL_TESTING = UrlPolicy.create(Set.of("https", "http"),
            AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8"))));

    private record Refused(String url, String reason) {
    }

    static Stream<Refused> refusedUrls() {
        return Stream.of(
                new Refused("http://example.com/hook", "URL must be HTTPS"),
                new Refused("ftp://example.com/hook", "URL must be HTTPS"),
                new Refused("example.com/hook", "URL must be HTTPS"),
                new Refused("https://", "malformed"),
                new Refused("https:///path", "host"),
                new Refused("https://exa mple.com", "spaces or control"),
                new Refused("https://example.com/\r\nX-Injected: 1", "spaces or control"),
                new Refused("https://user:pw@example.com/", "credentials"),
                new Refused("https://example.com/" + "a".repeat(2100), "at most 2083"),
                new Refused("https://127.0.0.1/hook", "not allowed"),
                new Refused("https://10.0.0.1/hook", "not allowed"),
                new Refused("https://172.16.5.4/hook", "not allowed"),
                new Refused("https://192.168.1.1/hook", "not allowed"),
                new Refused("https://169.254.169.254/latest/meta-data", "not allowed"),
                new Refused("https://100.64.0.1/", "not allowed"),
                new Refused("https://0.0.0.0/", "not allowed"),
                new Refused("https://224.0.0.1/", "not allowed"),
                new Refused("https://[::1]/", "not allowed"),
                new Refused("https://[fc00::1]/", "not allowed"),
                new Refused("https://[fe80::1]/", "not allowed"),
                new Refused("https://[::ffff:127.0.0.1]/", "not allowed"),
                new Refused("https://[::ffff:a9fe:a9fe]/", "not allowed"),
                new Refused("https://[::ffff:0:127.0.0.1]/", "not allowed"),
                new Refused("https://[::ffff:0:a9fe:a9fe]/", "not allowed"),
                new Refused("https://[64:ff9b::7f00:1]/", "not allowed"),
                new Refused("https://[64:ff9b::169.254.169.254]/", "not allowed"),
                new Refused("https://2130706433/", "not allowed"),
                new Refused("https://0x7f.1/", "not allowed"),
                new Refused("https://0177.0.0.1/", "not allowed"),
                new Refused("https://0x7f000001/", "not allowed"),
                new Refused("https://localhost/", "localhost"),
                new Refused("https://api.localhost/", "localhost"),
                new Refused("https://exa_mple.com/", "valid hostname"));
    }

    @ParameterizedTest
    @MethodSource("refusedUrls")
    void refusesWithInvalidUrl(Refused refused) {
        assertThatThrownBy(() -> HTTPS_ONLY.check(refused.url()))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_URL);
                    assertThat(e.field()).contains("url");
                })
                .hasMessageContaining(refused.reason());
    }

    @Test
    void acceptsPublicHttpsUrls() {
        assertThat(HTTPS_ONLY.check("https://your-app.example.com/api/webhooks/apimall").getHost())
                .isEqualTo("your-app.example.com");
        assertThat(HTTPS_ONLY.check("https://8.8.8.8:8443/hook?x=1").getPort()).isEqualTo(8443);
        assertThat(HTTPS_ONLY.check("https://[2606:4700::1111]/").getHost()).isEqualTo("[2606:4700::1111]");
        assertThat(HTTPS_ONLY.check("https://xn--bcher-kva.example/").getHost()).isEqualTo("xn--bcher-kva.example");
        assertThatThrownBy(() -> HTTPS_ONLY.check("https://bücher.example/")).hasMessageContaining("punycode");
    }

    @Test
    void allowlistAndHttpAreOnlyWhatConfigurationSays() {
        assertThat(LOCAL_TESTING.check("http://127.0.0.1:9999/hook").getPort()).isEqualTo(9999);
        assertThat(LOCAL_TESTING.check("http://localhost:9999/hook").getHost()).isEqualTo("localhost");
        assertThatThrownBy(() -> LOCAL_TESTING.check("http://10.0.0.1/")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> LOCAL_TESTING.check("http://[::1]/")).isInstanceOf(HeraldException.class);
    }

    @Test
    void literalAddressesIncludeLegacyNumericForms() throws Exception {
        assertThat(UrlPolicy.literalAddress("2130706433")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(UrlPolicy.literalAddress("0x7f.1")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(UrlPolicy.literalAddress("0177.0.0.1")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(UrlPolicy.literalAddress("10.1")).contains(InetAddress.getByName("10.0.0.1"));
        assertThat(UrlPolicy.literalAddress("example.com")).isEmpty();
        assertThat(UrlPolicy.literalAddress("1.2.3.4.5")).isEmpty();
        assertThat(UrlPolicy.literalAddress("256.1.1.1")).isEmpty();
    }

    @Test
    void plainDottedQuadsReadAsTheirAddressAndLeadingZerosStayOctal() throws Exception {
        assertThat(UrlPolicy.literalAddress("127.0.0.1")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(UrlPolicy.literalAddress("0.0.0.0")).contains(InetAddress.getByName("0.0.0.0"));
        assertThat(UrlPolicy.literalAddress("255.255.255.255")).contains(InetAddress.getByName("255.255.255.255"));
        assertThat(UrlPolicy.literalAddress("10.20.30.40.")).contains(InetAddress.getByName("10.20.30.40"));
        assertThat(UrlPolicy.literalAddress("010.0.0.1")).contains(InetAddress.getByName("8.0.0.1"));
        assertThat(UrlPolicy.literalAddress("1.2.3.256")).isEmpty();
        assertThat(UrlPolicy.literalAddress("1..3.4")).isEmpty();
        assertThat(UrlPolicy.literalAddress("1.2.3.4a")).isEmpty();
    }
}
