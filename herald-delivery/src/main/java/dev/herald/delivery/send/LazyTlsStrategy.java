package dev.herald.delivery.send;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * A {@link TlsStrategy} built at the first TLS connection rather than at start: building it loads the JSSE
 * provider and parses the default trust store (about a tenth of Herald's start, and nothing a plain-HTTP
 * deployment ever uses). What it verifies is the same; only when the work is done changes.
 */
final class LazyTlsStrategy implements TlsStrategy {
    private final Supplier<TlsStrategy> build;
    private volatile TlsStrategy strategy;

    LazyTlsStrategy(Supplier<TlsStrategy> build) {
        this.build = build;
    }

    private TlsStrategy strategy() {
        TlsStrategy built = strategy;
        if (built == null) {
            synchronized (this) {
                built = strategy;
                if (built == null) {
                    built = build.get();
                    strategy = built;
                }
            }
        }
        return built;
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment, Timeout handshakeTimeout,
                        FutureCallback<TransportSecurityLayer> callback) {
        strategy().upgrade(session, endpoint, attachment, handshakeTimeout, callback);
    }

    /** The interface's other form, passed on the same way. */
    @Override
    @SuppressWarnings("deprecation")
    public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
                           SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
        return strategy().upgrade(session, host, localAddress, remoteAddress, attachment, handshakeTimeout);
    }
}
