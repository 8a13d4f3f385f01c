package dev.herald.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.http.Authenticator;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig;
import dev.herald.testing.Await;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 3's acceptance path: CLI-created account and key, real server, auth outcomes, restart on the same data. */
class HeraldServerTest {
    private static final Pattern ACCOUNT_ID = Pattern.compile("Created account (\\d+) ");
    private static final Pattern KEY_ID = Pattern.compile("Created API key (\\d+) ");
    private static final Pattern KEY = Pattern.compile("(sk_live_[0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static CliRun cli(Path config, String... args) {
        return CliRun.withConfig(config, args);
    }

    private Path configFile() throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, "listen.port=0\nstore=sqlite:" + dir.resolve("data").toString().replace('\\', '/') + "\n");
        return file;
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int statusOf(int port, String path, Map<String, String> headers) {
        try {
            return get(port, path, headers).statusCode();
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9A-Za-z]{26}"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(body.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void cliIssuedKeyWorksWrongAndRevokedKeysAreRejectedAndDataSurvivesRestart() throws Exception {
        Path configFile = configFile();
        HeraldConfig config = ConfigLoader.load(Optional.of(configFile), Map.of());

        CliRun account = cli(configFile, "account", "create", "--name", "acme");
        assertThat(account.exitCode()).as(account.err()).isZero();
        String accountId = account.find(ACCOUNT_ID);
        CliRun key = cli(configFile, "key", "create", "--account", accountId);
        assertThat(key.exitCode()).as(key.err()).isZero();
        String token = key.find(KEY);
        String keyId = key.find(KEY_ID);
        CliRun second = cli(configFile, "key", "create", "--account", accountId, "--name", "second");
        String secondToken = second.find(KEY);

        try (Herald herald = Herald.start(config, Clock.systemUTC())) {
            int port = herald.port();
            assertThat(get(port, "/health", Map.of()).statusCode()).isEqualTo(200);

            var withBearer = get(port, "/v1/webhooks", Map.of("Authorization", "Bearer " + token));
            assertThat(withBearer.statusCode()).isEqualTo(200);
            assertThat(withBearer.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(get(port, "/v1/webhooks", Map.of("X-API-Key", token)).statusCode()).isEqualTo(200);

            assertUnauthorized(get(port, "/v1/webhooks", Map.of()));
            assertUnauthorized(get(port, "/v1/webhooks", Map.of("Authorization", "Bearer sk_live_" + "0".repeat(64))));
            assertUnauthorized(get(port, "/v1/webhooks", Map.of("X-API-Key", "not-a-key")));

            CliRun revoke = cli(configFile, "key", "revoke", keyId);
            assertThat(revoke.exitCode()).as(revoke.err()).isZero();
            // Revoked by another process: the server stops accepting it once its key cache time has passed.
            Await.until("the revoked key refused", Authenticator.DEFAULT_CACHE_TIME.plusSeconds(5), () -> statusOf(port,
                    "/v1/webhooks", Map.of("Authorization", "Bearer " + token)) == 401);
            assertUnauthorized(get(port, "/v1/webhooks", Map.of("Authorization", "Bearer " + token)));
            assertThat(get(port, "/v1/webhooks", Map.of("Authorization", "Bearer " + secondToken)).statusCode()).isEqualTo(200);
        }

        try (Herald restarted = Herald.start(config, Clock.systemUTC())) {
            int port = restarted.port();
            assertThat(get(port, "/v1/webhooks", Map.of("Authorization", "Bearer " + secondToken)).statusCode()).isEqualTo(200);
            assertUnauthorized(get(port, "/v1/webhooks", Map.of("Authorization", "Bearer " + token)));
        }
        CliRun list = cli(configFile, "account", "list");
        assertThat(list.out()).contains("acme");
        CliRun keys = cli(configFile, "key", "list", "--account", accountId);
        assertThat(keys.out()).contains("revoked").contains("second").doesNotContain(token).doesNotContain(secondToken);
    }

    @Test
    void oversizedBodyIsRefusedWith413AndACode() throws Exception {
        Path configFile = configFile();
        HeraldConfig config = ConfigLoader.load(Optional.of(configFile), Map.of());
        try (Herald herald = Herald.start(config, Clock.systemUTC())) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + "/v1/webhooks"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + "a".repeat(2 << 20) + "\"}"))
                    .build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void badConfigurationFailsAtStartNamingTheKey() throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "listen.port=http\n");
        CliRun result = cli(file, "migrate");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("listen.port").contains("must be an integer");
    }

    @Test
    void everyCommandExplainsItselfWithHelp() throws IOException {
        Path config = configFile();
        for (var command : List.of(List.of("serve"), List.of("migrate"), List.of("account", "create"),
                List.of("key", "revoke"))) {
            var args = new ArrayList<>(command);
            args.add("--help");
            CliRun result = cli(config, args.toArray(String[]::new));
            assertThat(result.exitCode()).as(command + ": " + result.err()).isZero();
            assertThat(result.out()).as(command.toString()).contains("Usage: herald " + String.join(" ", command))
                    .contains("--help");
        }
    }

    @Test
    void migrateAppliesMigrationsAndReportsTheStore() throws IOException {
        CliRun result = cli(configFile(), "migrate");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Migrations applied").contains("sqlite");
        assertThat(Files.exists(dir.resolve("data"))).isTrue();
    }
}
