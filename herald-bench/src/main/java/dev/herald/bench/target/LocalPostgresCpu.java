package dev.herald.bench.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time the PostgreSQL server used so far, read from {@code /proc} when it runs on this machine: the server
 * competes with Herald and the bench for the same cores, so its time per delivery is part of what a delivery costs.
 * Counts every {@code postgres} process (other databases' work included: compare runs back to back) plus what the
 * postmaster's exited children (closed connections) used.
 */
public final class LocalPostgresCpu {
    private static final Path PROC = Path.of("/proc");
    /** Linux reports process times in clock ticks of 1/100 s on every architecture Herald runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final List<String> LOCAL_HOSTS = List.of("127.0.0.1", "localhost", "::1", "[::1]");

    private LocalPostgresCpu() {
    }

    /** Present when {@code jdbcUrl} names a server on this machine and {@code /proc} shows its processes. */
    public static Optional<Duration> read(String jdbcUrl) {
        if (!isLocal(jdbcUrl) || !Files.isDirectory(PROC)) {
            return Optional.empty();
        }
        var processes = new HashMap<Long, long[]>(); // pid → {parent, own ticks, exited children's ticks}
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    timesOf(entry.resolve("stat")).ifPresent(t -> processes.put(Long.parseLong(name), t));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (processes.isEmpty()) {
            return Optional.empty();
        }
        long ticks = 0;
        for (long[] t : processes.values()) {
            // the postmaster (whose parent is no postgres process) also counts its exited children: closed connections
            ticks += processes.containsKey(t[0]) ? t[1] : t[1] + t[2];
        }
        return Optional.of(Duration.ofNanos(ticks * NANOS_PER_TICK));
    }

    private static Optional<long[]> timesOf(Path stat) {
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException e) {
            return Optional.empty(); // exited meanwhile, or not ours to read
        }
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open || !text.substring(open + 1, close).equals("postgres")) {
            return Optional.empty();
        }
        // after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        String[] f = text.substring(close + 2).split(" ");
        return Optional.of(new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[13]) + Long.parseLong(f[14])});
    }

    private static boolean isLocal(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            return false;
        }
        try {
            String host = URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
            return host != null && LOCAL_HOSTS.contains(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
