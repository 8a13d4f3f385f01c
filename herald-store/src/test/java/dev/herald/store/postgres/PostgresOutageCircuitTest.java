package dev.herald.store.postgres;

import dev.herald.store.Store;
import dev.herald.store.StoreUnavailableException;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL goes away behind a TCP proxy the test cuts (the machine's server keeps running): after one failed
 * connect the store refuses at once, without asking the pool, and reports itself unreachable at once, until a
 * background check finds the database back.
 */
class PostgresOutageCircuitTest {
    /** Far above a refusal that asks nobody, far below the pool's 5 s connection timeout. */
    private static final Duration FAST = Duration.ofSeconds(1);

    private CuttableProxy proxy;
    private Store store;
    private String schema;
    private String adminUrl;

    @BeforeEach
    void openThroughTheProxy() {
        adminUrl = TestStores.postgresUrl();
        TestStores.requirePostgres(adminUrl);
        URI server = URI.create(adminUrl.substring("jdbc:".length()));
        proxy = CuttableProxy.to(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
        schema = "herald_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String viaProxy = adminUrl.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port())
                + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        store = PostgresStore.open(viaProxy, 2);
    }

    @AfterEach
    void dropTheSchema() throws Exception {
        store.close();
        proxy.close();
        try (var c = DriverManager.getConnection(adminUrl); var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void afterOneFailedConnectTheStoreRefusesAtOnceUntilTheDatabaseIsBack() {
        assertThat(store.accounts().list()).isEmpty();
        assertThat(store.isReachable()).isTrue();

        proxy.cut();
        // the pooled connections fail on their broken sockets first; then a connect fails (after the pool's timeout)
        Instant opened = Instant.now().plusSeconds(30);
        while (!failsWith(store, "circuit is open")) {
            assertThat(Instant.now()).as("the circuit opened after a failed connect").isBefore(opened);
        }

        for (int i = 0; i < 20; i++) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.accounts().list())
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("circuit is open");
            assertThat(store.isReachable()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a refusal and a health check").isLessThan(FAST);
        }

        proxy.restore();
        Instant deadline = Instant.now().plusSeconds(30);
        while (!store.isReachable()) {
            assertThat(Instant.now()).as("the store reachable again after the proxy came back").isBefore(deadline);
            Thread.onSpinWait();
        }
        assertThat(store.accounts().list()).isEmpty();
    }

    private static boolean failsWith(Store store, String message) {
        try {
            store.accounts().list();
            return false;
        } catch (StoreUnavailableException e) {
            return e.getMessage().contains(message);
        }
    }
}
