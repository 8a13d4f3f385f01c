package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.delivery.send.BlockedAddressException;
import dev.herald.delivery.send.CheckedDnsResolver;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Resolves a broker host under the same address rules as webhook URLs, just before each connect. */
public final class BrokerAddress {
    private BrokerAddress() {
    }

    /**
     * The first allowed address of {@code uri}'s host. Plain connections dial exactly this address, so a DNS
     * answer that changes between check and connect cannot reach a refused one.
     */
    public static InetAddress checked(URI uri, CheckedDnsResolver hosts) throws BrokerException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new BrokerException(ErrorClass.DNS, "broker address has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return hosts.checked(host).getFirst();
        } catch (BlockedAddressException e) {
            throw new BrokerException(ErrorClass.BLOCKED, e.getMessage());
        } catch (UnknownHostException e) {
            throw new BrokerException(ErrorClass.DNS, "could not resolve " + host);
        }
    }

    /** {@code address} as a host string for a client's URL or address (IPv6 in brackets when {@code bracketed}). */
    public static String text(InetAddress address, boolean bracketed) {
        String text = address.getHostAddress();
        return bracketed && text.contains(":") ? "[" + text + "]" : text;
    }
}
