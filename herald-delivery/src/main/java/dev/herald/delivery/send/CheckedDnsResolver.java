package dev.herald.delivery.send;

import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.UrlPolicy;
import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a host and hands the HTTP client only addresses the {@link AddressPolicy} allows. The client
 * connects to exactly what this returns, so a DNS answer that changes between check and connect (rebinding)
 * cannot reach a refused address: there is no second lookup.
 */
public final class CheckedDnsResolver implements DnsResolver {
    private final NameLookup lookup;
    private final AddressPolicy policy;

    public CheckedDnsResolver(NameLookup lookup, AddressPolicy policy) {
        this.lookup = lookup;
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return checked(host).toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return checked(host).stream().map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** The allowed addresses of {@code host}; throws {@link BlockedAddressException} when none is allowed. */
    public List<InetAddress> checked(String host) throws UnknownHostException {
        List<InetAddress> candidates = addressesOf(host);
        var allowed = new ArrayList<InetAddress>(candidates.size());
        Optional<String> firstRefusal = Optional.empty();
        for (var address : candidates) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isEmpty()) {
                allowed.add(address);
            } else if (firstRefusal.isEmpty()) {
                firstRefusal = refusal;
            }
        }
        if (allowed.isEmpty()) {
            throw new BlockedAddressException("blocked: " + firstRefusal.orElse("no address for " + host));
        }
        return List.copyOf(allowed);
    }

    /** Why {@code address} may not be dialled, worded as {@link #checked} words it; empty when it may. */
    Optional<String> refusal(InetAddress address) {
        return policy.refusal(address).map(reason -> "blocked: " + reason);
    }

    private List<InetAddress> addressesOf(String host) throws UnknownHostException {
        // Literal addresses (including legacy numeric IPv4 forms) are judged as written, never looked up.
        Optional<InetAddress> literal = UrlPolicy.literalAddress(host.toLowerCase(Locale.ROOT));
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        List<InetAddress> found = lookup.lookup(host);
        if (found.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return found;
    }
}
