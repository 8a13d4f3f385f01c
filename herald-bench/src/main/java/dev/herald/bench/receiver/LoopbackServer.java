package dev.herald.bench.receiver;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A plain Jetty server on an ephemeral 127.0.0.1 port for the bench's own servers (the receiver, the relay):
 * one acceptor and one selector, since the machine has two cores and Herald needs them too.
 */
public record LoopbackServer(Server server, ServerConnector connector) {
    public static LoopbackServer create(String threadName, int maxThreads, Handler handler) {
        var threads = new QueuedThreadPool(maxThreads, 4);
        threads.setName(threadName);
        var server = new Server(threads);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(handler);
        return new LoopbackServer(server, connector);
    }
}
