package dev.herald.core.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides which resolved addresses a delivery may connect to. Loopback, private, link-local (cloud metadata),
 * CGNAT, multicast, unspecified, reserved and IPv4-mapped/translated forms of those are refused unless a
 * configured allowlist CIDR contains the address.
 */
public final class AddressPolicy {
    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"), Cidr.parse("2001:db8::/32"),
            Cidr.parse("64:ff9b::/96"), Cidr.parse("64:ff9b:1::/48"), Cidr.parse("100::/64"),
            Cidr.parse("2001::/23"), Cidr.parse("2002::/16"));

    private final List<Cidr> allowlist;

    private AddressPolicy(List<Cidr> allowlist) {
        this.allowlist = List.copyOf(allowlist);
    }

    public static AddressPolicy create(List<Cidr> allowlist) {
        return new AddressPolicy(allowlist);
    }

    public List<Cidr> allowlist() {
        return allowlist;
    }

    /** Why {@code address} may not be contacted, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        for (var allowed : allowlist) {
            if (allowed.contains(address)) {
                return Optional.empty();
            }
        }
        Optional<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return refusal(embedded.get()).map(r -> r + " (IPv4 embedded in IPv6)");
        }
        for (var blocked : BLOCKED) {
            if (blocked.contains(address)) {
                return Optional.of("address " + address.getHostAddress() + " is in blocked range " + blocked);
            }
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return Optional.of("address " + address.getHostAddress() + " is not a public address");
        }
        return Optional.empty();
    }

    public boolean allows(InetAddress address) {
        return refusal(address).isEmpty();
    }

    /** IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses carry an IPv4 address to judge. */
    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return Optional.empty();
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        if (!mapped && !compatible) {
            return Optional.empty();
        }
        try {
            return Optional.of(Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }
}
