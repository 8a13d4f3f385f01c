package dev.herald.delivery;

import dev.herald.core.endpoint.Endpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's fan-out candidates by the event type they subscribe to, each list in the candidates' order: a
 * publish reads the endpoints of its type (and those of every type) instead of asking each of the account's
 * endpoints whether it subscribes (with the bench's hundred endpoints, that question was 1.5 % of Herald's CPU at
 * fan-out 1). The endpoints still answer for their key scope and channels.
 */
final class FanOutIndex {
    private final Map<String, List<Endpoint>> byType;
    /** The endpoints of every type ({@link Endpoint#ALL_EVENTS}): all a type no endpoint names goes to. */
    private final List<Endpoint> everyType;

    FanOutIndex(List<Endpoint> candidates) {
        var lists = new HashMap<String, List<Endpoint>>();
        var wildcard = new ArrayList<Endpoint>();
        for (Endpoint endpoint : candidates) {
            if (endpoint.eventTypes().contains(Endpoint.ALL_EVENTS)) {
                wildcard.add(endpoint);
                // every type's list so far hears it; a type first named later starts from the wildcard list
                lists.values().forEach(list -> list.add(endpoint));
                continue;
            }
            for (String type : endpoint.eventTypes()) {
                List<Endpoint> list = lists.computeIfAbsent(type, t -> new ArrayList<>(wildcard));
                // an endpoint naming a type twice is listed once
                if (list.isEmpty() || list.getLast() != endpoint) {
                    list.add(endpoint);
                }
            }
        }
        var frozen = new HashMap<String, List<Endpoint>>(lists.size() * 2);
        lists.forEach((type, list) -> frozen.put(type, List.copyOf(list)));
        byType = frozen;
        everyType = List.copyOf(wildcard);
    }

    /** The candidates that subscribe to {@code type}, in the candidates' order. */
    List<Endpoint> of(String type) {
        return byType.getOrDefault(type, everyType);
    }
}
