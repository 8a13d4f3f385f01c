package dev.herald.bench;

import dev.herald.bench.ceiling.BrokerCeiling;
import dev.herald.bench.ceiling.HttpCeiling;
import dev.herald.bench.ceiling.RelayCeiling;
import dev.herald.bench.ceiling.StoreCeiling;
import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.receiver.ReceiverBehaviour;
import dev.herald.bench.report.Percentiles;
import dev.herald.bench.report.Report;
import dev.herald.bench.target.HeraldApi;
import dev.herald.bench.target.HeraldTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark: measures the machine's ceilings (a plain HTTP client against the bench receiver, an HTTP relay
 * that does Herald's HTTP work and nothing else, the database's raw durable commit rate), then Herald's delivery
 * throughput, latency, backlog, isolation and cold start against them, prints the table and writes
 * {@code bench/results/<date>-<store>.md} (a later run the same day {@code <date>-<store>-2.md}). Loopback only, bounded in count and time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Herald's delivery throughput and latency against this machine's ceilings.")
public final class Bench implements Callable<Integer> {
    enum StoreKind { sqlite, postgres }

    @Option(names = "--store", description = "sqlite or postgres (default: ${DEFAULT-VALUE})")
    StoreKind store = StoreKind.sqlite;

    @Option(names = "--quick", description = "Small counts and short runs: finishes in under a minute.")
    boolean quick;

    @Option(names = "--events", description = "Events published in the fan-out 1 run (fan-out 10 publishes a tenth of "
            + "that, for the same number of deliveries). Default 100000, quick 5000.")
    Integer events;

    @Option(names = "--backlog", description = "Pending deliveries in the backlog run. Default 1000000, quick 20000.")
    Integer backlog;

    @Option(names = "--latency-seconds", description = "Length of the 1,000 events/s latency run. Default 30, quick 5.")
    Integer latencySeconds;

    @Option(names = "--warmup-seconds", description = "Longest full-speed publishing before the first measured "
            + "scenario; it ends earlier once Herald's JIT compilers went quiet. Default 120, quick 2.")
    Integer warmupSeconds;

    @Option(names = "--outage-seconds", description = "How long the receiver of one endpoint is down in the outage "
            + "run while events are published at --rate. Default 600, quick 10.")
    Integer outageSeconds;

    @Option(names = "--rate", description = "Events per second of the open-loop latency run (default: ${DEFAULT-VALUE}).")
    int rate = 1_000;

    @Option(names = "--concurrency", description = "Requests in flight, for the HTTP ceiling and for publishing "
            + "(default: ${DEFAULT-VALUE}).")
    int concurrency = 64;

    @Option(names = "--batch", description = "Deliveries per transaction in the store ceiling (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--pg-url", description = "PostgreSQL JDBC URL; each run uses a throw-away schema in it "
            + "(default: ${DEFAULT-VALUE}).")
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Option(names = "--herald", description = "process (a child JVM running `serve`, default), embedded (in this JVM) "
            + "or jar (a child JVM running herald-app/target/herald.jar, as ./herald does).")
    HeraldTarget.Mode mode = HeraldTarget.Mode.PROCESS;

    @Option(names = "--heap", description = "Maximum heap of the Herald child JVM (default: ${DEFAULT-VALUE}).")
    String heap = "256m";

    @Option(names = "--jvm-option", description = "Extra JVM option for the Herald child (repeatable), e.g. "
            + "-XX:StartFlightRecording=filename=herald.jfr")
    List<String> jvmOptions = List.of();

    @Option(names = "--receiver-delay-ms", description = "Receiver answers after this delay (default: ${DEFAULT-VALUE}).")
    long receiverDelayMillis;

    @Option(names = "--receiver-error-ratio", description = "Share of receiver answers that are 500 (default: ${DEFAULT-VALUE}).")
    double receiverErrorRatio;

    @Option(names = "--only", split = ",", description = "Run only these parts: ceilings, throughput, batch, latency, "
            + "isolation, backlog, outage, fifo, destinations, cold-start (default: all).")
    List<String> only = List.of();

