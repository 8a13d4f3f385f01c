package dev.herald.reliability;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Writes the suite's report at the end of its run from its own output: every case with its outcome, and every count
 * the cases recorded in {@link Findings}. Registered as a JUnit Platform listener, it also starts the log capture
 * before the first case. The report goes to {@code target/reliability.md}, so a test run leaves the working tree
 * clean; {@code -Dherald.docs.refresh=true} writes the committed {@code docs/reliability.md} instead.
 */
public final class ReportWriter implements TestExecutionListener {
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private volatile Instant runStarted = Instant.now();
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        runStarted = Instant.now();
        plan = testPlan;
        LogCapture.install();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
            started.put(id.getUniqueId(), Instant.now());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            outcomes.put(name(id), "skipped: " + reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        long seconds = Duration.between(started.getOrDefault(id.getUniqueId(), Instant.now()), Instant.now()).toSeconds();
        String outcome = switch (result.getStatus()) {
            case SUCCESSFUL -> "passed";
            case ABORTED -> "aborted: " + result.getThrowable().map(Throwable::getMessage).orElse("");
            case FAILED -> "FAILED: " + result.getThrowable().map(t -> firstLine(t.getMessage())).orElse("");
        };
        outcomes.put(name(id), outcome + " (" + seconds + " s)");
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (outcomes.isEmpty()) {
            return;
        }
        Path target = reportFile();
        var md = new StringBuilder();
        md.append("# Reliability and security suite\n\n");
        md.append("Written by the suite itself (`herald-reliability`, `ReportWriter`) at the end of its last run; ")
                .append("do not edit by hand.\n\n");
        md.append("- Run: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", scale `")
                .append(Scale.name()).append("` (full sizes: `./mvnw -B -pl herald-reliability -am verify ")
                .append("-Dherald.reliability.full=true`), wall time ")
                .append(Duration.between(runStarted, Instant.now()).toSeconds()).append(" s.\n");
        md.append("- Run it: `./mvnw -q -B -pl herald-reliability -am verify` (part of `./run-tests`); it writes ")
                .append("`herald-reliability/target/reliability.md`, and this file with `-Dherald.docs.refresh=true`.\n\n");
        md.append("## Measurements\n\n| Area | Check | Measured |\n|---|---|---|\n");
        for (var row : Findings.rows()) {
            md.append("| ").append(cell(row.area())).append(" | ").append(cell(row.check())).append(" | ")
                    .append(cell(row.measured())).append(" |\n");
        }
        md.append("\n## Cases\n\n| Case | Outcome |\n|---|---|\n");
        outcomes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> md.append("| ").append(cell(e.getKey())).append(" | ").append(cell(e.getValue()))
                        .append(" |\n"));
        md.append("\n").append(outcomes.values().stream().collect(Collectors.groupingBy(
                o -> o.startsWith("passed") ? "passed" : o.startsWith("FAILED") ? "failed" : "skipped/aborted",
                Collectors.counting()))).append("\n");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Class › method › invocation", from the test plan's containers. */
    private String name(TestIdentifier id) {
        var parts = new java.util.ArrayDeque<String>();
        Optional<TestIdentifier> current = Optional.of(id);
        while (current.isPresent() && current.get().getParentId().isPresent()) {
            parts.addFirst(current.get().getDisplayName());
            current = plan == null ? Optional.empty() : plan.getParent(current.get());
        }
        return String.join(" › ", parts);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * {@code target/reliability.md} of the module; with {@code -Dherald.docs.refresh=true}, {@code docs/reliability.md}
     * of the repository the module sits in (found by walking up to {@code mvnw}).
     */
    private static Path reportFile() {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (!Boolean.getBoolean("herald.docs.refresh")) {
            return module.resolve("target").resolve("reliability.md");
        }
        Path dir = module;
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("herald.docs.refresh: no mvnw above " + module + " to find docs/ by");
        }
        return dir.resolve("docs").resolve("reliability.md");
    }
}
