package dev.herald.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** Tests that hold a lock on one session while the store's own waits for it. */
final class SessionLocks {
    private SessionLocks() {
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** What recording a batch with this delivery in it does first: its first statement, for one key. */
    static void lockAsRecordingDoes(Connection c, long key) throws SQLException {
        try (var ps = c.prepareStatement(PostgresStore.recordingStatements().getFirst())) {
            ps.setArray(1, c.createArrayOf("bigint", new Long[] {key}));
            ps.execute();
        }
    }

    /** Until a session waits for a lock that {@code holder}'s session holds. */
    static void awaitBlockedBy(Connection holder, Connection watcher) throws Exception {
        int pid;
        try (var st = holder.createStatement(); var rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var ps = watcher.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
                ps.setInt(1, pid);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing waited for the lock of session " + pid);
    }
}
