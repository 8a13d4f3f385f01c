package dev.herald.app.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM (Kubernetes, systemd, {@code Process.destroy()}) and SIGINT a clean stop with exit status 0:
 * the JVM's default handler runs the shutdown hooks (which close Herald gracefully) but then exits with
 * 143/130, which supervisors report as a crash. Here the signal starts {@code System.exit(0)} instead, which
 * runs the same hooks.
 */
public final class TerminationSignals {
    private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

    private TerminationSignals() {
    }

    /** Installs the handlers; call once, from {@code main} of a long-running command only. */
    public static void exitCleanly() {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("TerminationSignals: SIG{} received, stopping gracefully", signal.getName());
                    // exit() blocks until the shutdown hooks finish, so it must not run on the signal thread.
                    Thread.ofPlatform().name("herald-exit").start(() -> System.exit(0));
                });
            } catch (IllegalArgumentException unsupported) {
                log.debug("TerminationSignals: SIG{} cannot be handled on this platform", name);
            }
        }
    }
}
