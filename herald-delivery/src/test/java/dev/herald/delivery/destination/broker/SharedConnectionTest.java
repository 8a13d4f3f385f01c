package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.delivery.send.CheckedDnsResolver;
import dev.herald.delivery.send.NameLookup;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedConnectionTest {
    /** A backoff far longer than the test, so "backing off" cannot end while it runs. */
    private static final BrokerSettings SETTINGS = new BrokerSettings(Duration.ofSeconds(2),
            new CheckedDnsResolver(NameLookup.system(), AddressPolicy.create(List.of())), Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    private static final BrokerFailures FAILURES = new BrokerFailures(e -> Optional.empty());

    /** A stand-in connection: knows whether it was closed and whether it "broke". */
    private static final class FakeConnection implements AutoCloseable {
        volatile boolean broken;
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void reusesTheOpenConnectionAndReopensOneThatBroke() throws Exception {
        var opened = new AtomicInteger();
        var shared = new SharedConnection<FakeConnection>("test", () -> {
            opened.incrementAndGet();
            return new FakeConnection();
        }, c -> !c.broken, FAILURES, SETTINGS);

        FakeConnection first = shared.get();
        assertThat(shared.get()).isSameAs(first);
        first.broken = true;
        FakeConnection second = shared.get();

        assertThat(second).isNotSameAs(first);
        assertThat(first.closed).isTrue();
        assertThat(opened).hasValue(2);
    }

    @Test
    void whileBackingOffFailsAtOnceWithTheLastFailuresClassWithoutDialling() {
        var opened = new AtomicInteger();
        var shared = new SharedConnection<FakeConnection>("test", () -> {
            opened.incrementAndGet();
            throw new BrokerException(ErrorClass.AUTH, "authentication failed");
        }, c -> true, FAILURES, SETTINGS);

        assertThatThrownBy(shared::get).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH));
        assertThatThrownBy(shared::get).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(e.getMessage()).contains("reconnecting in");
        });
        assertThat(opened).hasValue(1);
    }

    @Test
    void closesAndForgetsConnectionsNoAttemptUsedForTheIdlePeriod() throws Exception {
        var connections = new BrokerConnections<FakeConnection>(Duration.ofMinutes(10));
        var idle = new FakeConnection();
        var key = new ConnectionKey(URI.create("redis://127.0.0.1:6379"), Optional.empty());
        connections.get(key, k -> new SharedConnection<>("idle", () -> idle, c -> true, FAILURES, SETTINGS)).get();

        connections.closeIdle(System.nanoTime() + Duration.ofMinutes(5).toNanos());
        assertThat(connections.size()).isEqualTo(1);
        connections.closeIdle(System.nanoTime() + Duration.ofMinutes(11).toNanos());

        assertThat(connections.size()).isZero();
        assertThat(idle.closed).isTrue();
    }
}
