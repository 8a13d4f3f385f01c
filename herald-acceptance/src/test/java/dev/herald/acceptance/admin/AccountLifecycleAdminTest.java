package dev.herald.acceptance.admin;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.app.Main;
import dev.herald.core.account.AccountId;
import dev.herald.testing.Await;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disabling, enabling and deleting an account through the admin API and the CLI, against a running Herald on each
 * store; every HTTP exchange is held to the OpenAPI document (by {@link ApiClient}).
 */
@ClassTemplate
class AccountLifecycleAdminTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private static final Pattern ACCOUNT_ID = Pattern.compile("Created account (\\d+) ");
    private static final Pattern KEY = Pattern.compile("(sk_live_[0-9a-f]{64})");

    @Test
    void theAdminApiDisablesEnablesAndDeletesAnAccount() {
        ApiClient admin = herald.admin();
        var account = admin.post("/admin/v1/accounts", "{\"name\":\"acme api\"}");
        assertThat(account.status()).as("%s", account).isEqualTo(201);
        long id = account.json().get("id").asLong();
        assertThat(account.json().get("status").asText()).isEqualTo("active");
        var issued = admin.post("/admin/v1/accounts/" + id + "/keys", "{}");
        assertThat(issued.status()).as("%s", issued).isEqualTo(201);
        ApiClient api = withKey(issued.json().get("key").asText());
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);

        var disabled = admin.patch("/admin/v1/accounts/" + id, "{\"status\":\"disabled\"}");

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        var refused = admin.patch("/admin/v1/accounts/" + id, "{\"status\":\"deleted\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("field").asText()).isEqualTo("status");

        var enabled = admin.patch("/admin/v1/accounts/" + id, "{\"status\":\"active\"}");

        assertThat(enabled.json().get("status").asText()).isEqualTo("active");
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);

        var deleted = admin.delete("/admin/v1/accounts/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        assertThat(admin.get("/admin/v1/accounts/" + id).status()).isEqualTo(404);
        assertThat(admin.delete("/admin/v1/accounts/" + id).status()).isEqualTo(404);
        assertThat(herald.store().accounts().findInAnyStatus(new AccountId(id))).isEmpty();
    }

    @Test
    void theCliDisablesEnablesAndDeletesAnAccountARunningServerServes() {
        String id = cli("account", "create", "--name", "acme cli").find(ACCOUNT_ID);
        ApiClient api = withKey(cli("key", "create", "--account", id).find(KEY));
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);

        assertThat(cli("account", "disable", id).out()).contains("Disabled account " + id);
        // Another process changed the store: the server notices within its key cache time.
        Await.until("the key refused", () -> api.get("/v1/webhooks").status() == 401);
        assertThat(cli("account", "list").out()).contains("acme cli").contains("disabled");

        assertThat(cli("account", "enable", id).out()).contains("Enabled account " + id);
        Await.until("the key accepted again", () -> api.get("/v1/webhooks").status() == 200);

        assertThat(cli("account", "delete", id).out()).contains("Deleted account " + id + " and purged its data");
        Await.until("the key refused", () -> api.get("/v1/webhooks").status() == 401);
        assertThat(cli("account", "list").out()).doesNotContain("acme cli");
        var again = cli("account", "delete", id);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("not found");
    }

    /** A client presenting {@code key} as {@code Authorization: Bearer}. */
    private static ApiClient withKey(String key) {
        return herald.anonymousClient().withHeader("Authorization", "Bearer " + key);
    }

    private record Cli(int exitCode, String out, String err) {
        String find(Pattern pattern) {
            Matcher m = pattern.matcher(out);
            assertThat(m.find()).as("output %s matches %s", out, pattern).isTrue();
            return m.group(1);
        }
    }

    /** {@code herald …} in this JVM, on the running Herald's configuration (so its store), as an operator runs it. */
    private static Cli cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = herald.configFile().toString();
        int code = Main.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
