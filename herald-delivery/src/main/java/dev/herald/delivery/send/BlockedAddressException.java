package dev.herald.delivery.send;

import java.net.UnknownHostException;

/**
 * A host resolved only to addresses the {@code AddressPolicy} refuses. It extends {@link UnknownHostException}
 * because that is what the HTTP client's resolver contract lets us throw; the sender classifies it as blocked.
 */
public final class BlockedAddressException extends UnknownHostException {
    BlockedAddressException(String message) {
        super(message);
    }
}
