package dev.herald.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range such as {@code 127.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefixLength) {
    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("CIDR network must be IPv4 or IPv6");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("CIDR prefix length out of range");
        }
    }

    /** Parses {@code a.b.c.d/n} or {@code x::y/n}; a bare address is a single-host range. Numeric only. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!addressPart.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("CIDR must be a numeric address: " + text);
        }
        try {
            byte[] address = InetAddress.getByName(addressPart).getAddress();
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
            return new Cidr(address, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid CIDR: " + text, e);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength
                && java.util.Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            return "invalid";
        }
    }
}
