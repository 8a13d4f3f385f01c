package dev.herald.service.svix;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.event.EventId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SvixIdsTest {
    @ParameterizedTest
    @ValueSource(strings = {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "5f0c6e2a-9b1d-4c3e-8a7f-0123456789ab"})
    void anApplicationIdCarriesItsAccountsUuidThereAndBack(String text) {
        UUID uuid = UUID.fromString(text);
        String id = SvixIds.application(new Account(new AccountId(1), uuid, "acme", Instant.EPOCH));

        assertThat(id).startsWith("app_").hasSize("app_".length() + 22).matches("app_[0-9A-Za-z]+");
        assertThat(SvixIds.applicationUuid(id)).contains(uuid);
    }

    @Test
    void whatIsNoApplicationIdNamesNoAccount() {
        assertThat(SvixIds.applicationUuid("cust_42")).isEmpty();
        assertThat(SvixIds.applicationUuid("app_short")).isEmpty();
        assertThat(SvixIds.applicationUuid("app_!!!!!!!!!!!!!!!!!!!!!!")).isEmpty();
        assertThat(SvixIds.applicationUuid("app_zzzzzzzzzzzzzzzzzzzzzz")).as("above 2^128").isEmpty();
    }

    @Test
    void endpointAndMessageIdsShareTheSuffixOfHeraldsIds() {
        WebhookId webhook = WebhookId.generate();
        String suffix = webhook.value().substring("wh_".length());
        assertThat(SvixIds.webhookId("ep_" + suffix)).contains(webhook);
        assertThat(SvixIds.webhookId(webhook.value())).contains(webhook);
        assertThat(SvixIds.webhookId("ep_")).isEmpty();
        assertThat(SvixIds.webhookId("my-endpoint")).isEmpty();

        EventId event = EventId.generate();
        assertThat(event.svixMessageId()).isEqualTo("msg_" + event.value().substring("evt_".length()));
        assertThat(EventId.fromSvixMessageId(event.svixMessageId())).contains(event);
        assertThat(EventId.fromSvixMessageId("signup-1")).isEmpty();
    }

    @Test
    void attemptAndTaskIdsHaveSvixPrefixes() {
        assertThat(SvixIds.attempt(0)).isEqualTo("atmpt_0");
        assertThat(SvixIds.attempt(62)).isEqualTo("atmpt_10");
        assertThat(SvixIds.task()).startsWith("qtask_").hasSize("qtask_".length() + 27);
    }
}
