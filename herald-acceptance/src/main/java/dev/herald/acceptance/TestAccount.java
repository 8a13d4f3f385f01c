package dev.herald.acceptance;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;

/** An account created for a test, with one API key and its plaintext. */
public record TestAccount(AccountId account, ApiKeyId keyId, String key) {
}
