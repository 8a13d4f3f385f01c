package dev.herald.reliability;

/**
 * Sizes of the suite: modest by default so {@code ./run-tests} stays quick, full with
 * {@code -Dherald.reliability.full=true}.
 */
final class Scale {
    static final boolean FULL = Boolean.getBoolean("herald.reliability.full");

    private Scale() {
    }

    static int of(int defaultRun, int fullRun) {
        return FULL ? fullRun : defaultRun;
    }

    static String name() {
        return FULL ? "full" : "default";
    }
}
