package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.destination.BrokerCredentials;
import dev.herald.core.destination.Destination;
import dev.herald.core.destination.DestinationRules;
import dev.herald.core.destination.DestinationType;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Maps endpoint rows (joined with their counters) to {@link Endpoint}s; event types, headers and destination
 * config are JSON text.
 */
final class EndpointRows {
    static final WireColumn<EndpointStatus> STATUS = WireColumn.of(EndpointStatus.class, "endpoint status");
    static final WireColumn<Circuit> CIRCUIT = WireColumn.of(Circuit.class, "circuit state");
    private static final WireColumn<Ordering> ORDERING = WireColumn.of(Ordering.class, "ordering");
    /** Every endpoint read joins its counters; the caller appends the WHERE clause. */
    static final String SELECT = """
            SELECT e.id, e.uuid, e.public_id, e.account_id, e.url, e.event_types, e.description, e.status,
                   e.created_by, e.scope_key_id, e.rate_limit, e.headers, e.created_at, e.updated_at,
                   e.type, e.config, e.config_secret, e.uid, e.metadata, e.channels, e.version,
                   e.retry_schedule, e.circuit, e.ordering,
                   s.successful, s.failed, s.consecutive_failures, s.last_success_at, s.last_failure_at,
                   s.last_attempt_at, s.last_error
            FROM endpoints e JOIN endpoint_stats s ON s.endpoint_id = e.id
            """;

    /**
     * Buffers from a shared pool: Jackson's default pool is per thread, and endpoints are read on short-lived virtual
     * threads, so each read took a new 8 KiB text buffer for each of its five JSON columns.
     */
    private static final ObjectMapper JSON =
            new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build());
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<Long>> LONG_LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };

    private EndpointRows() {
    }

    static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(new EndpointId(rs.getLong("id")), UUID.fromString(rs.getString("uuid")),
                new WebhookId(rs.getString("public_id")), new AccountId(rs.getLong("account_id")),
                rs.getString("url"), read(rs.getString("event_types"), STRING_LIST),
                Columns.optionalText(rs, "description"), STATUS.read(rs, "status"),
                new ApiKeyId(rs.getLong("created_by")), Columns.optionalLong(rs, "scope_key_id").map(ApiKeyId::new),
                Columns.optionalInt(rs, "rate_limit"), read(rs.getString("headers"), STRING_MAP),
                Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"), stats(rs), destination(rs),
                profile(rs), Columns.optionalText(rs, "retry_schedule").map(EndpointRows::delays),
                CIRCUIT.read(rs, "circuit"), ORDERING.read(rs, "ordering"));
    }

    /** The platform's uid, metadata, channels and version columns. */
    static EndpointProfile profile(ResultSet rs) throws SQLException {
        return new EndpointProfile(Columns.optionalText(rs, "uid"), read(rs.getString("metadata"), STRING_MAP),
                read(rs.getString("channels"), STRING_LIST), Math.toIntExact(rs.getLong("version")));
    }

    /** A JSON array of strings as stored (event types, channels). */
    static List<String> stringList(String json) {
        return read(json, STRING_LIST);
    }

    /** An endpoint's own retry delays as stored: a JSON array of milliseconds. */
    static String delaysJson(List<Duration> delays) {
        return json(delays.stream().map(Duration::toMillis).toList());
    }

    private static List<Duration> delays(String json) {
        return read(json, LONG_LIST).stream().map(Duration::ofMillis).toList();
    }

    /** A JSON array of delivery keys (a circuit's current ramp step). */
    static List<Long> keys(String json) {
        return read(json, LONG_LIST);
    }

    /** The type and config columns, with the credentials column as the destination's secret. */
    static Destination destination(ResultSet rs) throws SQLException {
        String wire = rs.getString("type");
        DestinationType type = DestinationType.fromWire(wire)
                .orElseThrow(() -> new StoreException("store: unknown endpoint type " + wire));
        return DestinationRules.restore(type, read(rs.getString("config"), OBJECT_MAP),
                Columns.optionalText(rs, "config_secret").map(BrokerCredentials::new));
    }

    static EndpointStats stats(ResultSet rs) throws SQLException {
        return new EndpointStats(rs.getLong("successful"), rs.getLong("failed"),
                Math.toIntExact(rs.getLong("consecutive_failures")), Columns.optionalInstant(rs, "last_success_at"),
                Columns.optionalInstant(rs, "last_failure_at"), Columns.optionalInstant(rs, "last_attempt_at"),
                Columns.optionalText(rs, "last_error"));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("store: cannot write endpoint JSON", e);
        }
    }

    /** A JSON object of strings as stored (custom headers, account metadata). */
    static Map<String, String> stringMap(String json) {
        return read(json, STRING_MAP);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("store: corrupt endpoint JSON column", e);
        }
    }
}
