package dev.herald.store;

/** Pending deliveries: due now, scheduled for later, and held (paused endpoints). */
public record QueueDepth(long dueNow, long scheduled, long held) {
}
