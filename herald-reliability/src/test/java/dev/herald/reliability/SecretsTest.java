package dev.herald.reliability;

import dev.herald.core.account.ApiKeyToken;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys are stored only as hashes, and no signing secret, API key, admin token or broker password the suite
 * created appears in any log line of the run (this JVM's captured log and every Herald process's output) or in an
 * error message. Runs last, after every other case has logged.
 */
@Order(100)
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void keysAreStoredAsHashesAndNoSecretReachesALogOrAnError() throws Exception {
        var errorsWithSecrets = new ArrayList<String>();
        String supplied = Findings.secret("whsec_" + java.util.Base64.getEncoder()
                .encodeToString("a-secret-supplied-by-the-suite-32".getBytes()));
        try (var receiver = WebhookReceiver.start();
             var herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data")), dir)) {
            Tenant tenant = herald.newTenant("secrets");
            Http http = herald.as(tenant);
            var created = http.post("/v1/webhooks", "{\"url\":\"" + receiver.url("/s") + "\",\"events\":[\"delivered\"],"
                    + "\"secret\":\"" + supplied + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().path("id").asText();
            Findings.secretsIn(http.post("/v1/webhooks/" + id + "/secret/rotate", "{}").json());
            // A broker endpoint whose password is wrong: its attempts fail (auth) and are logged, never the password.
            String brokerPassword = Findings.secret("broker-pw-" + java.util.UUID.randomUUID());
            var broker = http.post("/v1/webhooks", "{\"type\":\"rabbitmq\",\"events\":[\"delivered\"],\"config\":"
                    + "{\"uri\":\"amqp://guest:" + brokerPassword + "@127.0.0.1:5672/\",\"exchange\":\"amq.topic\","
                    + "\"routing_key\":\"herald.{type}\"}}");
            assertThat(broker.status()).as(broker.toString()).isEqualTo(201);
            String brokerId = broker.json().path("id").asText();
            // error paths that see a secret or a key: each answer must not echo it
            for (var r : java.util.List.of(broker, http.get("/v1/webhooks/" + brokerId), http.get("/v1/webhooks"),
                    http.post("/v1/webhooks", "{\"url\":\"ftp://x\",\"events\":[\"delivered\"],\"secret\":\"" + supplied + "\"}"),
                    http.post("/v1/webhooks", "{\"url\":\"" + receiver.url("/s") + "\",\"events\":[\"delivered\"],"
                            + "\"secret\":\"" + supplied + "x!\"}"),
                    http.post("/v1/webhooks/" + id + "/secret/rotate", "{\"secret\":\"" + supplied + "!!\"}"),
                    herald.anonymous().as(tenant.key() + "0").get("/v1/webhooks"),
                    herald.anonymous().as(tenant.key().substring(0, 20)).get("/api/v1/webhooks"),
                    herald.anonymous().as("sk_live_" + "0".repeat(64)).get("/api/integrations/webhooks/subscriptions"),
                    new Http(herald.base(), java.util.Optional.of(tenant.key())).get("/admin/v1/accounts"))) {
                for (String secret : Findings.secrets()) {
                    if (r.body().contains(secret) || (secret.length() > 20 && r.body().contains(secret.substring(8, 20)))) {
                        errorsWithSecrets.add(r.toString());
                    }
                }
            }
            Api.publish(http, "delivered", 1);
            Await.until("delivered", java.time.Duration.ofSeconds(10), () -> !receiver.requests().isEmpty());
            Await.until("the broker endpoint's failed attempts", java.time.Duration.ofSeconds(10),
                    () -> http.get("/v1/webhooks/" + brokerId).json().path("stats").path("failed").asLong() > 0);

            String apiKeysTable = tableText(dir.resolve("data"), "api_keys");
            String allTables = String.join("\n", java.util.List.of("accounts", "api_keys", "endpoints", "events",
                    "deliveries", "attempts", "idempotency_records").stream()
                    .map(t -> tableText(dir.resolve("data"), t)).toList());
            assertThat(allTables).as("plaintext API key in the database").doesNotContain(tenant.key());
            assertThat(apiKeysTable).as("the key's sha256 hash is stored").contains(new ApiKeyToken(tenant.key()).hash());
        }
        var hits = new ArrayList<String>();
        var texts = LogCapture.texts();
        long logBytes = texts.stream().mapToLong(String::length).sum();
        for (String secret : Findings.secrets()) {
            for (String text : texts) {
                if (text.contains(secret)) {
                    int at = text.indexOf(secret);
                    hits.add(text.substring(Math.max(0, at - 120), Math.min(text.length(), at + secret.length() + 20)));
                }
            }
        }
        Findings.record("Secrets", "API keys in the database", "only sha256 hashes (plaintext found in no table)");
        Findings.record("Secrets", "secrets/keys/admin tokens created by the suite vs all log output",
                Findings.secrets().size() + " secrets, " + LogCapture.lineCount() + " captured log lines + "
                        + LogCapture.processOutputCount() + " process outputs (" + logBytes / 1024 + " KiB): "
                        + hits.size() + " occurrences; error answers echoing a secret: " + errorsWithSecrets.size());
        assertThat(hits).as("secrets in logs").isEmpty();
        assertThat(errorsWithSecrets).as("secrets in error answers").isEmpty();
        assertThat(LogCapture.lineCount()).as("log capture works").isPositive();
    }

    private static String tableText(Path sqliteDir, String table) {
        var text = new StringBuilder();
        // table names are the fixed list above
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + sqliteDir.resolve("herald.db"));
             var rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(rs.getString(i)).append('|');
                }
                text.append('\n');
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
