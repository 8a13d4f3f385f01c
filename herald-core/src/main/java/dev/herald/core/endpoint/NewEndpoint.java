package dev.herald.core.endpoint;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.destination.Destination;
import dev.herald.core.signing.SigningSecret;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything needed to create an endpoint, already validated by the endpoint service. For a broker
 * {@code destination} the {@code url} is the broker's address without credentials; {@code retrySchedule} is its own
 * delays between attempts, empty for the configured schedule; {@code ordering} says whether it is a FIFO endpoint.
 */
public record NewEndpoint(AccountId accountId, String url, List<String> eventTypes, Optional<String> description,
                          ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                          Map<String, String> headers, SigningSecret secret, Destination destination,
                          EndpointProfile profile, Optional<List<Duration>> retrySchedule, Ordering ordering) {
    public NewEndpoint {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(url, "url");
        eventTypes = List.copyOf(eventTypes);
        if (eventTypes.isEmpty()) {
            throw new IllegalArgumentException("an endpoint subscribes to at least one event type");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(scopeKey, "scopeKey");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(profile, "profile");
        retrySchedule = retrySchedule.map(List::copyOf);
        Objects.requireNonNull(ordering, "ordering");
    }

    /** An endpoint without a profile, unordered, on the configured retry schedule. */
    public NewEndpoint(AccountId accountId, String url, List<String> eventTypes, Optional<String> description,
                       ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                       Map<String, String> headers, SigningSecret secret, Destination destination) {
        this(accountId, url, eventTypes, description, createdBy, scopeKey, rateLimit, headers, secret, destination,
                EndpointProfile.NONE, Optional.empty(), Ordering.UNORDERED);
    }

    /** A webhook endpoint (the shape before broker destinations existed). */
    public NewEndpoint(AccountId accountId, String url, List<String> eventTypes, Optional<String> description,
                       ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                       Map<String, String> headers, SigningSecret secret) {
        this(accountId, url, eventTypes, description, createdBy, scopeKey, rateLimit, headers, secret,
                Destination.WEBHOOK);
    }
}
