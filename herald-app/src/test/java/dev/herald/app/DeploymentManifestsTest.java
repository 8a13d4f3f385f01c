package dev.herald.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.herald.app.config.ConfigLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests as kustomize renders them (the base and the overlays {@code single} and {@code cluster}),
 * checked for what Herald relies on: probes on the right paths, the restricted Pod Security Standard, resources,
 * only known {@code HERALD_} variables, and each overlay's shape. Needs {@code kubectl} or {@code kustomize} on the
 * PATH (there is no cluster here, so no server-side dry run); skipped with a reason without one.
 */
class DeploymentManifestsTest {
    private static final Path K8S = Path.of("..", "deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Rendered documents by kind (one of each kind here). */
    private record Rendered(Map<String, JsonNode> byKind) {
        JsonNode get(String kind) {
            assertThat(byKind).as("rendered kinds").containsKey(kind);
            return byKind.get(kind);
        }

        JsonNode pod() {
            return get("Deployment").path("spec").path("template").path("spec");
        }

        JsonNode container() {
            return pod().path("containers").get(0);
        }

        /** The value of a HERALD_ variable as the container sees it: env (literal) over the ConfigMap. */
        Optional<JsonNode> env(String name) {
            for (JsonNode e : container().path("env")) {
                if (e.path("name").asText().equals(name)) {
                    return Optional.of(e);
                }
            }
            JsonNode fromMap = byKind.containsKey("ConfigMap") ? get("ConfigMap").path("data").path(name) : null;
            return fromMap == null || fromMap.isMissingNode() ? Optional.empty() : Optional.of(fromMap);
        }
    }

    private static Optional<List<String>> renderer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kustomize"))) {
                return Optional.of(List.of(Path.of(dir, "kustomize").toString(), "build"));
            }
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Optional.of(List.of(Path.of(dir, "kubectl").toString(), "kustomize"));
            }
        }
        return Optional.empty();
    }

    private static Rendered render(String directory) throws IOException, InterruptedException {
        var command = renderer();
        Assumptions.assumeTrue(command.isPresent(), "neither kustomize nor kubectl is on the PATH: manifests not rendered");
        var args = new ArrayList<>(command.get());
        args.add(K8S.resolve(directory).toString());
        Process process = new ProcessBuilder(args).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(process.exitValue()).as("rendering %s: %s", directory, err).isZero();
        var byKind = new HashMap<String, JsonNode>();
        try (var parser = YAML.getFactory().createParser(out)) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc.path("kind")).isNotEmpty();
                assertThat(byKind.put(doc.path("kind").asText(), doc)).as("one %s", doc.path("kind")).isNull();
            }
        }
        return new Rendered(byKind);
    }

    /** What every rendering must hold. */
    private static void checkCommon(Rendered r) {
        JsonNode pod = r.pod();
        JsonNode c = r.container();
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/ready");
        // restricted Pod Security Standard
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(c.path("securityContext").path("capabilities").path("drop").toString()).contains("ALL");
        for (String kind : List.of("requests", "limits")) {
            assertThat(c.path("resources").path(kind).path("memory").asText()).as("memory " + kind).isNotEmpty();
            assertThat(c.path("resources").path(kind).path("cpu").asText()).as("cpu " + kind).isNotEmpty();
        }
        // every HERALD_ variable is one Herald reads (an unknown one would stop it at start)
        var names = new ArrayList<String>();
        r.get("ConfigMap").path("data").fieldNames().forEachRemaining(names::add);
        c.path("env").forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).allMatch(ConfigLoader::isKnownVariable, "a HERALD_ variable Herald reads");
        // Herald stops within its grace, plus the preStop pause, before the kubelet kills it
        String grace = r.env("HERALD_SHUTDOWN_GRACE").orElseThrow().asText();
        long seconds = Long.parseLong(grace.replaceAll("s$", ""));
        assertThat(pod.path("terminationGracePeriodSeconds").asLong())
                .isGreaterThan(seconds + c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong());
        assertThat(r.env("HERALD_ADMIN_TOKEN").orElseThrow().path("valueFrom").path("secretKeyRef").path("name").asText())
                .as("the admin token comes from a Secret").isEqualTo("herald-secrets");
        JsonNode podLabels = r.get("Deployment").path("spec").path("template").path("metadata").path("labels");
        assertThat(selects(r.get("Service").path("spec").path("selector"), podLabels)).isTrue();
        assertThat(selects(r.get("Deployment").path("spec").path("selector").path("matchLabels"), podLabels)).isTrue();
        var mounts = new ArrayList<String>();
        c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).as("writable /tmp under a read-only root").contains("/tmp");
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        var matches = new boolean[]{selector.size() > 0};
        selector.fields().forEachRemaining(e -> matches[0] &= e.getValue().equals(labels.path(e.getKey())));
        return matches[0];
    }

    private static JsonNode volume(Rendered r, String name) {
        for (JsonNode v : r.pod().path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    @Test
    void theBaseRendersOneHeraldOnAnEphemeralSqliteStore() throws Exception {
        Rendered base = render("base");
        checkCommon(base);
        assertThat(base.get("Deployment").path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(volume(base, "data").has("emptyDir")).isTrue();
    }

    @Test
    void theSingleOverlayKeepsSqliteOnAClaimWithOneReplicaReplacedByRecreate() throws Exception {
        Rendered single = render("overlays/single");
        checkCommon(single);
        JsonNode spec = single.get("Deployment").path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("strategy").path("type").asText()).isEqualTo("Recreate");
        JsonNode data = volume(single, "data");
        assertThat(data.has("emptyDir")).as("the claim replaces the emptyDir").isFalse();
        assertThat(data.path("persistentVolumeClaim").path("claimName").asText())
                .isEqualTo(single.get("PersistentVolumeClaim").path("metadata").path("name").asText());
        String store = single.env("HERALD_STORE").orElseThrow().path("value").asText();
        assertThat(store).startsWith("sqlite:/");
        var dataMount = new ArrayList<String>();
        single.container().path("volumeMounts").forEach(m -> {
            if (m.path("name").asText().equals("data")) {
                dataMount.add(m.path("mountPath").asText());
            }
        });
        assertThat(dataMount).containsExactly(store.substring("sqlite:".length()));
        assertThat(single.byKind()).doesNotContainKeys("PodDisruptionBudget", "ServiceMonitor");
    }

    @Test
    void theClusterOverlayRunsReplicasOnPostgresFromASecretWithADisruptionBudgetAndAServiceMonitor() throws Exception {
        Rendered cluster = render("overlays/cluster");
        checkCommon(cluster);
        JsonNode spec = cluster.get("Deployment").path("spec");
        assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isZero();
        JsonNode store = cluster.env("HERALD_STORE").orElseThrow();
        assertThat(store.has("value")).as("the JDBC URL is never a literal").isFalse();
        JsonNode ref = store.path("valueFrom").path("secretKeyRef");
        JsonNode secret = YAML.readTree(K8S.resolve("overlays/cluster/secret.example.yaml").toFile());
        assertThat(ref.path("name").asText()).isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secret.path("stringData").has(ref.path("key").asText())).isTrue();
        assertThat(secret.path("stringData").path("store").asText()).startsWith("jdbc:postgresql://");
        assertThat(secret.path("stringData").has("admin-token")).isTrue();

        JsonNode podLabels = spec.path("template").path("metadata").path("labels");
        JsonNode pdb = cluster.get("PodDisruptionBudget").path("spec");
        assertThat(selects(pdb.path("selector").path("matchLabels"), podLabels)).isTrue();
        assertThat(pdb.path("minAvailable").asInt()).isBetween(1, spec.path("replicas").asInt() - 1);

        JsonNode monitor = cluster.get("ServiceMonitor").path("spec");
        JsonNode service = cluster.get("Service");
        assertThat(selects(monitor.path("selector").path("matchLabels"), service.path("metadata").path("labels"))).isTrue();
        assertThat(monitor.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        assertThat(service.path("spec").path("ports").findValuesAsText("name"))
                .contains(monitor.path("endpoints").get(0).path("port").asText());
        assertThat(((ObjectNode) cluster.get("ConfigMap").path("data")).has("HERALD_STORE")).isFalse();
    }
}
