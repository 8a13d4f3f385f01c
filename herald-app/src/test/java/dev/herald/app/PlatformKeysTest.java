package dev.herald.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Platform keys: issued by the CLI or the admin API, good on /admin/v1 only, revocable; customer keys stay out. */
class PlatformKeysTest {
    private static final Pattern PLATFORM_KEY = Pattern.compile("(sk_platform_[0-9a-f]{64})");
    private static final Pattern PLATFORM_KEY_ID = Pattern.compile("Created platform key (\\d+) ");
    private static final Pattern API_KEY = Pattern.compile("(sk_live_[0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPlatformKeyOpensTheAdminApiButNoCustomerRouteAndStopsWhenRevoked() throws Exception {
        Path configFile = configFile();
        HeraldConfig config = ConfigLoader.load(Optional.of(configFile), Map.of());
        String created = cli(configFile, "platform-key", "create", "--name", "backend");
        String platformKey = find(created, PLATFORM_KEY);
        String platformKeyId = find(created, PLATFORM_KEY_ID);
        cli(configFile, "account", "create", "--name", "acme");
        String apiKey = find(cli(configFile, "key", "create", "--account", "1"), API_KEY);

        try (Herald herald = Herald.start(config, Clock.systemUTC())) {
            int port = herald.port();
            assertThat(send(port, "GET", "/admin/v1/accounts", platformKey, null).statusCode()).isEqualTo(200);
            assertThat(code(send(port, "GET", "/v1/webhooks", platformKey, null))).isEqualTo("unauthorized");
            assertThat(code(send(port, "GET", "/admin/v1/accounts", apiKey, null))).isEqualTo("unauthorized");
            assertThat(send(port, "GET", "/v1/webhooks", apiKey, null).statusCode()).isEqualTo(200);

            var issued = send(port, "POST", "/admin/v1/platform-keys", platformKey, "{\"name\":\"ops\"}");
            assertThat(issued.statusCode()).isEqualTo(201);
            JsonNode second = JSON.readTree(issued.body());
            String secondKey = second.path("key").asText();
            assertThat(secondKey).matches(PLATFORM_KEY.pattern());
            assertThat(second.path("hint").asText()).isEqualTo("sk_platform_…" + secondKey.substring(secondKey.length() - 4));
            var listed = send(port, "GET", "/admin/v1/platform-keys", secondKey, null);
            assertThat(listed.body()).contains("backend").contains("ops").doesNotContain(platformKey)
                    .doesNotContain(secondKey);

            // revoked over the API: refused at once on this node
            var revoked = send(port, "DELETE", "/admin/v1/platform-keys/" + second.path("id").asText(), platformKey,
                    null);
            assertThat(JSON.readTree(revoked.body()).path("revoked_at").isNull()).isFalse();
            assertThat(code(send(port, "GET", "/admin/v1/accounts", secondKey, null))).isEqualTo("unauthorized");

            // revoked by another process (the CLI): refused within the key cache time
            cli(configFile, "platform-key", "revoke", platformKeyId);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            int status;
            do {
                status = send(port, "GET", "/admin/v1/accounts", platformKey, null).statusCode();
            } while (status != 401 && Instant.now().isBefore(deadline));
            assertThat(status).isEqualTo(401);
        }
        String list = cli(configFile, "platform-key", "list");
        assertThat(list).contains("backend").contains("revoked").doesNotContain(platformKey);
    }

