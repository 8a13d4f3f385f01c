package dev.herald.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void worksWithNoFileAtAll() {
        HeraldConfig config = ConfigLoader.load(Optional.empty(), Map.of());
        assertThat(config.listenHost()).isEqualTo("127.0.0.1");
        assertThat(config.listenPort()).isEqualTo(8080);
        assertThat(config.store()).isEqualTo(new StoreLocation.Sqlite(Path.of("./data")));
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.retrySchedule().delays()).containsExactly(Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2));
        assertThat(config.allowedSchemes()).containsExactly("https");
        assertThat(config.allowlist()).isEmpty();
        assertThat(config.signatureHeaderPrefix()).isEqualTo("X-Herald");
        assertThat(config.eventTypes()).extracting(t -> t.name())
                .contains("job.completed", "message.sent", "delivered", "asset.processing.failed")
                .hasSize(15);
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, """
                listen.port=9000
                store=jdbc:postgresql://127.0.0.1:5432/herald?user=postgres
                store.pool-size=4
                outbound.allowed-schemes=https,http
                outbound.allowlist=127.0.0.0/8, ::1/128
                delivery.retry-schedule=0s,10ms,20ms
                event-types=order.created,order.paid
                event-types.order.paid.description=An order was paid
                signature.header-prefix=X-MailingAPI
                """);
        HeraldConfig config = ConfigLoader.load(Optional.of(file),
                Map.of("HERALD_LISTEN_PORT", "9100", "HERALD_ADMIN_TOKEN", "0123456789abcdef0123"));
        assertThat(config.listenPort()).isEqualTo(9100);
        assertThat(config.store()).isEqualTo(new StoreLocation.Postgres(
                "jdbc:postgresql://127.0.0.1:5432/herald?user=postgres", 4));
        assertThat(config.allowedSchemes()).containsExactlyInAnyOrder("https", "http");
        assertThat(config.allowlist()).hasSize(2);
        assertThat(config.retrySchedule().delays()).containsExactly(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(config.eventTypes()).extracting(t -> t.name() + "=" + t.description())
                .containsExactly("order.created=", "order.paid=An order was paid");
        assertThat(config.signatureHeaderPrefix()).isEqualTo("X-MailingAPI");
        assertThat(config.adminToken()).contains("0123456789abcdef0123");
        assertThat(config.toString()).doesNotContain("0123456789abcdef0123");
    }

    @Test
    void readsTheFileNamedByHeraldConfig() throws IOException {
        Path file = dir.resolve("other.properties");
        Files.writeString(file, "listen.port=7000\n");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("HERALD_CONFIG", file.toString())).listenPort())
                .isEqualTo(7000);
    }

    @Test
    void theDemoFileIsValidAndMatchesTheDefaults() {
        Path demo = Path.of("..", "config", "demo.properties");
        HeraldConfig fromFile = ConfigLoader.load(Optional.of(demo), Map.of());
        HeraldConfig defaults = ConfigLoader.load(Optional.empty(), Map.of());
        // the file's relative sqlite:./data is its own directory's data/
        assertThat(fromFile.store()).isEqualTo(new StoreLocation.Sqlite(demo.toAbsolutePath().getParent().resolve("data").normalize()));
        assertThat(fromFile).usingRecursiveComparison().ignoringFields("store").isEqualTo(defaults);
    }

    private record BadValue(String key, String value, String messagePart) {
    }

    static Stream<BadValue> badValues() {
        return Stream.of(
                new BadValue("listen.port", "eighty", "listen.port: must be an integer"),
                new BadValue("listen.port", "70000", "listen.port: must be between 0 and 65535"),
                new BadValue("store", "mysql://x", "store: expected sqlite:<dir>"),
                new BadValue("store", "sqlite:", "store: sqlite: needs a directory"),
                new BadValue("delivery.timeout", "5 seconds", "delivery.timeout: must be a duration"),
                new BadValue("delivery.timeout", "0s", "delivery.timeout: must be between"),
                new BadValue("delivery.retry-schedule", "0s,soon", "delivery.retry-schedule: must be a duration"),
                new BadValue("delivery.retry-jitter", "2", "delivery.retry-jitter: must be a number in [0, 1)"),
                new BadValue("outbound.allowed-schemes", "ftp", "outbound.allowed-schemes: only https and http"),
                new BadValue("outbound.allowlist", "localhost", "outbound.allowlist: 'localhost' is not a CIDR"),
                new BadValue("admin.token", "short", "admin.token: must be at least 16 characters"),
                new BadValue("event-types", "Bad Type", "event-types: 'Bad Type' is not a valid event type name"),
                new BadValue("log.format", "xml", "log.format: must be text or json"),
                new BadValue("portal.accent-color", "red;}body{", "portal.accent-color: must be a hex colour"),
                new BadValue("portal.frame-ancestors", "https://a.example.com; script-src *",
                        "portal.frame-ancestors: must be 'none', 'self' or origins"),
                new BadValue("portal.logo-url", "javascript:alert(1)", "portal.logo-url: must be an http://"),
                new BadValue("portal.link-ttl", "0s", "portal.link-ttl: must be positive"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void badValueFailsNamingTheKey(BadValue bad) {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(ConfigLoader.envName(bad.key()), bad.value())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(bad.messagePart());
    }

    @Test
    void unknownKeyInTheFileIsAnError() throws IOException {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "listen.prot=9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("listen.prot: unknown configuration key");
    }

    @Test
    void aMistypedHeraldVariableStopsTheStartNamingTheClosestKey() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("HERALD_ADMIN_TOKN", "0123456789abcdef0123")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HERALD_ADMIN_TOKN: unknown environment variable")
                .hasMessageContaining("did you mean HERALD_ADMIN_TOKEN (key admin.token)");
    }

    @Test
    void theLaunchersOwnVariablesAndOtherPrefixesAreNotConfigurationTypos() {
        var environment = Map.of("HERALD_CONFIG", "", "HERALD_JAVA_OPTS", "-Xmx1g", "HERALD_AOT", "off",
                "HERALD_CLI", "docker exec x java …", "HERALD_TEST_PG_URL", "jdbc:postgresql://x/y", "HERALDRY", "x", "PATH", "/bin");
        assertThat(ConfigLoader.load(Optional.empty(), environment).listenPort()).isEqualTo(8080);
    }

    @Test
    void anUnknownFileKeyNamesTheClosestKnownOne() throws IOException {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "delivery.retry-shedule=0s\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .hasMessageContaining("did you mean delivery.retry-schedule?");
    }

    @Test
    void aRelativeSqliteDirectoryResolvesAgainstTheFileThatSetItOrElseTheLaunchersDirectory() throws IOException {
        Path configDir = Files.createDirectories(dir.resolve("etc"));
        Path file = configDir.resolve("herald.properties");
        Files.writeString(file, "store=sqlite:./db\n");
        Path home = dir.resolve("herald-home");
        assertThat(ConfigLoader.load(Optional.of(file), Map.of(), Optional.of(home)).store())
                .isEqualTo(new StoreLocation.Sqlite(configDir.resolve("db")));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Optional.of(home)).store())
                .isEqualTo(new StoreLocation.Sqlite(home.resolve("data")));
        assertThat(ConfigLoader.load(Optional.of(file), Map.of("HERALD_STORE", "sqlite:rel"), Optional.of(home)).store())
                .isEqualTo(new StoreLocation.Sqlite(home.resolve("rel")));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("HERALD_STORE", "sqlite:/abs/db"), Optional.of(home)).store())
                .isEqualTo(new StoreLocation.Sqlite(Path.of("/abs/db")));
    }

    @Test
    void tracingIsOffUnlessAnExporterEndpointIsSet() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).tracing().enabled()).isFalse();
        var on = ConfigLoader.load(Optional.empty(), Map.of("HERALD_OTEL_EXPORTER_ENDPOINT", "http://127.0.0.1:4318"));
        assertThat(on.tracing().exporterEndpoint()).contains("http://127.0.0.1:4318");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("HERALD_OTEL_EXPORTER_ENDPOINT", "collector:4318")))
                .hasMessageStartingWith("otel.exporter.endpoint: must be an http://");
    }

    @Test
    void environmentNamesFollowTheKey() {
        assertThat(List.of("listen.port", "delivery.retry-schedule", "outbound.allowlist"))
                .extracting(ConfigLoader::envName)
                .containsExactly("HERALD_LISTEN_PORT", "HERALD_DELIVERY_RETRY_SCHEDULE", "HERALD_OUTBOUND_ALLOWLIST");
    }
}
