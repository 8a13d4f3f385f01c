package dev.herald.core.endpoint;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.destination.Destination;
import dev.herald.core.destination.DestinationType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A webhook endpoint (a "webhook" or "subscription" in the dialects). One row has three id forms:
 * the integer {@link #id()}, the {@link #uuid()} and the public {@link #publicId()}.
 *
 * @param createdBy  the key that created it
 * @param scopeKey   present only when {@code api_key_id} was given explicitly: then the endpoint only
 *                   receives events published with that key
 * @param rateLimit  deliveries per second, when limited
 * @param headers    custom headers sent with every delivery
 * @param destination where deliveries go: {@link Destination#WEBHOOK} (a POST to {@code url}) or a broker, whose
 *                   address without credentials is then also the {@code url}
 * @param profile    the platform's own uid, metadata, channels and version for it
 * @param retrySchedule the endpoint's own delays between attempts (see {@link RetrySchedule#delays()}), replacing
 *                   the configured ones; empty for the configured schedule
 * @param circuit    its circuit breaker's state, kept by the delivery engine
 * @param ordering   whether it receives its deliveries one at a time in publish order ({@link Ordering#FIFO})
 */
public record Endpoint(EndpointId id, UUID uuid, WebhookId publicId, AccountId accountId, String url,
                       List<String> eventTypes, Optional<String> description, EndpointStatus status,
                       ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                       Map<String, String> headers, Instant createdAt, Instant updatedAt,
                       EndpointStats stats, Destination destination, EndpointProfile profile,
                       Optional<List<Duration>> retrySchedule, Circuit circuit, Ordering ordering) {
    public static final String ALL_EVENTS = "*";

    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(publicId, "publicId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(url, "url");
        eventTypes = List.copyOf(eventTypes);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(scopeKey, "scopeKey");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(profile, "profile");
        retrySchedule = retrySchedule.map(List::copyOf);
        Objects.requireNonNull(circuit, "circuit");
        Objects.requireNonNull(ordering, "ordering");
    }

    /** An endpoint without a profile, unordered, on the configured retry schedule with a closed circuit. */
    public Endpoint(EndpointId id, UUID uuid, WebhookId publicId, AccountId accountId, String url,
                    List<String> eventTypes, Optional<String> description, EndpointStatus status,
                    ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                    Map<String, String> headers, Instant createdAt, Instant updatedAt, EndpointStats stats,
                    Destination destination) {
        this(id, uuid, publicId, accountId, url, eventTypes, description, status, createdBy, scopeKey, rateLimit,
                headers, createdAt, updatedAt, stats, destination, EndpointProfile.NONE, Optional.empty(), Circuit.CLOSED,
                Ordering.UNORDERED);
    }

    /** A webhook endpoint (the shape before broker destinations existed). */
    public Endpoint(EndpointId id, UUID uuid, WebhookId publicId, AccountId accountId, String url,
                    List<String> eventTypes, Optional<String> description, EndpointStatus status,
                    ApiKeyId createdBy, Optional<ApiKeyId> scopeKey, OptionalInt rateLimit,
                    Map<String, String> headers, Instant createdAt, Instant updatedAt, EndpointStats stats) {
        this(id, uuid, publicId, accountId, url, eventTypes, description, status, createdBy, scopeKey, rateLimit,
                headers, createdAt, updatedAt, stats, Destination.WEBHOOK);
    }

    /** The schedule this endpoint's deliveries follow: its own delays when it has them, else {@code configured}. */
    public RetrySchedule retrySchedule(RetrySchedule configured) {
        // asked at every attempt: a bound method reference here was an allocation per delivery
        return retrySchedule.isPresent() ? configured.withDelays(retrySchedule.get()) : configured;
    }

    public DestinationType type() {
        return destination.type();
    }

    /**
     * Whether an event of {@code type} published with {@code publishingKey} goes to this endpoint; an event
     * published with no key reaches only endpoints without a key scope.
     */
    public boolean subscribesTo(String type, Optional<ApiKeyId> publishingKey) {
        // Asked of every endpoint of the account on every publish: written without lambdas, which allocated one per
        // endpoint per publish (2 KiB per publish over the bench's 100 endpoints).
        if (!eventTypes.contains(ALL_EVENTS) && !eventTypes.contains(type)) {
            return false;
        }
        return scopeKey.isEmpty() || (publishingKey.isPresent() && scopeKey.get().equals(publishingKey.get()));
    }

    /** {@link #subscribesTo} for a message on {@code channels}, which the endpoint's profile must hear. */
    public boolean subscribesTo(String type, Optional<ApiKeyId> publishingKey, List<String> channels) {
        return subscribesTo(type, publishingKey) && profile.hears(channels);
    }

    /** The key seed 000 shows as {@code api_key_id}: the scope key when given, else the creator. */
    public ApiKeyId shownApiKeyId() {
        return scopeKey.orElse(createdBy);
    }
}