    @Test
    void thePlatformPublishesForAnAccountAsOneOfItsKeysOrAsNone() throws Exception {
        Path configFile = configFile();
        HeraldConfig config = ConfigLoader.load(Optional.of(configFile), Map.of());
        String platformKey = find(cli(configFile, "platform-key", "create", "--name", "backend"), PLATFORM_KEY);
        cli(configFile, "account", "create", "--name", "acme", "--uid", "cust_acme", "--metadata", "plan=pro");
        cli(configFile, "account", "create", "--name", "globex");
        String first = find(cli(configFile, "key", "create", "--account", "1"), API_KEY);
        String second = find(cli(configFile, "key", "create", "--account", "1"), API_KEY);
        find(cli(configFile, "key", "create", "--account", "2"), API_KEY);

        try (Herald herald = Herald.start(config, Clock.systemUTC())) {
            int port = herald.port();
            String hook = "{\"url\":\"https://example.com/%s\",\"events\":[\"job.completed\"]%s}";
            assertThat(send(port, "POST", "/v1/webhooks", first, hook.formatted("all", "")).statusCode()).isEqualTo(201);
            assertThat(send(port, "POST", "/v1/webhooks", first, hook.formatted("first", ",\"api_key_id\":1"))
                    .statusCode()).isEqualTo(201);
            assertThat(send(port, "POST", "/v1/webhooks", second, hook.formatted("second", ",\"api_key_id\":2"))
                    .statusCode()).isEqualTo(201);
            String event = "{\"type\":\"job.completed\",\"data\":{\"n\":1}%s}";

            var asNone = send(port, "POST", "/v1/events", platformKey, event.formatted(",\"account\":1"));
            assertThat(asNone.statusCode()).as(asNone.body()).isEqualTo(202);
            assertThat(JSON.readTree(asNone.body()).path("deliveries").asInt()).isEqualTo(1);
            var asFirst = send(port, "POST", "/v1/events", platformKey, event.formatted(",\"account\":1,\"api_key_id\":1"));
            assertThat(JSON.readTree(asFirst.body()).path("deliveries").asInt()).isEqualTo(2);
            String eventId = JSON.readTree(asFirst.body()).path("id").asText();
            var seen = send(port, "GET", "/v1/events/" + eventId, first, null);
            assertThat(JSON.readTree(seen.body()).path("deliveries").size()).isEqualTo(2);

            var byUid = send(port, "POST", "/v1/events", platformKey, event.formatted(",\"account\":\"cust_acme\""));
            assertThat(byUid.statusCode()).as(byUid.body()).isEqualTo(202);
            assertThat(JSON.readTree(byUid.body()).path("deliveries").asInt()).isEqualTo(1);
            assertThat(code(send(port, "POST", "/v1/events", platformKey, event.formatted(",\"account\":\"cust_x\""))))
                    .isEqualTo("account_not_found");
            var account = JSON.readTree(send(port, "GET", "/admin/v1/accounts/1", platformKey, null).body());
            assertThat(account.path("uid").asText()).isEqualTo("cust_acme");
            assertThat(account.path("metadata").path("plan").asText()).isEqualTo("pro");

            assertThat(code(send(port, "POST", "/v1/events", platformKey, event.formatted("")))).isEqualTo("account_required");
            assertThat(send(port, "POST", "/v1/events", platformKey, event.formatted("")).statusCode()).isEqualTo(422);
            assertThat(code(send(port, "POST", "/v1/events", platformKey, event.formatted(",\"account\":99"))))
                    .isEqualTo("account_not_found");
            var othersKey = send(port, "POST", "/v1/events", platformKey,
                    event.formatted(",\"account\":1,\"api_key_id\":3"));
            assertThat(othersKey.statusCode()).isEqualTo(422);
            assertThat(code(othersKey)).isEqualTo("invalid_api_key_id");
            assertThat(code(send(port, "POST", "/v1/events", first, event.formatted(",\"account\":2"))))
                    .isEqualTo("invalid_request");
            assertThat(code(send(port, "GET", "/v1/events/" + eventId, platformKey, null))).isEqualTo("unauthorized");
        }
    }

    private Path configFile() throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, "listen.port=0\nstore=sqlite:" + dir.resolve("data").toString().replace('\\', '/') + "\n");
        return file;
    }

    private static String find(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s matches %s", text, pattern).isTrue();
        return m.group(1);
    }

    /** The command's stdout; it must succeed. */
    private static String cli(Path config, String... args) {
        CliRun run = CliRun.withConfig(config, args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run.out();
    }

    private HttpResponse<String> send(int port, String method, String path, String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }
}
