package dev.herald.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a person or a script sees of the command line: results on stdout, one clear line when it fails. */
class CommandLineTest {
    /** Threads of the engine and the store: none may outlive a failed start. */
    private static final Set<String> COMPONENT_THREADS = Set.of("herald-due-poller", "herald-attempt-writer",
            "herald-publisher", "herald-sqlite-checkpointer", "herald-retention");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream processOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureTheProcessStreams() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(processOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheProcessStreams() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private Path config(String... lines) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** Everything written to the process's stdout: the command's own output and any log line. */
    private String stdout(CliRun cli) {
        return cli.out() + processOut.toString(StandardCharsets.UTF_8);
    }

    @Test
    void commandsOtherThanServePrintOnlyTheirResultOnStdoutAndLogOnlyWarningsOnStderr() throws IOException {
        Path config = config("store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'));
        CliRun created = cli("account", "create", "--name", "acme", "--config", config.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(stdout(created).lines().toList()).as("stdout").hasSize(2)
                .allMatch(line -> line.startsWith("Created account 1 ") || line.startsWith("Next: ") && line.endsWith(" key create --account 1"));
        assertThat(processErr.toString(StandardCharsets.UTF_8)).as("no INFO log lines").doesNotContain("INFO");
        assertThat(created.err()).contains("herald: store sqlite:" + dir.resolve("data").toAbsolutePath());

        processOut.reset();
        CliRun keys = cli("key", "create", "--account", "1", "--config", config.toString(), "--verbose");
        assertThat(keys.exitCode()).as(keys.err()).isZero();
        assertThat(stdout(keys).lines().toList()).as("stdout").hasSize(2).last().asString().startsWith("sk_live_");
        assertThat(processErr.toString(StandardCharsets.UTF_8)).as("--verbose logs at INFO on stderr")
                .contains("INFO").contains("store: sqlite opened");
    }

    @Test
    void aRelativeStoreInTheConfigFileOpensBesideTheFileWhereverTheCommandRuns() throws IOException {
        Path config = config("store=sqlite:./beside");
        CliRun migrated = cli("migrate", "--config", config.toString());
        assertThat(migrated.exitCode()).as(migrated.err()).isZero();
        assertThat(dir.resolve("beside")).isDirectory();
        assertThat(migrated.err()).contains("herald: store sqlite:" + dir.resolve("beside"));
    }

    @Test
    void aStoreThatCannotBeOpenedFailsTheStartWithOneLine() throws IOException {
        // root ignores permission bits, so the database file is made unopenable another way: it is a directory
        Files.createDirectories(dir.resolve("data").resolve("herald.db"));
        Path config = config("listen.port=0", "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'));
        CliRun serve = cli("serve", "--config", config.toString());
        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err().lines().toList()).as(serve.err()).singleElement().asString()
                .startsWith("herald: store error: ").contains(dir.resolve("data").toString());
        assertThat(processErr.toString(StandardCharsets.UTF_8)).as("no stack trace").doesNotContain("\tat ");
    }

    @Test
    void aPortInUseFailsTheStartWithOneLineAndClosesEverythingItOpened() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config("listen.port=" + taken.getLocalPort(),
                    "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'));
            CliRun serve = cli("serve", "--config", config.toString());
            assertThat(serve.exitCode()).isEqualTo(1);
            assertThat(serve.err().lines().toList()).as(serve.err()).containsExactly(
                    "herald: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": the port is in use or not allowed (set listen.port / HERALD_LISTEN_PORT)");
            assertThat(processErr.toString(StandardCharsets.UTF_8) + processOut.toString(StandardCharsets.UTF_8))
                    .as("no stack trace").doesNotContain("\tat ");
        }
        List<String> alive = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(COMPONENT_THREADS::contains).toList();
        assertThat(alive).as("threads of components a failed start left open").isEmpty();
    }
}
