package dev.herald.reliability;

import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FIFO endpoint (issue 24) whose receiver fails a fifth of its requests at random keeps its order across a
 * SIGKILL: on SQLite Herald is killed mid-stream and restarted on the same data; on PostgreSQL two nodes share the
 * store and the one holding the endpoint's lane may be the one killed, and the other takes the lane once its lease
 * expires. Either way every accepted event arrives, and each event's first successful receipt comes in strictly
 * increasing sequence.
 */
@Order(2)
class FifoCrashTest {
    private static final int EVENTS = Scale.of(500, 2_000);
    private static final String PATH = "/fifo";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void aFifoEndpointKeepsItsOrderAcrossASigkill(String storeKind) throws Exception {
        String schema = Pg.newSchema();
        boolean postgres = storeKind.equals("postgres");
        String store = postgres ? Pg.schemaUrl(schema) : "sqlite:" + dir.resolve("data").toString().replace('\\', '/');
        var settings = HeraldSettings.local(store).with("delivery.lease", "3s");
        List<Long> firsts = Collections.synchronizedList(new ArrayList<>());
        Set<String> received = ConcurrentHashMap.newKeySet();
        var random = new Random(24);
        try (var receiver = WebhookReceiver.start()) {
            receiver.on(PATH, (exchange, closing) -> {
                boolean fails;
                synchronized (random) {
                    fails = random.nextDouble() < 0.2;
                }
                if (fails) {
                    WebhookReceiver.status(500).answer(exchange, closing);
                    return;
                }
                if (received.add(exchange.getRequestHeaders().getFirst("webhook-id"))) {
                    firsts.add(Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-sequence")));
                }
                WebhookReceiver.status(200).answer(exchange, closing);
            });
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            var first = HeraldProcess.start(settings, dir, "fifo-" + storeKind + "-1");
            HeraldProcess other = postgres ? HeraldProcess.start(settings, dir, "fifo-" + storeKind + "-2") : null;
            try {
                var tenant = Admin.newTenant(first.admin(), "fifo");
                var created = first.as(tenant).post("/v1/webhooks", "{\"url\":\"" + receiver.url(PATH)
                        + "\",\"events\":[\"delivered\"],\"ordering\":\"fifo\",\"retry_schedule\":"
                        + "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                for (int n = 0; n < EVENTS; n++) {
                    var response = Api.publish(first.as(tenant), "delivered", n);
                    assertThat(response.status()).as(response.toString()).isEqualTo(202);
                    accepted.add(response.json().path("id").asText());
                }
                String jdbcUrl = postgres ? Pg.schemaUrl(schema) : "jdbc:sqlite:" + dir.resolve("data/herald.db");
                awaitOrExplain("a part delivered before the kill", Duration.ofSeconds(120),
                        () -> received.size() >= EVENTS / 5, received, jdbcUrl, first, other);
                first.kill();
                int receivedAtKill = received.size();
                if (!postgres) {
                    other = HeraldProcess.start(settings, dir, "fifo-" + storeKind + "-2");
                }
                awaitOrExplain("every accepted event received", Duration.ofSeconds(300),
                        () -> received.containsAll(accepted), received, jdbcUrl, first, other);
                Findings.record("FIFO crash (" + storeKind + ")", "SIGKILL of " + (postgres ? "one of two nodes"
                                : "the only node, restarted on the same data") + " while a FIFO endpoint drains",
                        EVENTS + " events, " + receivedAtKill + " received before the kill; all received after it, "
                                + "first receipts in strictly increasing sequence");
                assertThat(receivedAtKill).as("still queued at the kill").isLessThan(EVENTS);
                assertThat(firsts).hasSize(EVENTS);
                for (int i = 0; i < EVENTS; i++) {
                    assertThat(firsts.get(i)).as("first receipt number %d", i).isEqualTo(i + 1L);
                }
            } finally {
                first.close();
                if (other != null) {
                    other.close();
                }
                if (postgres) {
                    Pg.dropSchema(schema);
                }
            }
        }
    }

    /**
     * A timeout says how far delivery got, the endpoint's first pending deliveries and circuit as stored, and what the
     * Herald processes logged last.
     */
    private static void awaitOrExplain(String what, Duration timeout, BooleanSupplier condition, Set<String> received,
                                       String jdbcUrl, HeraldProcess... processes) {
        try {
            Await.until(what, timeout, condition);
        } catch (AssertionError e) {
            var explained = new StringBuilder(e.getMessage()).append("; received ").append(received.size())
                    .append(" of ").append(EVENTS).append("\n--- stored:\n").append(stored(jdbcUrl));
            for (HeraldProcess process : processes) {
                if (process != null) {
                    explained.append("\n--- last lines of Herald process ").append(process.pid()).append(":\n")
                            .append(process.tail(40));
                }
            }
            throw new AssertionError(explained.toString(), e);
        }
    }

    /** The endpoints' status and circuit, and the first pending deliveries in sequence order, one row a line. */
    private static String stored(String jdbcUrl) {
        var rows = new StringBuilder();
        try (var c = DriverManager.getConnection(jdbcUrl); var st = c.createStatement()) {
            for (String sql : List.of(
                    "SELECT id, status, circuit, circuit_probe, ordering FROM endpoints",
                    "SELECT state, COUNT(*) FROM deliveries GROUP BY state",
                    """
                    SELECT id, sequence, attempts, next_attempt_at, lease_owner, lease_until, updated_at
                    FROM deliveries WHERE state = 'pending' ORDER BY sequence LIMIT 5""")) {
                try (var rs = st.executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rows.append(i > 1 ? " | " : "").append(rs.getString(i));
                        }
                        rows.append('\n');
                    }
                }
            }
            rows.append("(now ").append(System.currentTimeMillis()).append(")\n");
        } catch (SQLException e) {
            rows.append("not read: ").append(e.getMessage()).append('\n');
        }
        return rows.toString();
    }
}
