package dev.herald.app;

import dev.herald.app.cli.Commands;
import dev.herald.app.config.ConfigException;
import dev.herald.app.ops.LogOutput;
import dev.herald.app.ops.TerminationSignals;
import dev.herald.core.error.HeraldException;
import dev.herald.store.StoreException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/** {@code java -jar herald.jar …}: parses the command line and runs the command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            TerminationSignals.exitCleanly();
        }
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0 || args.length == 0 || !args[0].equals("serve")) {
            LogOutput.flush(); // the console writes from a thread of its own, which exit() does not wait for
            System.exit(code);
        }
    }

    /**
     * Runs one command; returns the exit code (0 success, 1 failure, 2 usage). Every command but {@code serve} logs
     * to stderr, warnings only unless {@code --verbose}: its stdout is its result alone.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean serve = args.length == 0 || args[0].equals("serve");
        if (serve) {
            return execute(args, out, err);
        }
        try (var logs = LogOutput.forCommand(Arrays.asList(args).contains("--verbose"))) {
            return execute(args, out, err);
        } catch (Exception e) {
            throw new IllegalStateException("restoring the log output failed", e);
        }
    }

    private static int execute(String[] args, PrintWriter out, PrintWriter err) {
        var commandLine = new CommandLine(new Commands());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            switch (e) {
                case ConfigException c -> err.println("herald: configuration error: " + c.getMessage());
                case StartupException s -> err.println("herald: " + s.getMessage());
                case HeraldException h -> err.println("herald: " + h.getMessage());
                case StoreException s -> err.println("herald: store error: " + firstLine(s.getMessage())
                        + (s.getCause() != null ? " (" + firstLine(s.getCause().getMessage()) + ")" : ""));
                default -> {
                    err.println("herald: failed: " + e);
                    e.printStackTrace(err);
                }
            }
            err.flush();
            return 1;
        });
        return commandLine.execute(args);
    }

    /** Failures are reported in one line; some libraries' messages run over several (Flyway's tables, say). */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().lines().findFirst().orElse("").strip();
    }
}
