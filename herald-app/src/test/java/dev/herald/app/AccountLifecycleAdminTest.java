package dev.herald.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.testing.ApiResponse;
import dev.herald.api.testing.OpenApiConformance;
import dev.herald.app.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disabling, enabling and deleting an account through the admin API and the CLI, against a running Herald; every
 * exchange is held to the OpenAPI document.
 */
class AccountLifecycleAdminTest {
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final Pattern ACCOUNT_ID = Pattern.compile("Created account (\\d+) ");
    private static final Pattern KEY = Pattern.compile("(sk_live_[0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path config;
    private Herald herald;

    @BeforeEach
    void start() throws IOException {
        config = dir.resolve("herald.properties");
        Files.writeString(config, String.join("\n", "listen.port=0",
                "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'),
                "admin.token=" + ADMIN_TOKEN, ""));
        herald = Herald.start(ConfigLoader.load(Optional.of(config), Map.of()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void theAdminApiDisablesEnablesAndDeletesAnAccount() throws Exception {
        var account = send("POST", "/admin/v1/accounts", ADMIN_TOKEN, "{\"name\":\"acme\"}");
        long id = JSON.readTree(account.body()).get("id").asLong();
        assertThat(JSON.readTree(account.body()).get("status").asText()).isEqualTo("active");
        String key = JSON.readTree(send("POST", "/admin/v1/accounts/" + id + "/keys", ADMIN_TOKEN, "{}").body())
                .get("key").asText();
        assertThat(send("GET", "/v1/webhooks", key, null).statusCode()).isEqualTo(200);

        var disabled = send("PATCH", "/admin/v1/accounts/" + id, ADMIN_TOKEN, "{\"status\":\"disabled\"}");

        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(disabled.body()).get("status").asText()).isEqualTo("disabled");
        assertThat(send("GET", "/v1/webhooks", key, null).statusCode()).isEqualTo(401);
        var refused = send("PATCH", "/admin/v1/accounts/" + id, ADMIN_TOKEN, "{\"status\":\"deleted\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("error").path("field").asText()).isEqualTo("status");

        var enabled = send("PATCH", "/admin/v1/accounts/" + id, ADMIN_TOKEN, "{\"status\":\"active\"}");

        assertThat(JSON.readTree(enabled.body()).get("status").asText()).isEqualTo("active");
        assertThat(send("GET", "/v1/webhooks", key, null).statusCode()).isEqualTo(200);

        var deleted = send("DELETE", "/admin/v1/accounts/" + id, ADMIN_TOKEN, null);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/webhooks", key, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/admin/v1/accounts/" + id, ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/admin/v1/accounts/" + id, ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(herald.store().accounts().findInAnyStatus(new dev.herald.core.account.AccountId(id))).isEmpty();
    }

    @Test
    void theCliDisablesEnablesAndDeletesAnAccountARunningServerServes() throws Exception {
        String id = cli("account", "create", "--name", "acme").find(ACCOUNT_ID);
        String key = cli("key", "create", "--account", id).find(KEY);
        assertThat(send("GET", "/v1/webhooks", key, null).statusCode()).isEqualTo(200);

        assertThat(cli("account", "disable", id).out()).contains("Disabled account " + id);
        // Another process changed the store: the server notices within its key cache time.
        await("the key refused", () -> status(key) == 401);
        assertThat(cli("account", "list").out()).contains("acme").contains("disabled");

        assertThat(cli("account", "enable", id).out()).contains("Enabled account " + id);
        await("the key accepted again", () -> status(key) == 200);

        assertThat(cli("account", "delete", id).out()).contains("Deleted account " + id + " and purged its data");
        await("the key refused", () -> status(key) == 401);
        assertThat(cli("account", "list").out()).doesNotContain("acme");
        var again = cli("account", "delete", id);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("not found");
    }

    private record Cli(int exitCode, String out, String err) {
        String find(Pattern pattern) {
            Matcher m = pattern.matcher(out);
            assertThat(m.find()).as("output %s matches %s", out, pattern).isTrue();
            return m.group(1);
        }
    }

    private Cli cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        int code = Main.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    private int status(String key) {
        try {
            return send("GET", "/v1/webhooks", key, null).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        var built = request.build();
        var response = http.send(built, HttpResponse.BodyHandlers.ofString());
        var headers = new java.util.LinkedHashMap<String, String>();
        built.headers().map().forEach((name, values) -> headers.put(name, values.getFirst()));
        OpenApiConformance.check(method, built.uri(), headers,
                Optional.ofNullable(body).map(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new ApiResponse(response.statusCode(), response.headers(), response.body()));
        return response;
    }
}
