package dev.herald.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant's resources on every surface (canonical webhook, event, delivery, event type, API Mall webhook,
 * Midmarket subscription) and every route of every surface with those ids filled in.
 */
record Resources(Tenant tenant, String webhookId, String webhookUrl, String eventId, String deliveryId,
                 String eventType, String apiMallId, String midmarketId) {
    /** One route: method, concrete path, surface. */
    record Route(String method, String path, String surface) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Resources create(HeraldNode herald, String name, String receiverUrl) {
        Tenant tenant = herald.newTenant(name);
        Http http = herald.as(tenant);
        var webhook = Api.createWebhook(http, receiverUrl, "delivered");
        String eventId = Api.publish(http, "delivered", 1).json().path("id").asText();
        String[] delivery = new String[1];
        Await.until("delivery of " + eventId, Duration.ofSeconds(10), () -> {
            JsonNode d = http.get("/v1/events/" + eventId).json().path("deliveries");
            delivery[0] = d.path(0).path("id").asText("");
            return !delivery[0].isEmpty();
        });
        Await.until("first attempt of " + delivery[0], Duration.ofSeconds(10),
                () -> http.get("/v1/deliveries/" + delivery[0]).json().path("attempts").size() > 0);
        String eventType = "tenant." + name.replaceAll("[^a-z]", "") + ".custom";
        var type = http.post("/v1/event-types", "{\"name\":\"" + eventType + "\",\"description\":\"d\"}");
        assertThat(type.status()).as(type.toString()).isIn(200, 201);
        var mall = http.post("/api/v1/webhooks", "{\"url\":\"" + receiverUrl + "/mall\",\"events\":[\"delivered\"]}");
        assertThat(mall.status()).as(mall.toString()).isIn(200, 201);
        Findings.secretsIn(mall.json());
        var mid = http.post("/api/integrations/webhooks/subscriptions",
                "{\"endpointUrl\":\"" + receiverUrl + "/mid\",\"eventTypes\":[\"delivered\"]}");
        assertThat(mid.status()).as(mid.toString()).isIn(200, 201);
        Findings.secretsIn(mid.json());
        return new Resources(tenant, webhook.id(), receiverUrl, eventId, delivery[0], eventType,
                idOf(mall.json()), mid.json().path("id").asText());
    }

    private static String idOf(JsonNode mall) {
        return mall.path("data").path("id").asText(mall.path("id").asText());
    }

    /** Every authenticated route of the canonical, API Mall and Midmarket surfaces, with this tenant's ids. */
    List<Route> routes() {
        String w = "/v1/webhooks/" + webhookId;
        String m = "/api/v1/webhooks/" + apiMallId;
        String s = "/api/integrations/webhooks/subscriptions/" + midmarketId;
        return List.of(
                new Route("POST", "/v1/webhooks", "canonical"), new Route("GET", "/v1/webhooks", "canonical"),
                new Route("GET", w, "canonical"), new Route("PATCH", w, "canonical"),
                new Route("DELETE", w, "canonical"), new Route("GET", w + "/deliveries", "canonical"),
                new Route("POST", w + "/recover", "canonical"), new Route("POST", w + "/secret/rotate", "canonical"),
                new Route("POST", w + "/test", "canonical"),
                new Route("POST", "/v1/events", "canonical"), new Route("GET", "/v1/events", "canonical"),
                new Route("GET", "/v1/events/" + eventId, "canonical"),
                new Route("GET", "/v1/deliveries/" + deliveryId, "canonical"),
                new Route("POST", "/v1/deliveries/" + deliveryId + "/retry", "canonical"),
                new Route("POST", "/v1/event-types", "canonical"), new Route("GET", "/v1/event-types", "canonical"),
                new Route("DELETE", "/v1/event-types/" + eventType, "canonical"),
                new Route("POST", "/api/v1/webhooks", "apimall"), new Route("GET", "/api/v1/webhooks", "apimall"),
                new Route("GET", m, "apimall"), new Route("PATCH", m, "apimall"), new Route("DELETE", m, "apimall"),
                new Route("POST", "/api/integrations/webhooks/subscriptions", "midmarket"),
                new Route("GET", "/api/integrations/webhooks/subscriptions", "midmarket"),
                new Route("GET", s, "midmarket"), new Route("PATCH", s, "midmarket"),
                new Route("DELETE", s, "midmarket"));
    }

    /** The admin surface's routes, for an account and key id. */
    static List<Route> adminRoutes(long account, long key) {
        return List.of(new Route("POST", "/admin/v1/accounts", "admin"), new Route("GET", "/admin/v1/accounts", "admin"),
                new Route("GET", "/admin/v1/accounts/" + account, "admin"),
                new Route("PATCH", "/admin/v1/accounts/" + account, "admin"),
                new Route("DELETE", "/admin/v1/accounts/" + account, "admin"),
                new Route("POST", "/admin/v1/accounts/" + account + "/keys", "admin"),
                new Route("GET", "/admin/v1/accounts/" + account + "/keys", "admin"),
                new Route("DELETE", "/admin/v1/keys/" + key, "admin"));
    }

    /** The error code of a response in its surface's shape; empty when the shape has none. */
    static String errorCode(String surface, Http.Response r) {
        JsonNode json;
        try {
            json = Http.JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            return "";
        }
        return switch (surface) {
            case "apimall" -> json.path("success").asBoolean(true) ? "" : json.path("error").path("code").asText("");
            case "midmarket" -> json.has("detail") ? "detail" : "";
            default -> json.path("error").path("code").asText("");
        };
    }

    /** Rows per table of a SQLite store, read behind Herald's back. */
    static Map<String, Long> rowCounts(Path sqliteDir) {
        var counts = new TreeMap<String, Long>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + sqliteDir.resolve("herald.db"));
             var tables = c.createStatement().executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'flyway%'")) {
            var names = new java.util.ArrayList<String>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String table : names) {
                // table names come from sqlite_master, not from input
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}
