package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts and keys through Herald's admin API, as an operator creates them. */
final class Admin {
    private Admin() {
    }

    static Tenant newTenant(Http admin, String name) {
        var account = admin.post("/admin/v1/accounts", "{\"name\":\"" + name + "\"}");
        assertThat(account.status()).as(account.toString()).isEqualTo(201);
        long id = account.json().path("id").asLong();
        var key = admin.post("/admin/v1/accounts/" + id + "/keys", "{\"name\":\"suite\"}");
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return new Tenant(id, key.json().path("id").asLong(), Findings.secret(key.json().path("key").asText()));
    }
}
