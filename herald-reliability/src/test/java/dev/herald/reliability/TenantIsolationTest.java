package dev.herald.reliability;

import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two accounts: every id route of every surface tried with the other account's ids answers 404 and leaks
 * nothing (no URL, id or secret of the owner in the body), lists show only one's own; a revoked key is
 * refused on its very next request.
 */
@Order(6)
class TenantIsolationTest {
    @TempDir
    static Path dir;
    private static HeraldNode herald;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data")), dir);
    }

    @AfterAll
    static void stop() {
        herald.close();
        receiver.close();
    }

    @Test
    void anotherAccountsIdsAreAlways404AndNeverLeak() {
        var owner = Resources.create(herald, "owner", receiver.url("/owner"));
        var intruder = Resources.create(herald, "intruder", receiver.url("/intruder"));
        Http http = herald.as(intruder.tenant());
        var failures = new ArrayList<String>();
        int tried = 0;
        List<String> ownerMarks = List.of(owner.webhookUrl(), "/owner/mall", "/owner/mid");
        for (var route : owner.routes()) {
            boolean idRoute = !route.path().equals("/v1/webhooks") && !route.path().equals("/v1/events")
                    && !route.path().equals("/v1/event-types") && !route.path().equals("/api/v1/webhooks")
                    && !route.path().equals("/api/integrations/webhooks/subscriptions");
            if (!idRoute) {
                continue;
            }
            tried++;
            // valid bodies, so a refusal can only come from ownership, not from validation
            String body = route.method().equals("PATCH") ? patchBody(route.surface())
                    : route.path().endsWith("/recover") ? "{\"since\":\"2020-01-01T00:00:00Z\"}" : "{}";
            var r = http.send(route.method(), route.path(),
                    route.method().equals("GET") || route.method().equals("DELETE") ? Optional.empty()
                            : Optional.of(body.getBytes(StandardCharsets.UTF_8)), Map.of());
            if (r.status() != 404) {
                failures.add(route + " -> " + r);
            }
            for (String mark : ownerMarks) {
                if (r.body().contains(mark)) {
                    failures.add(route + " leaks " + mark + ": " + r);
                }
            }
        }
        for (String list : List.of("/v1/webhooks", "/v1/event-types", "/v1/events", "/api/v1/webhooks",
                "/api/integrations/webhooks/subscriptions", "/v1/webhooks/" + intruder.webhookId() + "/deliveries")) {
            var r = http.get(list);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (String mark : List.of(owner.webhookId(), owner.webhookUrl(), owner.eventType(), owner.midmarketId(),
                    owner.deliveryId(), owner.eventId())) {
                if (r.body().contains(mark)) {
                    failures.add("list " + list + " shows the owner's " + mark);
                }
            }
        }
        // the owner's resources are untouched
        assertThat(herald.as(owner.tenant()).get("/v1/webhooks/" + owner.webhookId()).status()).isEqualTo(200);
        assertThat(herald.as(owner.tenant()).get("/api/v1/webhooks/" + owner.apiMallId()).status()).isEqualTo(200);
        Findings.record("Tenants", tried + " id routes with the other account's ids + 6 lists",
                failures.size() + " not 404 or leaking; owner's resources intact");
        assertThat(failures).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedOnItsNextRequest() {
        Tenant tenant = herald.newTenant("revoked");
        Http http = herald.as(tenant);
        assertThat(http.get("/v1/webhooks").status()).isEqualTo(200);
        var revoke = herald.admin().delete("/admin/v1/keys/" + tenant.keyId());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        var surfaces = List.of("/v1/webhooks", "/api/v1/webhooks", "/api/integrations/webhooks/subscriptions");
        var statuses = new ArrayList<Integer>();
        for (String path : surfaces) {
            statuses.add(http.get(path).status());
        }
        Findings.record("Tenants", "revoked key, next request on each surface", "statuses " + statuses);
        assertThat(statuses).containsOnly(401);
    }

    private static String patchBody(String surface) {
        return switch (surface) {
            case "midmarket" -> "{\"description\":\"taken over\"}";
            case "apimall" -> "{\"status\":\"paused\"}";
            default -> "{\"description\":\"taken over\"}";
        };
    }
}
