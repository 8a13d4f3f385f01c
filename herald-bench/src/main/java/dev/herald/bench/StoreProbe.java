package dev.herald.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.herald.bench.target.BenchSchema;
import dev.herald.bench.target.LocalPostgresCpu;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.AttemptRecord;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * The store alone, through Herald's own {@code Store}: what one delivery's life costs it (its event's share, the
 * delivery row, one successful attempt and the delivery's new state), in process CPU and bytes written, on one
 * thread so that little but the store runs. A way to compare schema and statement changes quickly and with little
 * noise; the full bench says what they are worth end to end.
 */
@Command(name = "store-probe", mixinStandardHelpOptions = true,
        description = "CPU and bytes written per delivery by the store alone (publish, then record a success).")
public final class StoreProbe implements Callable<Integer> {
    private static final String PAYLOAD_DATA = "x".repeat(900);

    @Option(names = "--store", description = "sqlite or postgres (default: ${DEFAULT-VALUE})")
    String store = "sqlite";
    @Option(names = "--pg-url", description = "PostgreSQL JDBC URL; a throw-away schema is made in it "
            + "(default: ${DEFAULT-VALUE})")
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    @Option(names = "--deliveries", description = "Deliveries of each measured round (default: ${DEFAULT-VALUE})")
    int deliveries = 100_000;
    @Option(names = "--warmup", description = "Deliveries before the first round (default: ${DEFAULT-VALUE})")
    int warmup = 50_000;
    @Option(names = "--rounds", description = "Measured rounds, each reported (default: ${DEFAULT-VALUE})")
    int rounds = 3;
    @Option(names = "--fan-out", description = "Deliveries per event (default: ${DEFAULT-VALUE})")
    int fanOut = 1;
    @Option(names = "--group", description = "Deliveries per transaction (default: ${DEFAULT-VALUE})")
    int group = 16;
    @Option(names = "--endpoints", description = "Endpoints the deliveries go to in turn (default: ${DEFAULT-VALUE})")
    int endpoints = 100;
    @Option(names = "--sql", description = "Statements run once the store is open (in its schema on PostgreSQL), "
            + "before the warm-up, to try a schema change, e.g. --sql 'DROP INDEX deliveries_endpoint'")
    List<String> sql = List.of();
    @Option(names = "--every-sql", description = "SQLite only: statements run in one transaction on a connection of "
            + "their own every --every deliveries, to try maintenance done in bulk")
    List<String> everySql = List.of();
    @Option(names = "--every", description = "Deliveries between two runs of --every-sql (default: ${DEFAULT-VALUE})")
    int every = 20_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!store.equals("sqlite") && !store.equals("postgres")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--store is sqlite or postgres");
        }
        if (!store.equals("sqlite") && !everySql.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--every-sql is for SQLite");
        }
        Path dir = Files.createTempDirectory("herald-store-probe");
        String schemaUrl = store.equals("postgres") ? BenchSchema.create(pgUrl) : "";
        String sqliteUrl = "jdbc:sqlite:" + dir.resolve("herald.db");
        try (Store s = store.equals("postgres") ? PostgresStore.open(schemaUrl, 4) : SqliteStore.open(dir)) {
            run(s, schemaUrl.isEmpty() ? sqliteUrl : schemaUrl);
        } finally {
            if (!schemaUrl.isEmpty()) {
                BenchSchema.drop(schemaUrl);
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private void run(Store s, String url) throws SQLException {
        Instant now = Instant.now();
        var account = s.accounts().create("probe", now);
        var token = ApiKeyToken.generate();
        var key = s.apiKeys().create(account.id(), "probe", token.hash(), token.hint(), now);
        var targets = new ArrayList<Endpoint>();
        for (int i = 0; i < endpoints; i++) {
            targets.add(s.endpoints().create(new NewEndpoint(account.id(), "https://example.com/" + i,
                    List.of(Endpoint.ALL_EVENTS), Optional.empty(), key.id(), Optional.empty(), OptionalInt.empty(),
                    Map.of(), SigningSecret.generate()), now));
        }
        if (!sql.isEmpty()) {
            try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
                for (String statement : sql) {
                    st.execute(statement);
                }
            }
        }
        try (Connection side = everySql.isEmpty() ? null : DriverManager.getConnection(url);
             var server = store.equals("postgres") ? new PostgresServer(url) : null) {
            var deliverer = new Deliverer(s, account.id(), key.id(), targets, side);
            deliverer.deliver(warmup);
            System.out.printf("store %s, fan-out %d, %d deliveries per transaction, %d endpoints%n", s.kind(),
                    fanOut, group, endpoints);
            var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            for (int r = 1; r <= rounds; r++) {
                long cpu = os.getProcessCpuTime();
                long thread = threads.getCurrentThreadCpuTime();
                long allocated = threads.getTotalThreadAllocatedBytes();
                long written = writtenBytes();
                var serverBefore = server == null ? null : server.reading();
                long wall = System.nanoTime();
                deliverer.deliver(deliveries);
                wall = System.nanoTime() - wall;
                System.out.printf("round %d: %.1f µs process CPU, %.1f µs on the calling thread, %.0f bytes allocated, "
                                + "%.2f KiB written per delivery; %.0f deliveries/s%s%n", r,
                        (os.getProcessCpuTime() - cpu) / 1e3 / deliveries,
                        (threads.getCurrentThreadCpuTime() - thread) / 1e3 / deliveries,
                        (threads.getTotalThreadAllocatedBytes() - allocated) / (double) deliveries,
                        (writtenBytes() - written) / 1024.0 / deliveries, deliveries / (wall / 1e9),
                        server == null ? "" : server.since(serverBefore, deliveries));
            }
        }
    }

    /**
     * The PostgreSQL server's side of a round: the WAL it wrote and, when it runs on this machine, the CPU of all its
     * processes ({@link LocalPostgresCpu}, as the bench reports it).
     */
    private static final class PostgresServer implements AutoCloseable {
        private final String url;
        private final Connection connection;

        record Reading(Optional<Duration> cpu, long walBytes) {
        }

        PostgresServer(String url) throws SQLException {
            this.url = url;
            this.connection = DriverManager.getConnection(url);
        }

        Reading reading() throws SQLException {
            try (var st = connection.createStatement();
                 var rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                return new Reading(LocalPostgresCpu.read(url), rs.getLong(1));
            }
        }

        String since(Reading before, int deliveries) throws SQLException {
            var now = reading();
            String cpu = before.cpu.isPresent() && now.cpu.isPresent()
                    ? String.format("%.1f µs CPU", now.cpu.get().minus(before.cpu.get()).toNanos() / 1e3 / deliveries)
                    : "CPU not known (not on this machine)";
            return String.format("; server %s, %.2f KiB WAL per delivery", cpu,
                    (now.walBytes - before.walBytes) / 1024.0 / deliveries);
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Bytes this process caused to be written to storage (Linux's /proc/self/io), or 0 where it cannot tell. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Publishes deliveries to the endpoints in turn and records a success for each, {@link #group} at a time. */
    private final class Deliverer {
        private final Store s;
        private final AccountId account;
        private final ApiKeyId key;
        private final List<Endpoint> targets;
        /** Where --every-sql runs, or null. */
        private final Connection side;
        private int nextTarget;
        private int sinceEvery;

        Deliverer(Store s, AccountId account, ApiKeyId key, List<Endpoint> targets, Connection side) {
            this.s = s;
            this.account = account;
            this.key = key;
            this.targets = targets;
            this.side = side;
        }

        void deliver(int count) throws SQLException {
            int events = Math.max(1, group / fanOut);
            for (int done = 0; done < count; done += events * fanOut) {
                Instant now = Instant.now();
                var lease = Optional.of(new Lease("probe", now.plusSeconds(30)));
                var drafts = new ArrayList<EventDraft>(events);
                for (int e = 0; e < events; e++) {
                    var id = EventId.generate();
                    String payload = "{\"id\":\"" + id + "\",\"type\":\"probe.done\",\"timestamp\":\"" + now
                            + "\",\"data\":{\"x\":\"" + PAYLOAD_DATA + "\"}}";
                    var event = new Event(id, account, "probe.done", now, payload, Optional.empty(), Optional.of(key));
                    var ds = new ArrayList<DeliveryDraft>(fanOut);
                    for (int f = 0; f < fanOut; f++) {
                        var endpoint = targets.get(nextTarget++ % targets.size());
                        ds.add(new DeliveryDraft(DeliveryId.generate(), endpoint.id(), Optional.of(now), lease));
                    }
                    drafts.add(new EventDraft(event, ds));
                }
                var records = new ArrayList<AttemptRecord>(events * fanOut);
                for (var published : s.events().insert(drafts)) {
                    for (Delivery d : published.deliveries()) {
                        records.add(new AttemptRecord(d.key(), d.endpointId(), 1, now, 3, OptionalInt.of(200), "",
                                Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty()));
                    }
                }
                s.deliveries().recordAttempts(records);
                sinceEvery += records.size();
                if (side != null && sinceEvery >= every) {
                    sinceEvery = 0;
                    runEverySql();
                }
            }
        }

        private void runEverySql() throws SQLException {
            try (var st = side.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("BEGIN IMMEDIATE");
                for (String statement : everySql) {
                    st.execute(statement);
                }
                st.execute("COMMIT");
            }
        }
    }
}
