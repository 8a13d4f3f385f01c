package dev.herald.api.canonical;

import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.store.Endpoints;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Public ids of the endpoints one response mentions, each looked up once; deleted endpoints have none. */
final class WebhookLookup {
    private final Endpoints endpoints;
    private final AccountId account;
    private final Map<EndpointId, Optional<WebhookId>> seen = new HashMap<>();

    WebhookLookup(Endpoints endpoints, AccountId account) {
        this.endpoints = endpoints;
        this.account = account;
    }

    Optional<WebhookId> publicId(EndpointId id) {
        return seen.computeIfAbsent(id, key -> endpoints.find(account, key).map(e -> e.publicId()));
    }
}
