package dev.herald.delivery.send;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LazyTlsStrategyTest {
    /** Records the endpoints it was asked to upgrade. */
    private static final class Recording implements TlsStrategy {
        final List<String> upgraded = new ArrayList<>();

        @Override
        public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
                            Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
            upgraded.add(endpoint.getHostName());
        }

        @Override
        public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
                               SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
            upgraded.add(host.getHostName());
            return true;
        }
    }

    @Test
    void builds_the_strategy_at_the_first_tls_connection_and_only_once() {
        var builds = new AtomicInteger();
        var real = new Recording();
        var lazy = new LazyTlsStrategy(() -> {
            builds.incrementAndGet();
            return real;
        });
        assertThat(builds).hasValue(0);

        lazy.upgrade(null, new HttpHost("https", "a.example", 443), null, Timeout.ofSeconds(1), null);
        assertThat(lazy.upgrade(null, new HttpHost("https", "b.example", 443), null, null, null,
                Timeout.ofSeconds(1))).isTrue();

        assertThat(builds).hasValue(1);
        assertThat(real.upgraded).containsExactly("a.example", "b.example");
    }
}
