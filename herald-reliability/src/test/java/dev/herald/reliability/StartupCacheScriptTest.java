package dev.herald.reliability;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code scripts/aot-cache.sh}, which {@code ./herald} sources: it records an ahead-of-time cache of the packaged
 * jar with a short training run, and the JVM accepts that cache ({@code -XX:AOTMode=on} makes a JVM that cannot
 * use its cache fail instead of starting without it).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StartupCacheScriptTest {
    private static final List<String> OPTIONS = List.of("-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED");
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SCRIPT = ROOT.resolve("scripts/aot-cache.sh");
    private static final Path JAR = ROOT.resolve("herald-app/target/herald.jar");

    @TempDir
    Path dir;

    @BeforeAll
    static void theJarIsPackaged() {
        // The reactor packages herald-app before this module's tests; a run of this module alone may not have.
        assumeThat(JAR).as("herald-app's packaged jar (run the whole build: ./run-tests)").exists();
    }

    @Test
    void recordsACacheTheJvmCanUseAndUsesIt() throws Exception {
        var recorded = prepare("record", dir);
        assertThat(recorded.option()).startsWith("-XX:AOTCache=" + dir.resolve("herald-"));
        Path cache = Path.of(recorded.option().substring("-XX:AOTCache=".length()));
        assertThat(cache).isNotEmptyFile();
        assertThat(recorded.errors()).contains("recording the startup cache");

        var strict = new ArrayList<String>(List.of(java()));
        strict.addAll(OPTIONS);
        strict.addAll(List.of(recorded.option(), "-XX:AOTMode=on", "-jar", JAR.toString(), "--version"));
        var run = run(strict, dir);
        assertThat(run.exit()).as(run.output()).isZero();

        var again = prepare("record", dir);
        assertThat(again.option()).isEqualTo(recorded.option());
        assertThat(again.errors()).as("a second start records nothing").doesNotContain("recording");
    }

    @Test
    void otherCommandsOnlyUseACacheThatIsThereAndCurrent() throws Exception {
        assertThat(prepare("use", dir).option()).as("no cache yet: none is recorded").isEmpty();
        assertThat(dir).isEmptyDirectory();

        var recorded = prepare("record", dir);
        Path cache = Path.of(recorded.option().substring("-XX:AOTCache=".length()));
        assertThat(prepare("use", dir).option()).isEqualTo(recorded.option());

        // A cache older than the jar belongs to an earlier build; the JVM would refuse it.
        Files.setLastModifiedTime(cache, FileTime.from(Files.getLastModifiedTime(JAR).toInstant().minusSeconds(60)));
        assertThat(prepare("use", dir).option()).isEmpty();
    }

    @Test
    void recordsTheCacheWithJsonLogsToo() throws Exception {
        // Readiness is /health answering, not a log line: JSON escapes the "http://" a text pattern looked for.
        var recorded = prepare("record", dir, "HERALD_LOG_FORMAT=json");
        assertThat(recorded.option()).as(recorded.errors()).startsWith("-XX:AOTCache=" + dir.resolve("herald-"));
        assertThat(Path.of(recorded.option().substring("-XX:AOTCache=".length()))).isNotEmptyFile();
    }

    @Test
    void heraldAotOffSkipsTheCache() throws Exception {
        assertThat(prepare("record", dir, "HERALD_AOT=off").option()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    private record Prepared(String option, String errors) {
    }

    private record Run(int exit, String output) {
    }

    private Prepared prepare(String mode, Path cacheDir, String... env) throws Exception {
        var command = new ArrayList<String>(List.of("env"));
        command.add("JAVA_HOME=" + System.getProperty("java.home"));
        command.addAll(List.of(env));
        command.addAll(List.of("bash", "-c", ". \"$0\" && herald_aot_prepare \"$@\" && printf '%s' \"$herald_aot_option\"",
                SCRIPT.toString(), JAR.toString(), cacheDir.toString(), mode));
        command.addAll(OPTIONS);
        Path errors = Files.createTempFile(dir.getParent(), "aot-script", ".err");
        var process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(errors);
            assertThat(process.exitValue()).as(err).isZero();
            return new Prepared(out, err);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
    }

    private static Run run(List<String> command, Path workDir) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), out);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
