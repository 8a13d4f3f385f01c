package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The customer portal's links and sessions, stored by the SHA-256 hash of their token only, so any node of a
 * cluster can redeem a link another node minted.
 */
public interface PortalTokens {
    /** What a link or session grants: the account it shows, the key its changes are made with, until when. */
    record Grant(AccountId account, ApiKeyId key, Instant expiresAt) {
        public Grant {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    void addLink(String tokenHash, Grant grant, Instant now);

    /**
     * Marks the link used and returns its grant, once: a second redemption, an expired link and an unknown hash
     * are all empty. Compare-and-set, so two nodes redeeming the same link at once cannot both succeed.
     */
    Optional<Grant> redeemLink(String tokenHash, Instant now);

    void addSession(String tokenHash, Grant grant, Instant now);

    /** The session's grant while it has not expired. */
    Optional<Grant> findSession(String tokenHash, Instant now);

    /** Ends the session at once (signing out); false when there was none. */
    boolean endSession(String tokenHash);

    /** Deletes expired links and sessions; returns how many. */
    int deleteExpired(Instant now);
}
