package dev.herald.acceptance.svix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.api.ApplicationListOptions;
import com.svix.api.EndpointListOptions;
import com.svix.api.MessageListOptions;
import com.svix.exceptions.ApiException;
import com.svix.models.AppPortalAccessIn;
import com.svix.models.ApplicationIn;
import com.svix.models.ApplicationPatch;
import com.svix.models.EndpointHeadersPatchIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointOut;
import com.svix.models.EndpointPatch;
import com.svix.models.EndpointSecretRotateIn;
import com.svix.models.EndpointUpdate;
import com.svix.models.EventTypeIn;
import com.svix.models.EventTypePatch;
import com.svix.models.MessageAttemptTriggerType;
import com.svix.models.MessageIn;
import com.svix.models.MessageStatus;
import com.svix.models.OperationalWebhookEndpointIn;
import com.svix.models.OperationalWebhookEndpointUpdate;
import com.svix.models.Ordering;
import com.svix.models.RecoverIn;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official Svix Java SDK pointed at Herald: applications, endpoints, messages, attempts, event types, secrets,
 * headers, stats, resend and recover through the SDK's own calls, each delivery checked at a local receiver with
 * the SDK's {@code Webhook.verify} and the Standard Webhooks verifier.
 */
@ClassTemplate
class SvixSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private WebhookReceiver receiver;
    private String platformKey;
    private Svix svix;

    @BeforeEach
    void platformAndReceiver() {
        var key = herald.admin().post("/admin/v1/platform-keys", "{\"name\":\"svix sdk\"}");
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        platformKey = key.json().path("key").asText();
        svix = client(platformKey);
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private static Svix client(String key) {
        var options = new SvixOptions();
        options.setServerUrl(herald.baseUri().toString());
        return new Svix(key, options);
    }

    @Test
    void applicationsAreCreatedFoundByIdOrUidUpdatedAndDeleted() throws Exception {
        String uid = uid("customer");
        var created = svix.getApplication().create(new ApplicationIn().name("Acme").uid(uid)
                .metadata(Map.of("plan", "pro")));
        assertThat(created.getId()).startsWith("app_");
        assertThat(created.getUid()).isEqualTo(uid);
        assertThat(created.getMetadata()).containsEntry("plan", "pro");

        var again = svix.getApplication().getOrCreate(new ApplicationIn().name("Acme again").uid(uid));
        assertThat(again.getId()).as("get_if_exists answers the existing application").isEqualTo(created.getId());
        assertThat(again.getName()).isEqualTo("Acme");
        assertThat(svix.getApplication().get(uid).getId()).isEqualTo(created.getId());
        assertThat(svix.getApplication().get(created.getId()).getUid()).isEqualTo(uid);

        assertApiError(() -> svix.getApplication().create(new ApplicationIn().name("Twin").uid(uid)), 409, "conflict");

        var patched = svix.getApplication().patch(uid, new ApplicationPatch().name("Acme Inc"));
        assertThat(patched.getName()).isEqualTo("Acme Inc");
        assertThat(patched.getMetadata()).as("a patch keeps what it does not name").containsEntry("plan", "pro");
        var replaced = svix.getApplication().update(created.getId(), new ApplicationIn().name("Acme Ltd").uid(uid));
        assertThat(replaced.getName()).isEqualTo("Acme Ltd");
        assertThat(replaced.getMetadata()).as("a PUT replaces the metadata").isEmpty();

        var listed = svix.getApplication().list();
        assertThat(listed.getData()).extracting(a -> a.getId()).contains(created.getId());

        svix.getApplication().delete(uid);
        assertApiError(() -> svix.getApplication().get(created.getId()), 404, "not_found");
    }

    @Test
    void aMessageIsDeliveredAsSentAndVerifiesWithTheSvixAndStandardWebhooksVerifiers() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Deliveries").uid(uid("deliveries")));
        String type = "user.signup";
        svix.getEventType().create(new EventTypeIn().name(type).description("A user signed up"));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/svix")))
                .filterTypes(Set.of(type)).uid(uid("ep")).metadata(Map.of("team", "growth")));
        assertThat(endpoint.getId()).startsWith("ep_");
        assertThat(endpoint.getFilterTypes()).containsExactly(type);
        String secret = svix.getEndpoint().getSecret(app.getId(), endpoint.getId()).getKey();
        assertThat(secret).startsWith("whsec_");

        String payload = "{\"email\":\"ada@example.com\",\"n\":1.50,\"tags\":[\"a\",\"b\"]}";
        var message = svix.getMessage().create(app.getId(), new MessageIn().eventType(type)
                .payload(payload).eventId("signup-1"));
        assertThat(message.getId()).startsWith("msg_");
        assertThat(message.getEventId()).isEqualTo("signup-1");

        var delivered = Await.value("the message at the receiver", () -> receiver.requests("/svix").stream()
                .findFirst());
        assertThat(delivered.bodyText()).as("the payload exactly as sent, no envelope").isEqualTo(payload);
        assertThat(delivered.header("svix-id")).isEqualTo(message.getId());
        assertThat(delivered.header("webhook-id")).isEqualTo(message.getId());
        assertThat(delivered.header("webhook-signature")).isEqualTo(delivered.header("svix-signature"));
        verifyWithBoth(secret, delivered);

        assertApiError(() -> svix.getMessage().create(app.getId(), new MessageIn().eventType(type).payload("{}")
                .eventId("signup-1")), 409, "conflict");

        assertThat(svix.getMessage().get(app.getId(), message.getId()).getEventType()).isEqualTo(type);
        assertThat(svix.getMessage().get(app.getId(), "signup-1").getId()).as("found by its eventId too")
                .isEqualTo(message.getId());
        var listed = svix.getMessage().list(app.getId());
        assertThat(listed.getData()).extracting(m -> m.getId()).containsExactly(message.getId());
        JsonNode listedPayload = JSON.valueToTree(listed.getData().getFirst().getPayload());
        assertThat(listedPayload).isEqualTo(JSON.readTree(payload));

        Await.until("the attempt recorded", () -> attemptsOf(app.getId(), message.getId()) == 1);
        var attempt = svix.getMessageAttempt().listByMsg(app.getId(), message.getId()).getData().getFirst();
        assertThat(attempt.getId()).startsWith("atmpt_");
        assertThat(attempt.getStatus()).isEqualTo(MessageStatus.SUCCESS);
        assertThat(attempt.getEndpointId()).isEqualTo(endpoint.getId());
        assertThat(attempt.getMsgId()).isEqualTo(message.getId());
        assertThat(attempt.getResponseStatusCode()).isEqualTo((short) 200);
        var byEndpoint = svix.getMessageAttempt().listByEndpoint(app.getId(), endpoint.getUid());
        assertThat(byEndpoint.getData()).extracting(a -> a.getId()).containsExactly(attempt.getId());

        var stats = svix.getEndpoint().getStats(app.getId(), endpoint.getId());
        assertThat(stats.getSuccess()).isEqualTo(1);
        assertThat(stats.getFail()).isZero();
    }

    @Test
    void messagesAndAttemptsAreListedOldestFirstPageByPage() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Oldest first"));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/asc"))));
        var messages = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            messages.add(svix.getMessage().create(app.getId(), new MessageIn().eventType("job.done")
                    .payload("{\"n\":" + i + "}")).getId());
        }
        Await.until("every message attempted", () -> receiver.requests("/asc").size() == 3
                && messages.stream().allMatch(m -> attemptsOf(app.getId(), m) == 1));

        // Java SDK 1.99.1 offers order only on the endpoint list; the message and attempt lists take it as Svix's
        // API does, as a query parameter.
        String base = "/api/v1/app/" + app.getId();
        String next = ids(base + "/msg?order=ascending&limit=2", messages.subList(0, 2), false);
        ids(base + "/msg?order=ascending&limit=2&iterator=" + next, messages.subList(2, 3), true);
        ids(base + "/msg?limit=3", messages.reversed(), true); // newest first by default

        var byEndpoint = svix.getMessageAttempt().listByEndpoint(app.getId(), endpoint.getId()).getData();
        var attempts = byEndpoint.stream().map(a -> a.getId()).toList().reversed();
        assertThat(byEndpoint).extracting(a -> a.getMsgId()).containsExactlyElementsOf(messages.reversed());
        String attemptsOfEndpoint = base + "/attempt/endpoint/" + endpoint.getId() + "?order=ascending&limit=2";
        String iterator = ids(attemptsOfEndpoint, attempts.subList(0, 2), false);
        ids(attemptsOfEndpoint + "&iterator=" + iterator, attempts.subList(2, 3), true);

        var resend = raw("POST", base + "/msg/" + messages.getFirst() + "/endpoint/" + endpoint.getId() + "/resend");
        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(202);
        Await.until("the resend attempted", () -> attemptsOf(app.getId(), messages.getFirst()) == 2);
        var ofMessage = raw("GET", base + "/attempt/msg/" + messages.getFirst() + "?order=ascending&limit=1");
        assertThat(ofMessage.statusCode()).as(ofMessage.body()).isEqualTo(200);
        var firstPage = JSON.readTree(ofMessage.body());
        assertThat(firstPage.at("/data/0/triggerType").asInt()).as("the scheduled attempt first").isZero();
        assertThat(firstPage.path("done").asBoolean()).isFalse();
        var secondPage = JSON.readTree(raw("GET", base + "/attempt/msg/" + messages.getFirst()
                + "?order=ascending&limit=1&iterator=" + firstPage.path("iterator").asText()).body());
        assertThat(secondPage.at("/data/0/triggerType").asInt()).as("then the resend's").isEqualTo(1);
        assertThat(secondPage.path("done").asBoolean()).isTrue();

        assertThat(raw("GET", base + "/msg?order=sideways").statusCode()).isEqualTo(422);
    }

    /** Asserts the page's ids and whether it is the last; returns its iterator (null when done). */
    private String ids(String path, List<String> expected, boolean done) throws Exception {
        var response = raw("GET", path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode page = JSON.readTree(response.body());
        var ids = new ArrayList<String>();
        page.path("data").forEach(item -> ids.add(item.path("id").asText()));
        assertThat(ids).as(path).containsExactlyElementsOf(expected);
        assertThat(page.path("done").asBoolean()).as(path).isEqualTo(done);
        return done ? null : page.path("iterator").asText();
    }

    @Test
    void aMessageCreatesItsApplicationInlineAndChannelsPickTheEndpoints() throws Exception {
        String appUid = uid("inline");
        var message = svix.getMessage().create(appUid, new MessageIn().eventType("order.paid").payload("{\"a\":1}")
                .application(new ApplicationIn().name("Inline").uid(appUid)));
        assertThat(message.getId()).startsWith("msg_");
        assertThat(svix.getApplication().get(appUid).getName()).isEqualTo("Inline");

        svix.getEndpoint().create(appUid, new EndpointIn().url(URI.create(receiver.url("/eu"))).channels(Set.of("eu")));
        svix.getEndpoint().create(appUid, new EndpointIn().url(URI.create(receiver.url("/all"))));
        svix.getMessage().create(appUid, new MessageIn().eventType("order.paid").payload("{\"b\":2}")
                .channels(Set.of("us")));
        svix.getMessage().create(appUid, new MessageIn().eventType("order.paid").payload("{\"c\":3}")
                .channels(Set.of("eu")));

        Await.until("both messages at the endpoint without channels", () -> receiver.requests("/all").size() == 2);
        Await.until("the eu message at the eu endpoint", () -> receiver.requests("/eu").size() == 1);
        assertThat(receiver.requests("/eu").getFirst().bodyText()).isEqualTo("{\"c\":3}");
        var onlyEu = new MessageListOptions();
        onlyEu.setChannel("eu");
        var onEu = svix.getMessage().list(appUid, onlyEu);
        assertThat(onEu.getData()).hasSize(1);
    }

    @Test
    void endpointsAreListedPageByPageUpdatedAndTheirSecretAndHeadersChanged() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Endpoints"));
        var created = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            created.add(svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/e" + i))))
                    .getId());
        }
        var oldestFirst = new EndpointListOptions();
        oldestFirst.setLimit(2L);
        oldestFirst.setOrder(Ordering.ASCENDING);
        var oldest = svix.getEndpoint().list(app.getId(), oldestFirst);
        assertThat(oldest.getData()).extracting(EndpointOut::getId).containsExactly(created.get(0), created.get(1));
        assertThat(oldest.getDone()).isFalse();
        oldestFirst.setIterator(oldest.getIterator());
        var newest = svix.getEndpoint().list(app.getId(), oldestFirst);
        assertThat(newest.getData()).extracting(EndpointOut::getId).containsExactly(created.get(2));
        assertThat(newest.getDone()).isTrue();
        var defaultOrder = new EndpointListOptions();
        assertThat(svix.getEndpoint().list(app.getId(), defaultOrder).getData()).extracting(EndpointOut::getId)
                .as("newest first by default").containsExactly(created.get(2), created.get(1), created.get(0));

        var firstPage = new EndpointListOptions();
        firstPage.setLimit(2L);
        var first = svix.getEndpoint().list(app.getId(), firstPage);
        assertThat(first.getData()).hasSize(2);
        assertThat(first.getDone()).isFalse();
        var secondPage = new EndpointListOptions();
        secondPage.setLimit(2L);
        secondPage.setIterator(first.getIterator());
        var second = svix.getEndpoint().list(app.getId(), secondPage);
        assertThat(second.getData()).hasSize(1);
        assertThat(second.getDone()).isTrue();

        EndpointOut endpoint = second.getData().getFirst();
        var updated = svix.getEndpoint().update(app.getId(), endpoint.getId(), new EndpointUpdate()
                .url(URI.create(receiver.url("/moved"))).description("moved").rateLimit(20L).version(2L));
        assertThat(updated.getUrl().toString()).isEqualTo(receiver.url("/moved"));
        assertThat(updated.getRateLimit()).isEqualTo(20L);
        assertThat(updated.getVersion()).isEqualTo(2);
        var disabled = svix.getEndpoint().patch(app.getId(), endpoint.getId(), new EndpointPatch().disabled(true));
        assertThat(disabled.getDisabled()).isTrue();
        assertThat(disabled.getDescription()).as("a patch keeps what it does not name").isEqualTo("moved");
        svix.getEndpoint().patch(app.getId(), endpoint.getId(), new EndpointPatch().disabled(false));

        svix.getEndpoint().patchHeaders(app.getId(), endpoint.getId(), new EndpointHeadersPatchIn()
                .headers(Map.of("X-Team", "growth")));
        assertThat(svix.getEndpoint().getHeaders(app.getId(), endpoint.getId()).getHeaders())
                .containsEntry("X-Team", "growth");

        String before = svix.getEndpoint().getSecret(app.getId(), endpoint.getId()).getKey();
        svix.getEndpoint().rotateSecret(app.getId(), endpoint.getId(), new EndpointSecretRotateIn());
        String after = svix.getEndpoint().getSecret(app.getId(), endpoint.getId()).getKey();
        assertThat(after).startsWith("whsec_").isNotEqualTo(before);

        svix.getMessage().create(app.getId(), new MessageIn().eventType("user.updated").payload("{\"v\":2}"));
        var delivered = Await.value("the message at the moved endpoint",
                () -> receiver.requests("/moved").stream().findFirst());
        verifyWithBoth(after, delivered);
        verifyWithBoth(before, delivered);
        assertThat(delivered.header("X-Team")).isEqualTo("growth");

        svix.getEndpoint().delete(app.getId(), endpoint.getId());
        assertApiError(() -> svix.getEndpoint().get(app.getId(), endpoint.getId()), 404, "not_found");
    }

    @Test
    void failedMessagesAreRecoveredAndResent() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Recovery"));
        receiver.on("/flaky", WebhookReceiver.status(500));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/flaky"))));
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        var message = svix.getMessage().create(app.getId(), new MessageIn().eventType("job.done").payload("{}"));
        Await.until("every scheduled attempt failed",
                () -> attemptsOf(app.getId(), message.getId()) == HeraldExtension.FAST_RETRY_ATTEMPTS);
        var failed = svix.getMessageAttempt().listByMsg(app.getId(), message.getId()).getData();
        assertThat(failed).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(MessageStatus.FAIL));
        Await.until("the delivery counted as failed",
                () -> uncheck(() -> svix.getEndpoint().getStats(app.getId(), endpoint.getId()).getFail()) == 1);

        receiver.on("/flaky", WebhookReceiver.status(200));
        assertThat(svix.getEndpoint().get(app.getId(), endpoint.getId()).getDisabled())
                .as("an exhausted schedule without a success since disables the endpoint").isTrue();
        svix.getEndpoint().patch(app.getId(), endpoint.getId(), new EndpointPatch().disabled(false));
        assertApiError(() -> svix.getEndpoint().recover(app.getId(), endpoint.getId(),
                new RecoverIn().since(since).until(since.minusMinutes(1))), 422, null);
        var recovery = svix.getEndpoint().recover(app.getId(), endpoint.getId(),
                new RecoverIn().since(since).until(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1)));
        assertThat(recovery.getId()).startsWith("qtask_");
        Await.until("the recovered message delivered", () -> uncheck(() -> svix.getEndpoint()
                .getStats(app.getId(), endpoint.getId()).getSuccess()) == 1);
        int received = receiver.requests("/flaky").size();

        // The SDK's own resend call (1.99.1) builds a POST without a body, which its HTTP client refuses before
        // sending; the request it means is this one.
        var resend = raw("POST", "/api/v1/app/" + app.getId() + "/msg/" + message.getId() + "/endpoint/"
                + endpoint.getId() + "/resend");
        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(202);
        Await.until("the resent message at the receiver", () -> receiver.requests("/flaky").size() == received + 1);
        var resent = receiver.requests("/flaky").getLast();
        verifyWithBoth(svix.getEndpoint().getSecret(app.getId(), endpoint.getId()).getKey(), resent);
        assertThat(resent.header("svix-id")).as("a resend is the same message").isEqualTo(message.getId());

        Await.until("the resend's attempt recorded",
                () -> attemptsOf(app.getId(), message.getId()) == HeraldExtension.FAST_RETRY_ATTEMPTS + 2);
        var attempts = svix.getMessageAttempt().listByMsg(app.getId(), message.getId()).getData();
        assertThat(attempts.getFirst().getTriggerType()).as("the resend's attempt, newest first")
                .isEqualTo(MessageAttemptTriggerType.MANUAL);
        assertThat(attempts.subList(1, attempts.size())).as("the scheduled and recovered attempts")
                .allSatisfy(a -> assertThat(a.getTriggerType()).isEqualTo(MessageAttemptTriggerType.SCHEDULED));
    }

    @Test
    void appPortalAccessMintsASingleUsePortalLinkForTheApplication() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Portal").uid(uid("portal")));

        var access = svix.getAuthentication().appPortalAccess(app.getId(), new AppPortalAccessIn());
        assertThat(access.getToken()).startsWith("hpl_");
        assertThat(access.getUrl().toString()).startsWith(herald.baseUri() + "/portal/").contains(access.getToken());
        var http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var opened = http.send(HttpRequest.newBuilder(access.getUrl()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.headers().firstValue("Set-Cookie")).isPresent();
        var again = http.send(HttpRequest.newBuilder(access.getUrl()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as("a link works once").isEqualTo(401);
        assertThat(again.body()).contains("This link has expired");

        String inlineUid = uid("portal-inline");
        var inline = svix.getAuthentication().appPortalAccess(inlineUid,
                new AppPortalAccessIn().application(new ApplicationIn().name("Created for its portal").uid(inlineUid)));
        assertThat(inline.getToken()).startsWith("hpl_");
        assertThat(svix.getApplication().get(inlineUid).getName()).isEqualTo("Created for its portal");

        assertApiError(() -> svix.getAuthentication().appPortalAccess(app.getId(), new AppPortalAccessIn().readOnly(true)),
                422, null);
        assertApiError(() -> svix.getAuthentication().appPortalAccess("app_missing", new AppPortalAccessIn()),
                404, "not_found");
    }

    @Test
    void eventTypesAreThePlatformsCatalog() throws Exception {
        String name = "invoice.paid" + Long.toHexString(System.nanoTime());
        var created = svix.getEventType().create(new EventTypeIn().name(name).description("Paid")
                .schemas(Map.of("1", Map.of("type", "object"))));
        assertThat(created.getName()).isEqualTo(name);
        assertApiError(() -> svix.getEventType().create(new EventTypeIn().name(name).description("again")),
                409, "conflict");
        var patched = svix.getEventType().patch(name, new EventTypePatch().description("Invoice paid"));
        assertThat(patched.getDescription()).isEqualTo("Invoice paid");
        assertThat(svix.getEventType().list().getData()).extracting(t -> t.getName()).contains(name);

        svix.getEventType().delete(name);
        assertThat(svix.getEventType().get(name).getArchived()).isTrue();
        assertThat(svix.getEventType().list().getData()).extracting(t -> t.getName()).doesNotContain(name);
    }

    @Test
    void errorsHaveSvixShapes() throws Exception {
        assertApiError(() -> svix.getApplication().get("app_doesnotexist"), 404, "not_found");
        var tooMany = new ApplicationListOptions();
        tooMany.setLimit(251L);
        assertApiError(() -> svix.getApplication().list(tooMany), 422, null);
        var app = svix.getApplication().create(new ApplicationIn().name("Errors"));
        assertApiError(() -> svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create("ftp://x"))),
                422, null);

        var customer = herald.newAccount();
        assertApiError(() -> client(customer.key()).getApplication().list(), 401, "authentication_failed");
        new com.svix.api.Health(svix.getHttpClient()).get();

        HttpResponse<String> outOfScope = raw("GET", "/api/v1/stream");
        assertThat(outOfScope.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(outOfScope.body()).path("code").asText()).isEqualTo("not_found");
        HttpResponse<String> mall = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                herald.baseUri().resolve("/api/v1/webhooks")).header("Authorization", "Bearer " + customer.key())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mall.statusCode()).as("API Mall keeps its webhooks").isEqualTo(200);
        assertThat(JSON.readTree(mall.body()).path("success").asBoolean()).isTrue();
    }

    @Test
    void anIdempotencyKeyRepeatsTheFirstAnswer() throws Exception {
        String body = "{\"name\":\"Once\"}";
        var first = raw("POST", "/api/v1/app", body, "same-key");
        var second = raw("POST", "/api/v1/app", body, "same-key");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(second.body()).path("id").asText())
                .isEqualTo(JSON.readTree(first.body()).path("id").asText());
        assertThat(raw("POST", "/api/v1/app", "{\"name\":\"Other\"}", "same-key").statusCode()).isEqualTo(409);
    }

    @Test
    void anEndpointIsTheSameRowOnTheSvixAndCanonicalSurfaces() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Shared").uid(uid("shared")));
        var viaSvix = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/a"))));
        long account = herald.admin().get("/admin/v1/accounts").json().path("data").findParents("uid").stream()
                .filter(a -> app.getUid().equals(a.path("uid").asText()))
                .findFirst().orElseThrow().path("id").asLong();
        var key = herald.admin().post("/admin/v1/accounts/" + account + "/keys", "{\"name\":\"customer\"}");
        var customer = herald.anonymousClient().withHeader("Authorization", "Bearer " + key.json().path("key").asText());

        String canonicalId = "wh_" + viaSvix.getId().substring("ep_".length());
        var seen = customer.get("/v1/webhooks/" + canonicalId);
        assertThat(seen.status()).as(seen.toString()).isEqualTo(200);
        assertThat(seen.json().path("url").asText()).isEqualTo(receiver.url("/a"));

        var viaCanonical = customer.post("/v1/webhooks", """
                {"url": "%s", "events": ["*"]}""".formatted(receiver.url("/b")));
        assertThat(viaCanonical.status()).as(viaCanonical.toString()).isEqualTo(201);
        String epId = "ep_" + viaCanonical.json().path("id").asText().substring("wh_".length());
        assertThat(svix.getEndpoint().get(app.getId(), epId).getUrl().toString()).isEqualTo(receiver.url("/b"));
        assertThat(svix.getEndpoint().list(app.getId()).getData()).hasSize(2);

        // Herald's FIFO ordering is set on the Svix surface too (the SDK does not know the field, nor mind it)
        var fifo = raw("PATCH", "/api/v1/app/" + app.getId() + "/endpoint/" + viaSvix.getId(),
                "{\"ordering\": \"fifo\"}", null);
        assertThat(fifo.statusCode()).as(fifo.body()).isEqualTo(200);
        assertThat(JSON.readTree(fifo.body()).path("ordering").asText()).isEqualTo("fifo");
        assertThat(customer.get("/v1/webhooks/" + canonicalId).json().path("ordering").asText()).isEqualTo("fifo");
        assertThat(svix.getEndpoint().get(app.getId(), viaSvix.getId()).getUrl().toString())
                .isEqualTo(receiver.url("/a"));
        var refused = raw("PATCH", "/api/v1/app/" + app.getId() + "/endpoint/" + viaSvix.getId(),
                "{\"ordering\": \"sorted\"}", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    }

    @Test
    void operationalWebhooksHearOfEndpointsCreatedAndDeleted() throws Exception {
        var ops = svix.getOperationalWebhookEndpoint().create(new OperationalWebhookEndpointIn()
                .url(URI.create(receiver.url("/ops"))).filterTypes(Set.of("endpoint.created", "endpoint.deleted")));
        assertThat(ops.getId()).startsWith("ep_");
        assertThat(svix.getOperationalWebhookEndpoint().list().getData()).extracting(e -> e.getId())
                .contains(ops.getId());
        String secret = svix.getOperationalWebhookEndpoint().getSecret(ops.getId()).getKey();
        assertApiError(() -> svix.getOperationalWebhookEndpoint().create(new OperationalWebhookEndpointIn()
                .url(URI.create(receiver.url("/ops2"))).filterTypes(Set.of("nobody.sends.this"))), 422, null);

        var app = svix.getApplication().create(new ApplicationIn().name("Watched").uid(uid("watched")));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/w")))
                .uid(uid("watched-ep")));
        svix.getEndpoint().patch(app.getId(), endpoint.getId(), new EndpointPatch().description("changed"));
        svix.getEndpoint().delete(app.getId(), endpoint.getId());

        Await.until("endpoint.created and endpoint.deleted at the operational endpoint",
                () -> operationalEvents(endpoint.getId()).size() == 2);
        var events = operationalEvents(endpoint.getId());
        assertThat(events).extracting(r -> uncheck(() -> JSON.readTree(r.bodyText()).path("type").asText()))
                .containsExactlyInAnyOrder("endpoint.created", "endpoint.deleted");
        for (var delivered : events) {
            verifyWithBoth(secret, delivered);
            JsonNode data = JSON.readTree(delivered.bodyText()).path("data");
            assertThat(data.path("appId").asText()).isEqualTo(app.getId());
            assertThat(data.path("appUid").asText()).isEqualTo(app.getUid());
            assertThat(data.path("endpointUid").asText()).isEqualTo(endpoint.getUid());
        }
        assertThat(svix.getApplication().list().getData()).as("the operational account is no application")
                .noneMatch(a -> "herald.operational-webhooks".equals(a.getUid()));
        assertApiError(() -> svix.getApplication().get("herald.operational-webhooks"), 404, "not_found");

        var updated = svix.getOperationalWebhookEndpoint().update(ops.getId(), new OperationalWebhookEndpointUpdate()
                .url(URI.create(receiver.url("/ops"))).description("platform alerts")
                .filterTypes(Set.of("endpoint.created", "endpoint.deleted")));
        assertThat(updated.getDescription()).isEqualTo("platform alerts");
        svix.getOperationalWebhookEndpoint().delete(ops.getId());
        assertApiError(() -> svix.getOperationalWebhookEndpoint().get(ops.getId()), 404, "not_found");
    }

    private List<WebhookReceiver.Request> operationalEvents(String endpointId) {
        return receiver.requests("/ops").stream()
                .filter(r -> uncheck(() -> JSON.readTree(r.bodyText()).at("/data/endpointId").asText())
                        .equals(endpointId))
                .toList();
    }

    // ---- helpers

    private long attemptsOf(String app, String message) {
        return uncheck(() -> (long) svix.getMessageAttempt().listByMsg(app, message).getData().size());
    }

    private static void verifyWithBoth(String secret, WebhookReceiver.Request delivered) throws Exception {
        new com.svix.Webhook(secret).verify(delivered.bodyText(), delivered.headers());
        new com.standardwebhooks.Webhook(secret).verify(delivered.bodyText(),
                HttpHeaders.of(delivered.headers(), (name, value) -> true));
    }

    private HttpResponse<String> raw(String method, String path) throws Exception {
        return raw(method, path, null, null);
    }

    private HttpResponse<String> raw(String method, String path, String body, String idempotencyKey)
            throws Exception {
        var request = HttpRequest.newBuilder(herald.baseUri().resolve(path))
                .header("Authorization", "Bearer " + platformKey)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("idempotency-key", idempotencyKey);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private interface Call {
        Object run() throws Exception;
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Probe<T> probe) {
        try {
            return probe.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertApiError(Call call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
            JsonNode body = uncheck(() -> JSON.readTree(e.getResponseBody()));
            if (code != null) {
                assertThat(body.path("code").asText()).isEqualTo(code);
            } else {
                assertThat(body.path("detail").isArray()).as(e.getResponseBody()).isTrue();
                assertThat(body.path("detail").get(0).has("loc")).isTrue();
            }
        });
    }
}
