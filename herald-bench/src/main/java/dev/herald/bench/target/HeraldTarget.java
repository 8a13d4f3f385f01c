package dev.herald.bench.target;

import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig;
import dev.herald.service.account.AccountService;
import dev.herald.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One Herald under test, started fresh with its own data directory (or PostgreSQL schema): either as a child
 * JVM running the real {@code serve} command (so its CPU and heap are its own), or embedded in the bench's JVM.
 */
public abstract sealed class HeraldTarget implements AutoCloseable {
    /**
     * The collector the {@code ./herald} launcher picks when its caller picks none (keep the two in step; a test
     * compares them): the child JVM is started as users start Herald.
     */
    public static final String LAUNCHER_COLLECTOR = "-XX:+UseParallelGC";

    private static final Pattern HEAP_LINE = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)",
            Pattern.MULTILINE);

    private static final Pattern LIVE_LINE = Pattern.compile("^jvm_gc_live_data_size_bytes(?:\\{[^}]*})? ([0-9.eE+-]+)",
            Pattern.MULTILINE);
    private static final Pattern STATEMENTS_LINE =
            Pattern.compile("(?m)^herald_store_statements_total\\{kind=\"([a-z]+)\"[^}]*} ([0-9.eE+]+)");
    private static final Pattern WRITER_BUSY_LINE =
            Pattern.compile("(?m)^herald_store_writer_busy_seconds_total(?:\\{[^}]*})? ([0-9.eE+-]+)");
    private static final Pattern WRITE_TRANSACTIONS_LINE =
            Pattern.compile("(?m)^herald_store_write_transactions_total(?:\\{[^}]*})? ([0-9.eE+-]+)");
    private static final Pattern ALLOCATED_LINE =
            Pattern.compile("^jvm_gc_memory_allocated_bytes_total(?:\\{[^}]*})? ([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern COMPILATION_LINE = Pattern.compile("^jvm_compilation_time_ms_total\\{[^}]*} ([0-9.eE+-]+)",
            Pattern.MULTILINE);

    private final int port;
    private final String apiKey;
    private final Duration startup;
    private final HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    HeraldTarget(int port, String apiKey, Duration startup) {
        this.port = port;
        this.apiKey = apiKey;
        this.startup = startup;
    }

    /**
     * How to run Herald: a child JVM on the bench's class path, embedded in the bench's JVM, or a child JVM running
     * the packaged {@link #PACKAGED_JAR} as {@code ./herald} does (the JDK's ahead-of-time cache takes only jars).
     */
    public enum Mode { PROCESS, EMBEDDED, JAR }

    /** herald-app's packaged jar, relative to the project root that {@code ./run-bench} runs in. */
    public static final Path PACKAGED_JAR = Path.of("herald-app", "target", "herald.jar");

    /** Everything a fresh Herald needs: where it keeps data, which event types exist, JVM options for a child. */
    public record Spec(Mode mode, Path workDirectory, Optional<String> postgresUrl, List<String> eventTypes,
                       Map<String, String> extraConfig, List<String> jvmOptions) {
    }

    public static HeraldTarget start(Spec spec) {
        try {
            Files.createDirectories(spec.workDirectory());
            int port = freePort();
            Optional<String> schemaUrl = spec.postgresUrl().map(BenchSchema::create);
            Path configFile = writeConfig(spec, port, schemaUrl);
            HeraldConfig config = ConfigLoader.load(Optional.of(configFile), Map.of());
            String key = issueKey(config);
            return switch (spec.mode()) {
                case EMBEDDED -> Embedded.launch(config, port, key, schemaUrl);
                case PROCESS, JAR -> Child.launch(spec, configFile, port, key, schemaUrl);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String apiKey() {
        return apiKey;
    }

    /** From launch (process start or {@code Herald.start} call) to the first {@code /health} 200. */
    public Duration startup() {
        return startup;
    }

    /** CPU time consumed by Herald's process so far (embedded: the whole bench JVM). */
    public abstract Duration cpuTime();

    /**
     * Herald's heap: in use now (garbage not yet collected included), and the long-lived data the last
     * collection left (embedded: the whole bench JVM).
     */
    public record HeapReading(long usedBytes, long liveBytes) {
    }

    public abstract HeapReading heap();

    /** Milliseconds Herald's JIT compilers have worked so far (embedded: the whole bench JVM); -1 if unknown. */
    public abstract long compilationMillis();

    /**
     * Bytes Herald has allocated so far: its JVM's count of bytes its threads allocated, read through JMX
     * ({@link JvmProbe}; embedded: the whole bench JVM), or, where that cannot be read, as its collections counted
     * them ({@code jvm_gc_memory_allocated_bytes_total} on {@code /metrics}); -1 if unknown. Unlike CPU time it does
     * not move with what else the machine runs, so it shows a change in Herald's work per delivery through the noise.
     */
    public long allocatedBytes() {
        return scrapeCounter(ALLOCATED_LINE);
    }

    /** Herald's own histogram of publishes answered 202, arrival to answer, so far; empty if it did not answer. */
    public ServedHistogram publishesServed() {
        return ServedHistogram.parse(metricsText(),
                Map.of("route", "/v1/events", "method", "POST", "status", "202"));
    }

    public abstract String describe();

    /** Stops Herald and drops its PostgreSQL schema, if any. */
    @Override
    public abstract void close();

    HeapReading scrapeHeap() {
        String metrics = metricsText();
        var m = HEAP_LINE.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        var live = LIVE_LINE.matcher(metrics);
        return new HeapReading((long) sum, live.find() ? (long) Double.parseDouble(live.group(1)) : 0);
    }

    long scrapeCompilationMillis() {
        return scrapeCounter(COMPILATION_LINE);
    }

    /** What Herald's store has done so far, from one {@code /metrics} reading: its statements and its writer's load. */
    public StoreReading storeReading() {
        String metrics = metricsText();
        return new StoreReading(statements(metrics), writer(metrics));
    }

    /**
     * @param statements what the store has sent to the database, by kind ({@code herald_store_statements_total}:
     *                   query, update, execute, batch, commit, rollback, savepoint); empty if Herald did not answer
     * @param writer     the store's write connection: time it spent in write transactions and how many it ran
     *                   ({@code herald_store_writer_busy_seconds_total}, {@code herald_store_write_transactions_total});
     *                   empty for a store without one writer (PostgreSQL) or if Herald did not answer
     */
    public record StoreReading(Map<String, Long> statements, Optional<WriterLoad> writer) {
    }

    private static Map<String, Long> statements(String metrics) {
        var m = STATEMENTS_LINE.matcher(metrics);
        var counts = new java.util.TreeMap<String, Long>();
        while (m.find()) {
            counts.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return counts;
    }

    private static Optional<WriterLoad> writer(String metrics) {
        var busy = WRITER_BUSY_LINE.matcher(metrics);
        var transactions = WRITE_TRANSACTIONS_LINE.matcher(metrics);
        if (!busy.find() || !transactions.find()) {
            return Optional.empty();
        }
        return Optional.of(new WriterLoad(Duration.ofNanos((long) (Double.parseDouble(busy.group(1)) * 1e9)),
                (long) Double.parseDouble(transactions.group(1)), System.nanoTime()));
    }

    /**
     * The write connection's busy time and write transactions so far, read at {@code readNanos} ({@link
     * System#nanoTime}); {@link #since} makes them an interval's, between two readings.
     */
    public record WriterLoad(Duration busy, long transactions, long readNanos) {
        public WriterLoad since(WriterLoad before) {
            return new WriterLoad(busy.minus(before.busy), transactions - before.transactions,
                    readNanos - before.readNanos);
        }

        /** Of an interval: the share of it the writer was busy. */
        public double busyShare() {
            return busy.toNanos() / (double) Math.max(1, readNanos);
        }
    }

    /** Deliveries to destinations of {@code type} that succeeded so far (its counter on {@code /metrics}); 0 if none. */
    public double destinationDeliveries(String type) {
        var m = Pattern.compile("herald_destination_deliveries_total\\{destination=\"" + Pattern.quote(type)
                + "\",outcome=\"delivered\"[^}]*} ([0-9.eE+]+)").matcher(metricsText());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The first value {@code line} matches in {@code /metrics}; -1 when absent (or Herald did not answer). */
    private long scrapeCounter(Pattern line) {
        var m = line.matcher(metricsText());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** Herald's {@code /metrics} text now; empty when it did not answer. */
    private String metricsText() {
        return get("/metrics").orElse("");
    }

    Optional<String> get(String path) {
        try {
            var response = probe.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Duration awaitHealthy(HeraldTarget target, long startedNanos, Duration limit, Runnable aliveCheck) {
        long deadline = startedNanos + limit.toNanos();
        while (System.nanoTime() < deadline) {
            aliveCheck.run();
            if (target.get("/health").isPresent()) {
                return Duration.ofNanos(System.nanoTime() - startedNanos);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Herald", e);
            }
        }
        throw new IllegalStateException("Herald did not answer /health within " + limit);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path writeConfig(Spec spec, int port, Optional<String> schemaUrl) throws IOException {
        var lines = new ArrayList<String>();
        lines.add("listen.host=127.0.0.1");
        lines.add("listen.port=" + port);
        lines.add("store=" + schemaUrl.orElse("sqlite:" + spec.workDirectory().resolve("data").toAbsolutePath()));
        lines.add("outbound.allowed-schemes=https,http");
        lines.add("outbound.allowlist=127.0.0.0/8");
        lines.add("event-types=" + String.join(",", spec.eventTypes()));
        spec.extraConfig().forEach((k, v) -> lines.add(k + "=" + v));
        Path file = spec.workDirectory().resolve("herald.properties");
        Files.write(file, lines);
        return file;
    }

    private static String issueKey(HeraldConfig config) {
        try (Store store = Herald.openStore(config)) {
            var admin = new AccountService(store, Clock.systemUTC());
            var account = admin.createAccount("bench");
            return admin.issueKey(account.id(), "bench").token().value();
        }
    }

    /** Herald inside the bench's JVM. */
    static final class Embedded extends HeraldTarget {
        private final Herald herald;
        private final Optional<String> schemaUrl;
        private final JvmProbe jvm;

        private Embedded(Herald herald, int port, String key, Duration startup, Optional<String> schemaUrl,
                         JvmProbe jvm) {
            super(port, key, startup);
            this.herald = herald;
            this.schemaUrl = schemaUrl;
            this.jvm = jvm;
        }

        /**
         * Times {@code Herald.start} to the first {@code /health} 200. What the bench itself needs first (its MXBeans,
         * its HTTP client's classes, loaded by one probe of the port nothing listens on yet) is set up before the
         * clock starts, so the figure is Herald's start alone.
         */
        static Embedded launch(HeraldConfig config, int port, String key, Optional<String> schemaUrl) {
            var jvm = JvmProbe.local();
            var waiting = new Embedded(null, port, key, Duration.ZERO, schemaUrl, jvm);
            waiting.get("/health");
            long started = System.nanoTime();
            Herald herald = Herald.start(config, Clock.systemUTC());
            Duration startup = awaitHealthy(waiting, started, Duration.ofSeconds(30), () -> { });
            return new Embedded(herald, port, key, startup, schemaUrl, jvm);
        }

        @Override
        public Duration cpuTime() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return Duration.ofNanos(os.getProcessCpuTime());
        }

        @Override
        public HeapReading heap() {
            return jvm.heap();
        }

        @Override
        public long compilationMillis() {
            return jvm.compilationMillis();
        }

        @Override
        public long allocatedBytes() {
            return jvm.allocatedBytes();
        }

        @Override
        public String describe() {
            return "embedded in the bench JVM (CPU and heap include the receiver and load generator)";
        }

        @Override
        public void close() {
            herald.close();
            schemaUrl.ifPresent(BenchSchema::drop);
        }
    }

    /** Herald as a child JVM running {@code serve}: {@code dev.herald.app.Main} on the bench's class path, or the jar. */
    static final class Child extends HeraldTarget {
        private final Process process;
        private final Optional<String> schemaUrl;
        private final List<String> jvmOptions;
        /** Its JVM through JMX; empty before it answered, or if it cannot be attached (then {@code /metrics}). */
        private final Optional<JvmProbe> jvm;

        private Child(Process process, int port, String key, Duration startup, Optional<String> schemaUrl,
                      List<String> jvmOptions, Optional<JvmProbe> jvm) {
            super(port, key, startup);
            this.process = process;
            this.schemaUrl = schemaUrl;
            this.jvmOptions = jvmOptions;
            this.jvm = jvm;
        }

        static Child launch(Spec spec, Path configFile, int port, String key, Optional<String> schemaUrl)
                throws IOException {
            var command = new ArrayList<String>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(spec.jvmOptions());
            command.add("--enable-native-access=ALL-UNNAMED");
            if (spec.mode() == Mode.JAR) {
                command.add("-jar");
                command.add(PACKAGED_JAR.toAbsolutePath().toString());
            } else {
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add("dev.herald.app.Main");
            }
            command.add("serve");
            command.add("--config");
            command.add(configFile.toString());
            Path log = spec.workDirectory().resolve("herald.log");
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            var target = new Child(process, port, key, Duration.ZERO, schemaUrl, spec.jvmOptions(), Optional.empty());
            try {
                Duration startup = awaitHealthy(target, started, Duration.ofSeconds(60), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Herald exited with " + process.exitValue() + "; see " + log);
                    }
                });
                return new Child(process, port, key, startup, schemaUrl, spec.jvmOptions(),
                        JvmProbe.attach(process.pid()));
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
        }

        @Override
        public Duration cpuTime() {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }

        @Override
        public HeapReading heap() {
            try {
                return jvm.isPresent() ? jvm.get().heap() : scrapeHeap();
            } catch (RuntimeException e) { // gone, or going
                return new HeapReading(0, 0);
            }
        }

        @Override
        public long compilationMillis() {
            try {
                return jvm.isPresent() ? jvm.get().compilationMillis() : scrapeCompilationMillis();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        @Override
        public long allocatedBytes() {
            try {
                return jvm.isPresent() ? jvm.get().allocatedBytes() : super.allocatedBytes();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        @Override
        public String describe() {
            return "child JVM " + String.join(" ", jvmOptions) + (jvm.isPresent()
                    ? " (heap, JIT time and allocation read through JMX)"
                    : " (could not attach: heap, JIT time and allocation scraped from /metrics)");
        }

        @Override
        public void close() {
            jvm.ifPresent(JvmProbe::close);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            schemaUrl.ifPresent(BenchSchema::drop);
        }
    }
}
