package dev.herald.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code api.rate-limit} per API key on every authenticated surface: beyond the limit 429 with
 * {@code Retry-After}, the code in the surface's own error shape; another key is not affected.
 */
@Order(2)
class ApiRateLimitCaseTest {
    private static final int LIMIT = 5;

    @TempDir
    static Path dir;
    private static HeraldNode herald;

    private record Surface(String name, String path, Function<Http.Response, String> code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Surface> surfaces() {
        return List.of(
                new Surface("canonical", "/v1/webhooks", r -> r.json().path("error").path("code").asText()),
                new Surface("API Mall", "/api/v1/webhooks", r -> r.json().path("error").path("code").asText()),
                new Surface("Midmarket", "/api/integrations/webhooks/subscriptions",
                        r -> r.json().path("detail").asText().isEmpty() ? "" : "rate_limited"));
    }

    @BeforeAll
    static void start() {
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data")).with("api.rate-limit",
                Integer.toString(LIMIT)), dir);
    }

    @AfterAll
    static void stop() {
        herald.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void answers429WithRetryAfterBeyondTheLimitInTheSurfacesShape(Surface surface) {
        Tenant tenant = herald.newTenant("limited");
        Tenant other = herald.newTenant("other");
        int ok = 0;
        Http.Response limited = null;
        for (int i = 0; i < LIMIT * 4 && limited == null; i++) {
            var response = herald.as(tenant).get(surface.path());
            if (response.status() == 429) {
                limited = response;
            } else {
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(limited).as("a request beyond %d/s was refused", LIMIT).isNotNull();
        assertThat(limited.header("Retry-After")).as("Retry-After").hasValueSatisfying(
                v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(surface.code().apply(limited)).isEqualTo("rate_limited");
        assertThat(herald.as(other).get(surface.path()).status()).as("another key").isEqualTo(200);
        Findings.record("API rate limit", surface.name() + " " + surface.path() + " at " + LIMIT + "/s",
                ok + " admitted, then 429 " + limited.body().strip() + " Retry-After: "
                        + limited.header("Retry-After").orElseThrow() + "; another key still 200");
    }
}
