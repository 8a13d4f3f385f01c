package dev.herald.delivery.send;

import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.UrlPolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a host and hands the sender only addresses the {@link AddressPolicy} allows. The sender connects to
 * exactly what this returns, so a DNS answer that changes between check and connect (rebinding) cannot reach a
 * refused address: there is no second lookup.
 */
public final class CheckedDnsResolver {
    private final NameLookup lookup;
    private final AddressPolicy policy;

    public CheckedDnsResolver(NameLookup lookup, AddressPolicy policy) {
        this.lookup = lookup;
        this.policy = policy;
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
