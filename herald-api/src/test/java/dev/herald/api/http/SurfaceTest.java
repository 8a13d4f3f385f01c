package dev.herald.api.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SurfaceTest {
    @ParameterizedTest
    @CsvSource({
            "/api/v1/webhooks, API_MALL",
            "/api/v1/webhooks/12, API_MALL",
            "/api/v1/webhooksx, SVIX",
            "/api/v1/app, SVIX",
            "/api/v1/app/app_1/endpoint, SVIX",
            "/api/v1/event-type/user.signup, SVIX",
            "/api/v1/health, SVIX",
            "/api/v1/stream, SVIX",
            "/api/v1, SVIX",
            "/api/integrations/webhooks/subscriptions, MIDMARKET",
            "/admin/v1/accounts, ADMIN",
            "/v1/webhooks, CANONICAL",
            "/health, PUBLIC"})
    void thePathDecidesTheSurface(String path, Surface surface) {
        assertThat(Surface.of(path)).isEqualTo(surface);
    }
}
