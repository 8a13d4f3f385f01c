package dev.herald.core.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides which resolved addresses a delivery may connect to. Loopback, private, link-local (cloud metadata),
 * CGNAT, multicast, unspecified, reserved and IPv4-mapped/translated forms of those are refused unless a
 * configured allowlist CIDR contains the address. An IPv6 address that carries an IPv4 address (mapped
 * {@code ::ffff:0:0/96}, translated {@code ::ffff:0:0:0/96}, compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96})
 * is judged as that IPv4 address, allowlist included: that is where a connection to it ends up.
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
            Cidr.parse("64:ff9b:1::/48"), Cidr.parse("100::/64"),
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

    /**
     * The IPv4 address in the last 32 bits of an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-translated
     * ({@code ::ffff:0:a.b.c.d}, RFC 2765), IPv4-compatible ({@code ::a.b.c.d}) or NAT64 well-known-prefix
     * ({@code 64:ff9b::a.b.c.d}, RFC 6052) address. The local-use NAT64 prefix {@code 64:ff9b:1::/48} may embed
     * anywhere, so it stays blocked as a whole.
     */
    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean mapped = zero(b, 0, 10) && ones(b, 10);
        boolean translated = zero(b, 0, 8) && ones(b, 8) && zero(b, 10, 12);
        boolean compatible = zero(b, 0, 12) && !zero(b, 12, 15);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12);
        if (!mapped && !translated && !compatible && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of(Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean ones(byte[] b, int at) {
        return (b[at] & 0xff) == 0xff && (b[at + 1] & 0xff) == 0xff;
    }
}
