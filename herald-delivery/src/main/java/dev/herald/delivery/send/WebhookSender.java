package dev.herald.delivery.send;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.outbound.UrlPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends one webhook request over HTTP/1.1 and classifies the outcome. Connections go only to addresses the address
 * policy allows (resolved and checked here, so exactly the checked address is dialled), redirects are never followed,
 * TLS is verified against the default trust store (host name included), and every attempt has one total deadline
 * covering connect, TLS, headers and body.
 *
 * <p>Each request runs on the calling virtual thread with blocking I/O on a kept-alive {@link Http1Connection};
 * this replaced Apache HttpClient 5's async client, whose request pipeline (exec chain, producers, consumers, header
 * objects, futures, I/O reactor hand-offs) was a third of the bench's CPU samples at fan-out 10.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    /** Below common receivers' keep-alive limits (nginx 75 s, most load balancers 60 s). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A connection is re-opened at least this often, so a receiver's changed DNS answer is followed. */
    private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_TARGETS = 10_000;
    private final CheckedDnsResolver resolver;
    private final ScheduledExecutorService deadlines;
    private final IdleConnections idle;
    private final Supplier<SSLSocketFactory> tlsSockets;
    /** Exchanges in the order they started (so in deadline order); see {@link #expireOverdue}. */
    private final ConcurrentLinkedQueue<Exchange> inFlight = new ConcurrentLinkedQueue<>();
    /**
     * Keyed by the URL's text ({@code URI.toString} gives back the text it was parsed from): a {@code URI} key was
     * compared component by component, with percent-decoding, at every request.
     */
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final long timeoutNanos;
    private final boolean allowHttp;
    private final String userAgent;
    private final Clock clock;

    private WebhookSender(CheckedDnsResolver resolver, ScheduledExecutorService deadlines,
                          Supplier<SSLSocketFactory> tlsSockets, SendSettings settings, Clock clock) {
        this.resolver = resolver;
        this.deadlines = deadlines;
        this.tlsSockets = tlsSockets;
        this.idle = new IdleConnections(settings.maxConnections(), MAX_IDLE_NANOS, MAX_AGE_NANOS);
        this.timeout = settings.requestTimeout();
        this.timeoutNanos = settings.requestTimeout().toNanos();
        this.allowHttp = settings.allowHttp();
        this.userAgent = settings.userAgent();
        this.clock = clock;
    }

    public static WebhookSender create(SendSettings settings, Clock clock) {
        // The default trust store's TLS set-up loads hundreds of classes: only once a receiver uses https (asked for
        // when a TLS connection opens; the JDK makes its default context once).
        return create(settings, clock, () -> {
            try {
                return SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        });
    }

    /** With the TLS sockets of {@code tls} (a test's own trust store) instead of the default trust store's. */
    static WebhookSender create(SendSettings settings, Clock clock, Supplier<SSLSocketFactory> tls) {
        var resolver = new CheckedDnsResolver(settings.nameLookup(), settings.addressPolicy());
        ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-send-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        var sender = new WebhookSender(resolver, deadlines, tls, settings, clock);
        // Checked a few times per timeout, so a request ends at most a twentieth of it late (and 100 ms at most).
        long tick = Math.clamp(settings.requestTimeout().toMillis() / 20, 5, 100);
        deadlines.scheduleWithFixedDelay(sender::expireOverdue, tick, tick, TimeUnit.MILLISECONDS);
        deadlines.scheduleWithFixedDelay(sender::closeIdleConnections, 1, 1, TimeUnit.SECONDS);
        return sender;
    }

    /**
     * POSTs {@code body} as JSON with {@code headers}; the future never completes exceptionally. On a virtual thread
     * the request runs on it and the future is complete on return; any other thread hands it to a new virtual thread.
     */
    public CompletableFuture<SendResult> send(URI uri, Map<String, String> headers, byte[] body) {
        if (Thread.currentThread().isVirtual()) {
            return CompletableFuture.completedFuture(sendNow(uri, headers, body));
        }
        var result = new CompletableFuture<SendResult>();
        Thread.ofVirtual().start(() -> result.complete(sendNow(uri, headers, body)));
        return result;
    }

    private SendResult sendNow(URI uri, Map<String, String> headers, byte[] body) {
        long started = System.nanoTime();
        Target.Prepared target;
        try {
            switch (targetOf(uri)) {
                case Target.Refused refused -> {
                    return SendResult.failure(refused.errorClass(), refused.message(), elapsed(started));
                }
                case Target.Prepared prepared -> target = prepared;
            }
        } catch (RuntimeException e) {
            return classify(e, started);
        }
        var exchange = new Exchange(started + timeoutNanos);
        inFlight.add(exchange);
        try {
            return answered(exchange(target, headers, body, exchange), started);
        } catch (Exception e) {
            return exchange.expired() ? timedOut(started) : classify(e, started);
        } finally {
            exchange.finish();
        }
    }

    /**
     * One request on an idle connection to the target, or a new one. A kept-alive connection the receiver closed
     * while it waited fails before any answer arrives: the request is then sent once more on a new connection (what
     * browsers and Go's and OkHttp's clients do), since a receiver that closed it never saw the request.
     */
    private Http1Connection.Response exchange(Target.Prepared target, Map<String, String> headers, byte[] body,
                                              Exchange exchange) throws IOException {
        Optional<Http1Connection> kept = idle.take(target.route());
        Http1Connection connection = kept.isPresent() ? kept.get() : open(target, exchange);
        Http1Connection.Response response;
        while (true) {
            exchange.using(connection);
            try {
                response = connection.post(target.requestLine(), headers, target.fixedHeaders(), body);
                break;
            } catch (IOException e) {
                connection.close();
                // Once at most: the new connection is not a reused one.
                if (!connection.reused() || !connection.unanswered() || exchange.expired()
                        || e instanceof Http1Connection.HttpFormatException) {
                    throw e;
                }
                connection = open(target, exchange);
            }
        }
        if (response.reusable() && exchange.finish()) {
            idle.put(target.route(), connection);
        } else {
            connection.close();
        }
        return response;
    }

    /** Connects to the first of the host's allowed addresses that accepts, with TLS for https. */
    private Http1Connection open(Target.Prepared target, Exchange exchange) throws IOException {
        IdleConnections.Route route = target.route();
        List<InetAddress> addresses = resolver.checked(route.host());
        IOException failure = null;
        for (InetAddress address : addresses) {
            var socket = new Socket();
            exchange.using(socket);
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, route.port()), exchange.millisLeft());
                if (!route.tls()) {
                    return new Http1Connection(socket, Attempt.MAX_BODY_CHARS);
                }
                var tls = (SSLSocket) tlsSockets.get().createSocket(socket, target.tlsHost(), route.port(), true);
                exchange.using(tls);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return new Http1Connection(tls, Attempt.MAX_BODY_CHARS);
            } catch (IOException e) {
                socket.close();
                if (exchange.expired() || e instanceof SSLException) {
                    throw e;
                }
                failure = e;
            }
        }
        throw failure == null ? new UnknownHostException(route.host()) : failure;
    }

    /**
     * What a request to {@code uri} needs from it, worked out once per endpoint URL instead of once per request: the
     * address policy and the scheme rule are fixed for the sender's life, so a URL's refusal is too. Forgotten all at
     * once when there are more URLs than {@value #MAX_TARGETS}, which only a node with that many endpoints reaches.
     */
    private Target targetOf(URI uri) {
        String url = uri.toString();
        Target target = targets.get(url);
        if (target == null) {
            if (targets.size() >= MAX_TARGETS) {
                targets.clear();
            }
            Optional<Target.Refused> refused = refusalBeforeConnecting(uri);
            target = refused.isPresent() ? refused.get() : Target.Prepared.of(uri, userAgent);
            targets.put(url, target);
        }
        return target;
    }

    /** A URL refused before connecting, or the parts its requests are built from. */
    private sealed interface Target {
        record Refused(ErrorClass errorClass, String message) implements Target {
        }

        /**
         * Where a URL's requests go, the host name TLS checks the certificate against, the request line, and the
         * headers every request to it ends with ({@code User-Agent}, {@code Content-Type}, {@code Host}), as bytes.
         */
        record Prepared(IdleConnections.Route route, String tlsHost, byte[] requestLine, byte[] fixedHeaders)
                implements Target {
            static Prepared of(URI uri, String userAgent) {
                boolean tls = uri.getScheme().equalsIgnoreCase("https");
                String host = uri.getHost();
                int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
                String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                String hostHeader = uri.getPort() == -1 ? host : host + ":" + uri.getPort();
                String fixed = "User-Agent: " + userAgent + "\r\nContent-Type: application/json\r\nHost: "
                        + hostHeader + "\r\n";
                return new Prepared(new IdleConnections.Route(tls, bare.toLowerCase(Locale.ROOT), port), bare,
                        ("POST " + pathAndQuery(uri) + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1),
                        fixed.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** The request target as the URL wrote it (still percent-encoded); {@code /} for a URL without a path. */
    private static String pathAndQuery(URI uri) {
        URI ascii = uri.toString().chars().allMatch(c -> c < 0x7f) ? uri : URI.create(uri.toASCIIString());
        String path = ascii.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String query = ascii.getRawQuery();
        return query == null ? path : path + "?" + query;
    }

    /**
     * Ends the exchanges whose deadline passed by closing their socket, which the thread blocked on it sees at once.
     * Every exchange has the same timeout, so deadlines pass in the order exchanges started: the queue is checked
     * from its head, and finished exchanges are dropped on the way (one queue and one periodic check instead of a
     * timer scheduled and cancelled per request, or a socket timeout, which costs a timer per blocking read).
     */
    private void expireOverdue() {
        try {
            long now = System.nanoTime();
            for (Exchange head = inFlight.peek(); head != null; head = inFlight.peek()) {
                if (!head.finished && head.deadlineNanos - now > 0) {
                    return;
                }
                inFlight.poll();
                head.expire();
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and carry on with the next check.
            LOG.error("WebhookSender: could not expire overdue requests; will check again. Will keep running.", e);
        }
    }

    private void closeIdleConnections() {
        try {
            idle.closeExpired();
        } catch (RuntimeException e) {
            LOG.error("WebhookSender: could not close idle connections; will try again. Will keep running.", e);
        }
    }

    /** One request's deadline, and the socket it is using, which the deadline closes. */
    private static final class Exchange {
        final long deadlineNanos;
        volatile boolean finished;
        private boolean expired;
        private AutoCloseable current;

        Exchange(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        /** Notes the socket the exchange now waits on; an exchange already past its deadline closes it instead. */
        void using(AutoCloseable socket) throws SocketTimeoutException {
            synchronized (this) {
                if (!expired) {
                    current = socket;
                    return;
                }
            }
            closeQuietly(socket);
            throw new SocketTimeoutException("deadline passed");
        }

        int millisLeft() throws SocketTimeoutException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            return (int) Math.min(left, Integer.MAX_VALUE);
        }

        synchronized boolean expired() {
            return expired;
        }

        /** Ends the exchange; false when its deadline ended it first (its connection is closed, not reused). */
        synchronized boolean finish() {
            current = null;
            if (expired) {
                return false;
            }
            finished = true;
            return true;
        }

        void expire() {
            AutoCloseable socket;
            synchronized (this) {
                if (finished) {
                    return;
                }
                expired = true;
                socket = current;
                current = null;
            }
            if (socket != null) {
                closeQuietly(socket);
            }
        }

        private static void closeQuietly(AutoCloseable socket) {
            try {
                socket.close();
            } catch (Exception e) {
                // closing is all that was wanted: the blocked read or write fails, which ends the exchange
            }
        }
    }

    private Optional<Target.Refused> refusalBeforeConnecting(URI uri) {
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(new Target.Refused(ErrorClass.BLOCKED, "blocked: scheme " + scheme + " is not allowed"));
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of(new Target.Refused(ErrorClass.DNS, "url has no host"));
        }
        if (uri.getRawUserInfo() != null) {
            // Endpoint URLs cannot have any (UrlPolicy); the client's protocol step refused them, here it is done.
            return Optional.of(new Target.Refused(ErrorClass.PROTOCOL,
                    "protocol error: Request URI authority contains deprecated userinfo component"));
        }
        // The client hands literal addresses to the resolver too (see WebhookSenderTest), but a literal is
        // judged here as well so that safety never depends on that internal detail.
        Optional<InetAddress> literal = UrlPolicy.literalAddress(host.toLowerCase(Locale.ROOT));
        if (literal.isPresent()) {
            Optional<String> refusal = resolver.refusal(literal.get());
            if (refusal.isPresent()) {
                return Optional.of(new Target.Refused(ErrorClass.BLOCKED, refusal.get()));
            }
        }
        return Optional.empty();
    }

    /** Every status an answer can have (three digits), each boxed once: an attempt's result holds one. */
    private static final OptionalInt[] STATUSES = new OptionalInt[1000];

    static {
        for (int i = 100; i < STATUSES.length; i++) {
            STATUSES[i] = OptionalInt.of(i);
        }
    }

    /** {@code status} as an OptionalInt, the shared one for a three-digit status. */
    static OptionalInt status(int status) {
        return status >= 100 && status < STATUSES.length ? STATUSES[status] : OptionalInt.of(status);
    }

    private SendResult answered(Http1Connection.Response response, long started) {
        int status = response.status();
        String body = response.body();
        long duration = elapsed(started);
        if (status >= 200 && status < 300) {
            return new SendResult(status(status), body, Optional.empty(), Optional.empty(), duration,
                    Optional.empty());
        }
        Optional<Duration> retryAfter = (status == 429 || status == 503)
                ? response.retryAfter().flatMap(v -> RetryAfter.parse(v, clock.instant()))
                : Optional.empty();
        boolean redirect = status >= 300 && status < 400;
        ErrorClass errorClass = redirect ? ErrorClass.REDIRECT : ErrorClass.STATUS;
        String message = redirect ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
        return new SendResult(status(status), body, Optional.of(errorClass), Optional.of(message), duration,
                retryAfter);
    }

    private SendResult timedOut(long started) {
        return SendResult.failure(ErrorClass.TIMEOUT, "timeout after " + timeout.toMillis() + " ms", elapsed(started));
    }

    private SendResult classify(Throwable failure, long started) {
        long duration = elapsed(started);
        for (Throwable e = failure; e != null; e = e.getCause()) {
            switch (e) {
                case BlockedAddressException b -> {
                    return SendResult.failure(ErrorClass.BLOCKED, b.getMessage(), duration);
                }
                case UnknownHostException u -> {
                    return SendResult.failure(ErrorClass.DNS, "could not resolve " + u.getMessage(), duration);
                }
                case SocketTimeoutException s -> {
                    return timedOut(started);
                }
                case ConnectException c -> {
                    return SendResult.failure(ErrorClass.CONNECT, connectMessage(c), duration);
                }
                case SSLException s -> {
                    return SendResult.failure(ErrorClass.TLS, "tls: " + shortMessage(s), duration);
                }
                case Http1Connection.HttpFormatException h -> {
                    return SendResult.failure(ErrorClass.PROTOCOL, "protocol error: " + shortMessage(h), duration);
                }
                default -> {
                }
            }
        }
        if (failure instanceof IOException) {
            return SendResult.failure(ErrorClass.CONNECT, "connection error: " + shortMessage(failure), duration);
        }
        return SendResult.failure(ErrorClass.PROTOCOL, "request failed: " + shortMessage(failure), duration);
    }

    private static String connectMessage(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return "connection refused";
        }
        if (m.contains("unreachable")) {
            return "network unreachable";
        }
        return "connection failed: " + shortMessage(e);
    }

    private static String shortMessage(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Closes the idle connections and ends the requests still running (they finish as timed out). */
    @Override
    public void close() {
        deadlines.shutdownNow();
        idle.close();
        for (Exchange exchange = inFlight.poll(); exchange != null; exchange = inFlight.poll()) {
            exchange.expire();
        }
    }
}
