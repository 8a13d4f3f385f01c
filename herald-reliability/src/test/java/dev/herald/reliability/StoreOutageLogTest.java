package dev.herald.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.herald.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database outage as operators read it in the log: one line when it starts and one when it ends, however long it
 * lasts and however often pollers and probes run into it meanwhile; liveness stays up, readiness goes down.
 */
class StoreOutageLogTest {
    private static final Duration OUTAGE = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    @Test
    void anOutageLogsOneLineWhenItStartsAndOneWhenItEndsAndLivenessStaysUp() {
        String database = Pg.createDatabase();
        var warnings = new CopyOnWriteArrayList<String>();
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = new AppenderBase<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent event) {
                // Herald's own lines; the connection pool warns once per broken connection (bounded by its size)
                if (event.getLevel().isGreaterOrEqual(Level.WARN) && event.getLoggerName().startsWith("dev.herald")) {
                    warnings.add(event.getLoggerName() + " " + event.getFormattedMessage());
                }
            }
        };
        appender.setContext(context);
        appender.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try (var herald = HeraldNode.start(HeraldSettings.local(Pg.databaseUrl(database)).with("store.pool-size", "4"), dir)) {
            Http probe = herald.anonymous();
            assertThat(probe.get("/ready").status()).isEqualTo(200);
            warnings.clear();

            Pg.refuseConnections(database);
            Instant until = Instant.now().plus(OUTAGE);
            // the kubelet keeps probing throughout; the due poller keeps polling (every 500 ms)
            Await.until("the outage elapsed", OUTAGE.plusSeconds(30), () -> {
                assertThat(probe.get("/health").status()).as("liveness during the outage").isEqualTo(200);
                assertThat(probe.get("/ready").status()).as("readiness during the outage").isEqualTo(503);
                return Instant.now().isAfter(until);
            });
            Pg.allowConnections(database);
            Await.until("ready again", Duration.ofSeconds(60), () -> probe.get("/ready").status() == 200);

            List<String> lines = List.copyOf(warnings);
            assertThat(lines).as("Herald's warnings and errors logged during the outage").hasSize(2);
            assertThat(lines.get(0)).contains("database is unavailable");
            assertThat(lines.get(1)).contains("answers again");
        } finally {
            root.detachAppender(appender);
            appender.stop();
            Pg.dropDatabase(database);
        }
    }
}
