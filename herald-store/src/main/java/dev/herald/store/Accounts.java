package dev.herald.store;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenants. */
public interface Accounts {
    Account create(String name, Instant now);

    Optional<Account> find(AccountId id);

    Optional<Account> findByUuid(UUID uuid);

    List<Account> list();
}
