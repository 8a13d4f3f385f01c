package dev.herald.bench.receiver;

/** How the receiver answers: a fixed delay, a share of 500 errors, and a pause switch that answers 503. */
public final class ReceiverBehaviour {
    private final long delayMillis;
    private final double errorRatio;
    private volatile boolean paused;

    public ReceiverBehaviour(long delayMillis, double errorRatio) {
        if (delayMillis < 0 || errorRatio < 0 || errorRatio > 1) {
            throw new IllegalArgumentException("delay must be >= 0 and error ratio within [0, 1]");
        }
        this.delayMillis = delayMillis;
        this.errorRatio = errorRatio;
    }

    public static ReceiverBehaviour fast() {
        return new ReceiverBehaviour(0, 0);
    }

    long delayMillis() {
        return delayMillis;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    /** The status for a request, given a uniform random draw in [0, 1). */
    int statusFor(double draw) {
        if (paused) {
            return 503;
        }
        return draw < errorRatio ? 500 : 200;
    }
}
