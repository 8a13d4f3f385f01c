package dev.herald.core.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {
    private static final AddressPolicy STRICT = AddressPolicy.create(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::1", "::", "fc00::1",
            "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
            "64:ff9b::a00:1", "2002:7f00:1::1", "::ffff:0:127.0.0.1", "::ffff:0:a9fe:a9fe", "::ffff:0:10.0.0.1",
            "64:ff9b::127.0.0.1", "64:ff9b::169.254.169.254", "64:ff9b::c0a8:101", "64:ff9b:1::8.8.8.8", "::127.0.0.1"})
    void refusesNonPublicAddresses(String address) throws Exception {
        assertThat(STRICT.refusal(InetAddress.getByName(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "172.32.0.1", "2606:4700::1111",
            "2a00:1450:4001:80b::200e", "64:ff9b::8.8.8.8", "::ffff:0:8.8.8.8"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(STRICT.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void allowlistAdmitsOnlyItsRanges() throws Exception {
        var policy = AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8")));
        assertThat(policy.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void ipv4TranslatedAndNat64FormsAreJudgedAsTheirIpv4Address() throws Exception {
        var policy = AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8")));
        assertThat(policy.allows(InetAddress.getByName("::ffff:0:127.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("64:ff9b::127.0.0.1"))).isTrue();
        assertThat(policy.refusal(InetAddress.getByName("::ffff:0:10.0.0.1")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("10.0.0.0/8", "embedded"));
        assertThat(policy.refusal(InetAddress.getByName("64:ff9b::a9fe:a9fe")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("169.254.0.0/16", "embedded"));
    }

    @Test
    void cidrContainment() throws Exception {
        var cidr = Cidr.parse("100.64.0.0/10");
        assertThat(cidr.contains(InetAddress.getByName("100.64.0.0"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("100.127.255.255"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("100.128.0.0"))).isFalse();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("febf::1"))).isTrue();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("fec0::1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.1")).isEqualTo(Cidr.parse("10.0.0.1/32"));
    }
}
