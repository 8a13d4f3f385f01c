package dev.herald.reliability;

import dev.herald.testing.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald as its own operating-system process ({@code java -cp <this JVM's class path> dev.herald.app.Main serve}),
 * so it can be killed with SIGKILL mid-work. Its output goes to a file the secrets scan reads too.
 */
final class HeraldProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Herald: ready on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;
    private final HeraldSettings settings;
    private final URI base;

    private HeraldProcess(Process process, Path output, HeraldSettings settings, URI base) {
        this.process = process;
        this.output = output;
        this.settings = settings;
        this.base = base;
    }

    static HeraldProcess start(HeraldSettings settings, Path dir, String name) {
        Path config = settings.writeTo(dir);
        Path output = dir.resolve(name + "-" + System.nanoTime() + ".out");
        Process process;
        try {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "dev.herald.app.Main", "serve", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            int[] port = new int[1];
            Await.until(name + " ready (output " + output + ")", Duration.ofSeconds(60), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited " + process.exitValue() + ": " + read(output));
                }
                Matcher m = READY.matcher(read(output));
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
                return false;
            });
            return new HeraldProcess(process, output, settings, URI.create("http://127.0.0.1:" + port[0]));
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            LogCapture.processOutput(output);
            throw e;
        }
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    Http admin() {
        return new Http(base, Optional.of(settings.adminToken()));
    }

    Http as(Tenant tenant) {
        return new Http(base, Optional.of(tenant.key()));
    }

    /** SIGKILL: no shutdown hook, no grace, leases left as they are. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("Herald process " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String output() {
        return read(output);
    }

    /** The last {@code lines} lines of the process's output, for a failure message. */
    String tail(int lines) {
        var all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        LogCapture.processOutput(output);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
