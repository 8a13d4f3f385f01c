package dev.herald.delivery;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Attempt outcomes sent and waiting to be written: the runner adds them, the attempt writer drains them, and the
 * dispatcher reads how many wait so sending never outruns the store.
 */
final class AttemptResults {
    private final LinkedBlockingQueue<AttemptOutcome> queue = new LinkedBlockingQueue<>();

    void submit(AttemptOutcome outcome) {
        queue.add(outcome);
    }

    /** Outcomes submitted and not yet taken for writing. */
    int waiting() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    AttemptOutcome poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    void drainTo(Collection<AttemptOutcome> batch, int max) {
        queue.drainTo(batch, max);
    }

    void clear() {
        queue.clear();
    }
}
