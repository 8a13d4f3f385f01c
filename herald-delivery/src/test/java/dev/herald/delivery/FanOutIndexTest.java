package dev.herald.delivery;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.WebhookId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutIndexTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aTypeGoesToTheEndpointsNamingItAndThoseOfEveryTypeInTheCandidatesOrder() {
        var index = new FanOutIndex(List.of(endpoint(1, "a"), endpoint(2, "*"), endpoint(3, "b", "a"),
                endpoint(4, "b"), endpoint(5, "*"), endpoint(6, "c")));

        assertThat(ids(index.of("a"))).containsExactly(1L, 2L, 3L, 5L);
        assertThat(ids(index.of("b"))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(ids(index.of("c"))).as("first named after both wildcards").containsExactly(2L, 5L, 6L);
        assertThat(ids(index.of("unnamed"))).containsExactly(2L, 5L);
    }

    @Test
    void anEndpointNamingATypeTwiceIsListedOnceAndATypeNobodyHearsGoesNowhere() {
        var index = new FanOutIndex(List.of(endpoint(1, "a", "a"), endpoint(2, "b")));

        assertThat(ids(index.of("a"))).containsExactly(1L);
        assertThat(index.of("z")).isEmpty();
        assertThat(new FanOutIndex(List.of()).of("a")).isEmpty();
    }

    /** As {@link Endpoint#subscribesTo}: what the index lists for a type is exactly who subscribes to it. */
    @Test
    void listsExactlyTheCandidatesThatSubscribe() {
        var candidates = List.of(endpoint(1, "a"), endpoint(2, "*"), endpoint(3, "b", "a"), endpoint(4, "c"));
        var index = new FanOutIndex(candidates);
        for (String type : List.of("a", "b", "c", "d")) {
            assertThat(index.of(type)).as(type).containsExactlyElementsOf(candidates.stream()
                    .filter(e -> e.subscribesTo(type, Optional.empty())).toList());
        }
    }

    private static List<Long> ids(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> e.id().value()).toList();
    }

    private static Endpoint endpoint(long id, String... types) {
        return new Endpoint(new EndpointId(id), UUID.randomUUID(), WebhookId.generate(), new AccountId(1),
                "https://example.com/hook", List.of(types), Optional.empty(), EndpointStatus.ACTIVE, new ApiKeyId(1),
                Optional.empty(), OptionalInt.empty(), Map.of(), NOW, NOW, EndpointStats.EMPTY,
                new Destination.Webhook());
    }
}