    @Option(names = "--out", description = "Directory for the result file (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench", "results");

    @Option(names = "--ceiling-requests", description = "Requests in the HTTP ceiling run. Default 200000, quick 20000.")
    Integer ceilingRequests;

    /** Events per request in the batch publish scenario. */
    static final int BATCH_EVENTS = 100;

    private PrintStream console = System.out;
    private boolean incomplete;

    /** Ceiling C at both fan-outs, deliveries/s; NaN when not measured. */
    private record RelayRates(double fanOut1, double fanOut10) {
    }

    /** What a run produced: the report file, and whether every published delivery reached the receiver in time. */
    record Result(Path report, boolean everyDeliveryArrived) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    /** Runs the bench with these arguments in this JVM; for tests. Returns the written report file. */
    static Result run(PrintStream console, String... args) throws Exception {
        var bench = new Bench();
        new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        bench.console = console;
        return bench.execute();
    }

    @Override
    public Integer call() throws Exception {
        return execute().everyDeliveryArrived() ? 0 : 2;
    }

    private Result execute() throws Exception {
        int eventCount = events != null ? events : quick ? 5_000 : 100_000;
        int backlogCount = backlog != null ? backlog : quick ? 20_000 : 1_000_000;
        int latencyLength = latencySeconds != null ? latencySeconds : quick ? 5 : 30;
        Duration runLimit = quick ? Duration.ofSeconds(30) : Duration.ofMinutes(2);
        Duration backlogLimit = quick ? Duration.ofSeconds(30) : Duration.ofMinutes(4);
        String filler = "x".repeat(900);
        byte[] body = HeraldApi.eventBody("bench.e0", 0, filler);
        Path work = Files.createTempDirectory("herald-bench-");
        long benchStarted = System.nanoTime();

        var report = new Report("Herald bench — " + store + (quick ? " (quick)" : ""));
        describeMachine(report);
        if (store == StoreKind.postgres) {
            describePostgres(report, pgUrl);
        }
        report.context("Herald: " + (mode != HeraldTarget.Mode.EMBEDDED ? "child JVM " + String.join(" ", childJvmOptions())
                        : "embedded")
                + "; " + Scenarios.ENDPOINTS + " endpoints on one local receiver; publish concurrency " + concurrency
                + "; body ≈ " + body.length + " B; one Herald runs every scenario in turn, after a full-speed "
                + "warm-up until its JIT compilers went quiet (at most " + warmUpOf().toSeconds() + " s)");

        try (var receiver = Receiver.start(new ReceiverBehaviour(receiverDelayMillis, receiverErrorRatio))) {
            double ceilingA = Double.NaN;
            var ceilingC = new RelayRates(Double.NaN, Double.NaN);
            if (wants("ceilings") || wants("throughput") || wants("batch")) {
                int requests = ceilingRequests != null ? ceilingRequests : quick ? 20_000 : 200_000;
                var rate = HttpCeiling.measure(receiver, concurrency, requests, body,
                        Duration.ofSeconds(quick ? 1 : 10));
                ceilingA = rate.best();
                receiver.reset();
                say(String.format("bench: ceiling A (plain async HTTP client, %d in flight): %,.0f requests/s "
                        + "(best of rounds: %s)", concurrency, ceilingA, rate.rounds().stream()
                        .map(r -> String.format("%,.0f", r)).collect(Collectors.joining(", "))));
                // The relay waits for every delivery, which a receiver answering errors never confirms.
                if (receiverErrorRatio == 0) {
                    ceilingC = measureRelay(report, receiver, requests / 2, body, ceilingA);
                }
            }
            StoreCeiling.Rates ceilingB = null;
            if (wants("ceilings")) {
                int rows = quick ? 10_000 : 100_000;
                ceilingB = store == StoreKind.sqlite
                        ? StoreCeiling.sqlite(work.resolve("ceiling"), rows, batch, filler)
                        : StoreCeiling.postgres(pgUrl, rows, batch, filler);
                say(String.format("bench: ceiling B (%s, %d per transaction): %,.0f deliveries/s, %,.0f rows/s; "
                        + "commits p50 %.1f ms, p99 %.1f ms", store, batch, ceilingB.deliveriesPerSecond(),
                        ceilingB.rowsPerSecond(), ceilingB.commits().at(50) / 1e6, ceilingB.commits().at(99) / 1e6));
            }
            if (wants("cold-start")) {
                coldStart(report, work);
            }

            var spec = new HeraldTarget.Spec(mode, work, store == StoreKind.postgres ? Optional.of(pgUrl) : Optional.empty(),
                    Scenarios.eventTypes(), Map.of(), childJvmOptions());
            try (var scenarios = new Scenarios(receiver, spec, concurrency, filler, warmUpOf(), this::say)) {
                runScenarios(report, scenarios, eventCount, backlogCount, latencyLength, runLimit, backlogLimit,
                        ceilingA, ceilingB, ceilingC);
            }
        } catch (RuntimeException e) {
            keepHeraldLog(work);
            throw e;
        } finally {
            deleteTree(work);
        }
        report.note(String.format(java.util.Locale.ROOT, "Total bench time %.0f s; load average at the end %.1f.",
                (System.nanoTime() - benchStarted) / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        String markdown = report.markdown();
        console.println();
        console.println(markdown);
        // A partial run (--only) is named apart from a full one; a second run of the same kind the same day gets -2, -3 ….
        Path file = report.writeNew(out, LocalDate.now() + "-" + store + (quick ? "-quick" : "")
                + (only.isEmpty() ? "" : "-partial"));
        console.println("bench: wrote " + file);
        return new Result(file, !incomplete);
    }

    /**
     * The Herald scenarios on one warmed-up Herald: fan-out 1, then the same with a never-answering endpoint
     * (isolation, compared with the run just before), fan-out 10, the open-loop latency run and the backlog.
     */
    private void runScenarios(Report report, Scenarios scenarios, int eventCount, int backlogCount, int latencyLength,
                              Duration runLimit, Duration backlogLimit, double ceilingA, StoreCeiling.Rates ceilingB,
                              RelayRates ceilingC) {
        Scenarios.Throughput fanOut1 = null;
        if (wants("throughput") || wants("isolation")) {
            fanOut1 = scenarios.throughput(eventCount, 1, false, runLimit);
            report.row("warm-up before the first measurement (full-speed publishing until the JIT went quiet)",
                    scenarios.warmedUp().toSeconds() + " s", "");
            addThroughput(report, "fan-out 1", fanOut1, ceilingA, ceilingB, ceilingC.fanOut1(),
                    targets("≥ 70 %", "≤ 150 ms", "≤ 12 KiB", "≤ 1.5"));
        }
        if (wants("isolation")) {
            var isolated = scenarios.throughput(eventCount, 1, true, runLimit);
            // The same run without the dead endpoint once more: on a shared machine two runs a minute apart
            // differ by more than the effect measured, so the run is compared with the mean of both neighbours.
            var after = scenarios.throughput(eventCount, 1, false, runLimit);
            double without = (fanOut1.perSecond() + after.perSecond()) / 2;
            double loss = 1 - isolated.perSecond() / without;
            report.row("isolation: 99 endpoints' deliveries/s with 1 never-answering endpoint",
                    Report.number(isolated.perSecond()) + " /s (vs " + Report.number(without)
                            + " /s without: mean of the fan-out 1 runs before and after, " + Report.number(fanOut1.perSecond())
                            + " and " + Report.number(after.perSecond()) + "; loss " + Report.percent(Math.max(0, loss))
                            + ")", "loss ≤ 10 %");
            if (!isolated.complete()) {
                incomplete = true;
                report.note("isolation run: only " + isolated.deliveries() + " of " + isolated.expected()
                        + " deliveries arrived within " + runLimit.toSeconds() + " s.");
            }
        }
        Scenarios.Throughput fanOut10 = null;
        if (wants("throughput")) {
            fanOut10 = scenarios.throughput(Math.max(1, eventCount / Scenarios.GROUPS), Scenarios.GROUPS, false,
                    runLimit);
            addThroughput(report, "fan-out 10", fanOut10, ceilingA, ceilingB, ceilingC.fanOut10(),
                    targets("≥ 90 %", "≤ 70 ms", "≤ 6 KiB", "≤ 0.5"));
        }
        if (wants("batch")) {
            // One request carries 100 events, so Herald's HTTP work per delivery is the outbound exchange alone:
            // ceiling A's one exchange per delivery, not the relay's two, is what bounds it.
            var batched = scenarios.throughput(eventCount, 1, BATCH_EVENTS, false, runLimit);
            addThroughput(report, "fan-out 1, published in batches of " + BATCH_EVENTS, batched, ceilingA, ceilingB,
                    Double.NaN, new Targets("≥ 60 % of A", "", "", "", ""));
        }
        if (wants("latency")) {
            var latency = scenarios.latency(rate, Duration.ofSeconds(latencyLength), runLimit);
            var p = new Percentiles(latency.nanos());
            String at = " at " + rate + " events/s";
            report.row("publish → first attempt p50" + at, Report.millis(p.at(50)), "< 5 ms");
            report.row("publish → first attempt p95" + at, Report.millis(p.at(95)), "");
            report.row("publish → first attempt p99" + at, Report.millis(p.at(99)), "< 50 ms");
            report.row("publish → first attempt max" + at, Report.millis(p.at(100)), "");
            var answered = new Percentiles(latency.answerNanos());
            report.row("  publish → Herald's 202 answer (event committed) p50 / p99 / max",
                    Report.millis(answered.at(50)) + " / " + Report.millis(answered.at(99)) + " / "
                            + Report.millis(answered.at(100)), "");
            var served = latency.served();
            report.row("  publish inside Herald, arrival → 202 (its own /metrics histogram, bucket bounds) p50 / p99",
                    served.count() == 0 ? "n/a" : "≤ " + secondsBound(served.boundAt(50)) + " / ≤ "
                            + secondsBound(served.boundAt(99)), "");
            var stalls = new Percentiles(latency.benchStalls());
            report.row("  for comparison: a 1 ms sleeper in the bench's JVM woke late by p99 / max (the load generator "
                    + "and receiver stopped that long)", Report.millis(stalls.at(99)) + " / "
                    + Report.millis(stalls.at(100)), "");
            if (ceilingB != null) {
                // Every publish waits for at least one durable commit: the disk's commit time bounds the latency.
                report.row("  for comparison: the store's durable commit p50 / p99 (ceiling B's transactions)",
                        Report.millis(ceilingB.commits().at(50)) + " / " + Report.millis(ceilingB.commits().at(99)), "");
            }
            if (latency.missing() > 0) {
                incomplete = true;
                report.note(latency.missing() + " of the latency run's measured events had not arrived within the limit.");
            }
        }
        if (wants("backlog")) {
            var b = scenarios.backlog(backlogCount, backlogLimit);
            report.row("backlog: pending deliveries (endpoints paused, then resumed)",
                    Report.number(b.expected()) + " (" + Report.number(b.deliveries()) + " drained)");
            report.row("backlog: publish rate while paused", Report.number(b.publishPerSecond()) + " deliveries/s");
            var live = fanOut10 != null ? fanOut10 : fanOut1;
            report.rowAgainst("backlog: drain rate", b.drainPerSecond(), "deliveries/s",
                    live == null ? Double.NaN : live.perSecond(),
                    (live == fanOut10 ? "fan-out 10" : "fan-out 1") + " rate", "full rate");
            report.row("backlog: peak heap (in use / live after GC; the child JVM runs with -Xmx" + heap + ")",
                    heapText(b.peakHeap()), "≤ 256 MB");
            if (b.deliveries() < b.expected()) {
                incomplete = true;
                report.note("backlog: drain stopped at the " + backlogLimit.toSeconds() + " s limit.");
            }
        }
        if (wants("outage")) {
            outage(report, scenarios, outageSeconds != null ? outageSeconds : quick ? 10 : 600, runLimit);
        }
        if (wants("fifo")) {
            var fifo = scenarios.fifo(quick ? 500 : 10_000, runLimit);
            // one request at a time: bound by the round trip, 1 ms at the receiver plus Herald's claim and write
            report.rowAgainst("FIFO endpoint, receiver answering in 1 ms (" + Report.number(fifo.delivered()) + " of "
                    + Report.number(fifo.expected()) + ")", fifo.perSecond(), "deliveries/s", 1_000,
                    "1 / 1 ms", "");
            if (fifo.delivered() < fifo.expected()) {
                incomplete = true;
                report.note("FIFO: stopped at the " + runLimit.toSeconds() + " s limit.");
            }
        }
        if (wants("destinations")) {
            destinations(report, scenarios, events != null ? Math.min(events, 10_000) : quick ? 1_000 : 10_000,
                    runLimit);
        }
    }

    /**
     * The circuit breaker's effect (issue 24): requests a down receiver got while events kept coming, how long its
     * held deliveries took to arrive once it was back, how many failed, and the other endpoints meanwhile.
     */
    private void outage(Report report, Scenarios scenarios, int seconds, Duration limit) {
        var o = scenarios.outage(rate, Duration.ofSeconds(seconds), limit.plus(Duration.ofSeconds(seconds / 10)));
        report.row("outage: requests to a receiver down for " + seconds + " s while " + Report.number(rate)
                + " events/s are published to it (" + Report.number(o.published()) + " events)",
                String.format("%,d", o.outageRequests()), "a handful");
        report.row("outage: time to drain its held deliveries after recovery (incl. the wait for the next probe)",
                Report.millis(o.drain().toNanos()) + " (" + Report.number(o.delivered()) + " of "
                        + Report.number(o.published()) + " arrived)", "");
        report.row("outage: its deliveries failed for good", Integer.toString(o.failed()), "0");
        report.row("outage: other endpoints' deliveries arrived during the outage",
                Report.number(o.othersDelivered()) + " of " + Report.number(o.othersExpected()), "all");
        if (o.delivered() < o.published()) {
            incomplete = true;
            report.note("outage: drain stopped at the limit.");
        }
    }

    /**
     * One row per broker destination type: Herald's broker-confirmed deliveries/s at fan-out 1 (each event to one of
     * {@value Scenarios#ENDPOINTS} broker endpoints on one broker) against the broker's own client publishing the
     * same body with the same confirmation, measured just before. A broker that does not
     * answer on 127.0.0.1 is skipped with a note.
     */
    private void destinations(Report report, Scenarios scenarios, int events, Duration limit) {
        byte[] body = HeraldApi.eventBody(Scenarios.DESTINATION_EVENT + 0, 0, "x".repeat(900));
        for (var broker : BrokerCeiling.PORTS.entrySet()) {
            String type = broker.getKey();
            if (!listening(broker.getValue())) {
                report.note("destination " + type + ": nothing answers on 127.0.0.1:" + broker.getValue() + "; skipped.");
                continue;
            }
            try {
                var prepared = BrokerCeiling.prepare(type);
                try (var cleanup = prepared.cleanup()) {
                    double ceiling = BrokerCeiling.measure(prepared.target(), body, BrokerCeiling.heraldLikeHeaders(),
                            events);
                    var run = scenarios.destination(type, new com.fasterxml.jackson.databind.ObjectMapper()
                            .valueToTree(prepared.config()), events, limit);
                    say(String.format("bench: destination %s: %,.0f deliveries/s (plain client %,.0f/s)", type,
                            run.perSecond(), ceiling));
                    report.rowAgainst("destination " + type + ", fan-out 1 (" + Scenarios.ENDPOINTS
                                    + " endpoints, one broker): broker-confirmed deliveries/s", run.perSecond(), "/s",
                            ceiling, "its own client, same confirms, " + BrokerCeiling.IN_FLIGHT + " in flight", "");
                    if (!run.complete()) {
                        incomplete = true;
                        report.note("destination " + type + ": only " + run.delivered() + " of " + run.expected()
                                + " deliveries confirmed within " + limit.toSeconds() + " s.");
                    }
                }
            } catch (Exception e) {
                incomplete = true;
                report.note("destination " + type + ": the run failed: " + e);
            }
        }
    }

    private static boolean listening(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ceiling C at fan-out 1 and 10, each with {@code deliveries} in its rounds; adds its rows against A. */
    private RelayRates measureRelay(Report report, Receiver receiver, int deliveries, byte[] body, double ceilingA) {
        Duration warm = Duration.ofSeconds(quick ? 1 : 5);
        var one = RelayCeiling.measure(receiver, concurrency, deliveries, 1, body, warm);
        var ten = RelayCeiling.measure(receiver, concurrency, deliveries, Scenarios.GROUPS, body, warm);
        receiver.reset();
        var rates = new RelayRates(one.best(), ten.best());
        say(String.format("bench: ceiling C (HTTP relay, no store): fan-out 1 %,.0f, fan-out 10 %,.0f deliveries/s "
                + "(%s and %s of A)", rates.fanOut1(), rates.fanOut10(), Report.percent(rates.fanOut1() / ceilingA),
                Report.percent(rates.fanOut10() / ceilingA)));
        report.rowAgainst("ceiling C, fan-out 1: an HTTP relay that only relays (publish in, deliveries out; "
                + "no store, no signing)", rates.fanOut1(), "/s", ceilingA, "A: plain HTTP client", "");
        report.rowAgainst("ceiling C, fan-out 10", rates.fanOut10(), "/s", ceilingA, "A: plain HTTP client", "");
        return rates;
    }

    /** A failed run keeps the Herald child's log next to the results, since the work directory is deleted. */
    private void keepHeraldLog(Path work) {
        Path log = work.resolve("herald.log");
        if (Files.exists(log)) {
            try {
                Files.createDirectories(out);
                Path kept = out.resolve(LocalDate.now() + "-" + store + "-failed-herald.log");
                Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
                say("bench: the run failed; Herald's log is in " + kept);
            } catch (IOException copyFailure) {
                say("bench: the run failed and Herald's log could not be kept: " + copyFailure.getMessage());
            }
        }
    }

    private static String secondsBound(Optional<Double> seconds) {
        return seconds.map(s -> s.isInfinite() ? "∞" : Report.millis(s * 1e9)).orElse("n/a");
    }

    /** Statements per delivery in all, then each kind's share, e.g. {@code 0.42 (query 0.21, batch 0.11, commit 0.10)}. */
    static String statementsText(Scenarios.Throughput t) {
        double deliveries = Math.max(1, t.deliveries());
        long total = 0;
        var parts = new ArrayList<String>();
        for (var entry : t.statements().entrySet()) {
            if (entry.getKey().equals("savepoint") || entry.getValue() == 0) {
                continue;
            }
            total += entry.getValue();
            parts.add(entry.getKey() + " " + String.format(java.util.Locale.ROOT, "%.2f", entry.getValue() / deliveries));
        }
        return String.format(java.util.Locale.ROOT, "%.2f", total / deliveries) + " (" + String.join(", ", parts) + ")";
    }

    /**
     * The writer's busy share of the run (between the readings before the first publish and after the last delivery
     * arrived, its last attempts recorded meanwhile or not), and the deliveries each of its group commits carried.
     */
    static String writerText(Scenarios.Throughput t, HeraldTarget.WriterLoad writer) {
        double deliveries = Math.max(1, t.deliveries());
        return String.format(java.util.Locale.ROOT, "%.0f %% of the run (%.3f write transactions per delivery, %.1f "
                        + "deliveries each)", 100.0 * writer.busyShare(),
                writer.transactions() / deliveries, deliveries / Math.max(1, writer.transactions()));
    }

    private static String heapText(Scenarios.HeapPeak peak) {
        return Report.megabytes(peak.used()) + " / " + Report.megabytes(peak.live());
    }

    private Duration warmUpOf() {
        return Duration.ofSeconds(warmupSeconds != null ? warmupSeconds : quick ? 2 : 120);
    }

    /** The targets shown beside a throughput scenario's rows ("" where none is set). */
    private record Targets(String againstA, String againstC, String cpu, String allocation, String statements) {
    }

    /**
     * Issue 25's targets (ratio to ceiling C, CPU, allocation and statements per delivery), set for SQLite; the
     * statements per delivery are PostgreSQL's target too, its rate the first round's share of A.
     */
    private Targets targets(String againstC, String cpu, String allocation, String statements) {
        return store == StoreKind.sqlite
                ? new Targets("≥ 5,000/s and ≥ 60 % of A", againstC, cpu, allocation, statements)
                : new Targets("≥ 40 % of A", "", "", "", statements);
    }

    private void addThroughput(Report report, String label, Scenarios.Throughput t, double ceilingA,
                               StoreCeiling.Rates ceilingB, double ceilingC, Targets targets) {
        report.rowAgainst("Herald deliveries/s, " + label + " (durable, signed, confirmed by receiver)", t.perSecond(),
                "/s", ceilingA, "A: plain HTTP client", targets.againstA());
        if (!Double.isNaN(ceilingC)) {
            report.rowAgainst("  same, against the relay that does Herald's HTTP work alone", t.perSecond(), "/s",
                    ceilingC, "C: HTTP relay", targets.againstC());
        }
        if (ceilingB != null) {
            report.rowAgainst("  same, against the store's raw commit rate", t.perSecond(), "/s",
                    ceilingB.deliveriesPerSecond(), "B: JDBC, " + batch + "/tx", "");
        }
        report.row("  " + label + ": Herald CPU per 1,000 deliveries",
                Report.number(t.cpu().toNanos() / 1e6 / Math.max(1, t.deliveries()) * 1000) + " ms ("
                        + Report.number(t.cpu().toNanos() / (double) t.wall().toNanos()) + " cores busy)",
                targets.cpu());
        t.storeServerCpu().ifPresent(server -> report.row("  " + label + ": PostgreSQL server CPU per 1,000 "
                        + "deliveries (all its local processes, /proc)",
                Report.number(server.toNanos() / 1e6 / Math.max(1, t.deliveries()) * 1000) + " ms ("
                        + Report.number(server.toNanos() / (double) t.wall().toNanos()) + " cores busy)"));
        if (t.allocatedBytes() >= 0) {
            report.row("  " + label + ": Herald allocation per delivery (bytes its threads allocated, JMX)",
                    Report.number(t.allocatedBytes() / 1024.0 / Math.max(1, t.deliveries())) + " KiB",
                    targets.allocation());
        }
        if (!t.statements().isEmpty()) {
            report.row("  " + label + ": store statements per delivery (herald_store_statements_total; a JDBC batch "
                    + "once, commits included, in-process savepoints not)", statementsText(t), targets.statements());
        }
        t.writer().ifPresent(writer -> report.row("  " + label + ": store's write connection busy (SQLite's one "
                + "writer, herald_store_writer_busy_seconds_total; write transactions per delivery)", writerText(t, writer)));
        report.row("  " + label + ": Herald peak heap (in use / live after GC)", heapText(t.peakHeap()));
        report.row("  " + label + ": signatures verified (Standard Webhooks library, sample)",
                (t.signaturesChecked() - t.signaturesFailed()) + " of " + t.signaturesChecked(), "all");
        if (!t.complete()) {
            incomplete = true;
            report.note(label + ": only " + t.deliveries() + " of " + t.expected() + " deliveries arrived in time.");
        }
    }

    private void coldStart(Report report, Path work) {
        try (var embedded = startCold(work, "cold-embedded", HeraldTarget.Mode.EMBEDDED)) {
            report.row("cold start, embedded (Herald.start → /health 200)", embedded.startup().toMillis() + " ms",
                    "< 1 s");
        }
        // The JVM's ahead-of-time cache takes classes only from jars: these starts run the packaged jar as ./herald
        // does, first without the cache, then from the cache ./herald records once per build (scripts/aot-cache.sh).
        boolean jar = Files.isRegularFile(HeraldTarget.PACKAGED_JAR);
        try (var process = startCold(work, "cold-process", jar ? HeraldTarget.Mode.JAR : HeraldTarget.Mode.PROCESS)) {
            report.row("cold start, process (JVM launch → /health 200" + (jar ? ", java -jar herald.jar" : "") + ")",
                    process.startup().toMillis() + " ms", "");
        }
        if (!jar) {
            report.note("cold start from the ahead-of-time cache: not measured, " + HeraldTarget.PACKAGED_JAR
                    + " is not built.");
            return;
        }
        Path cache = work.resolve("herald.aot");
        try (var _ = startCold(work, "cold-training", HeraldTarget.Mode.JAR, "-XX:AOTCacheOutput=" + cache,
                "-Xlog:aot=error,cds=error")) {
            // Started and answered /health; stopping it writes the cache.
        }
        if (!Files.isRegularFile(cache)) {
            report.note("cold start from the ahead-of-time cache: the training start wrote no cache.");
            return;
        }
        // AOTMode=on: a JVM that cannot use the cache fails instead of starting without it and being timed as if.
        try (var cached = startCold(work, "cold-cached", HeraldTarget.Mode.JAR, "-XX:AOTCache=" + cache,
                "-XX:AOTMode=on")) {
            report.row("cold start, process, from the ahead-of-time cache ./herald records once per build",
                    cached.startup().toMillis() + " ms", "");
        } catch (RuntimeException e) {
            report.note("cold start from the ahead-of-time cache: the JVM could not use the cache (" + e.getMessage() + ").");
        }
    }

    /** A fresh Herald in {@code work/directory}, a child JVM with {@link #childJvmOptions()} and {@code moreOptions}. */
    private HeraldTarget startCold(Path work, String directory, HeraldTarget.Mode mode, String... moreOptions) {
        Optional<String> pg = store == StoreKind.postgres ? Optional.of(pgUrl) : Optional.empty();
        var options = Stream.concat(childJvmOptions().stream(), Stream.of(moreOptions)).toList();
        return HeraldTarget.start(new HeraldTarget.Spec(mode, work.resolve(directory), pg, Scenarios.eventTypes(),
                Map.of(), options));
    }

    /** The heap limit, the collector {@code ./herald} starts Herald with unless an option picks one, the options. */
    List<String> childJvmOptions() {
        boolean picksCollector = jvmOptions.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w*GC"));
        return Stream.of(Stream.of("-Xmx" + heap), picksCollector ? Stream.<String>empty()
                : Stream.of(HeraldTarget.LAUNCHER_COLLECTOR), jvmOptions.stream()).flatMap(o -> o).toList();
    }

    private boolean wants(String part) {
        return only.isEmpty() || only.contains(part);
    }

    private void say(String line) {
        console.println(line);
        console.flush();
    }

    private static void describeMachine(Report report) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        report.context("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Report.megabytes(os.getTotalMemorySize()) + " memory, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        report.context("JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version());
        report.context("Git commit: " + gitCommit());
        report.context("Date: " + LocalDate.now());
        report.context(String.format(java.util.Locale.ROOT, "Load average when the bench started: %.1f"
                + " (other processes on the machine skew every number, ceilings included)", os.getSystemLoadAverage()));
    }

    /**
     * The server's settings that move its numbers most: with autovacuum off (as on some CI machines) the deliveries'
     * dead rows are never reclaimed and nothing but Herald's own ANALYZE refreshes its statistics.
     */
    private static void describePostgres(Report report, String url) {
        var settings = List.of("server_version", "autovacuum", "synchronous_commit", "fsync", "shared_buffers",
                "jit");
        var shown = new ArrayList<String>();
        try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            for (String name : settings) {
                try (var rs = statement.executeQuery("SHOW " + name)) {
                    rs.next();
                    shown.add(name + " " + rs.getString(1));
                }
            }
            report.context("PostgreSQL: " + String.join(", ", shown));
        } catch (SQLException e) {
            report.context("PostgreSQL: settings not read (" + e.getMessage() + ")");
        }
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
