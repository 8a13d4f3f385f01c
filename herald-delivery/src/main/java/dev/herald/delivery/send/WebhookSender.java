package dev.herald.delivery.send;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.outbound.UrlPolicy;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one webhook request over HTTP(S) and classifies the outcome. Connections go only to addresses the
 * address policy allows (checked by the client's resolver, so exactly the checked address is dialled),
 * redirects are never followed, TLS is verified against the default trust store, and every attempt has one
 * total deadline covering connect, headers and body.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    /** How long closing waits for the I/O threads to stop; connections are dropped, not drained, so it is brief. */
    private static final TimeValue SHUTDOWN_WAIT = TimeValue.ofSeconds(2);
    /**
     * Stands in for the client's protocol step, which only handles HTTP authentication challenges (Herald sends
     * credentials only as the endpoint's own headers and never answers a challenge) and, to do so, parses every
     * request's path with a URI builder: 6 % of the attempt threads' CPU. The client has already set the request's
     * scheme and authority from the target by then, and the resolver still checks every address.
     */
    private static final AsyncExecChainHandler NO_AUTHENTICATION = (request, entity, scope, chain, callback) ->
            chain.proceed(request, entity, scope, callback);
    private final CloseableHttpAsyncClient client;
    private final CheckedDnsResolver resolver;
    private final ScheduledExecutorService deadlines;
    /** Exchanges in the order they started (so in deadline order); see {@link #expireOverdue}. */
    private final ConcurrentLinkedQueue<Exchange> inFlight = new ConcurrentLinkedQueue<>();
    private static final int MAX_TARGETS = 10_000;
    private final ConcurrentHashMap<URI, Target> targets = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final boolean allowHttp;
    private final String userAgent;
    private final Clock clock;

    private WebhookSender(CloseableHttpAsyncClient client, CheckedDnsResolver resolver,
                          ScheduledExecutorService deadlines, SendSettings settings, Clock clock) {
        this.client = client;
        this.resolver = resolver;
        this.deadlines = deadlines;
        this.timeout = settings.requestTimeout();
        this.allowHttp = settings.allowHttp();
        this.userAgent = settings.userAgent();
        this.clock = clock;
    }

    public static WebhookSender create(SendSettings settings, Clock clock) {
        var resolver = new CheckedDnsResolver(settings.nameLookup(), settings.addressPolicy());
        Timeout t = Timeout.of(settings.requestTimeout());
        TlsStrategy tls = new LazyTlsStrategy(() -> ClientTlsStrategyBuilder.create().buildAsync());
        var connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setTlsStrategy(tls)
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                        .setHandshakeTimeout(t).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t)
                        .setTimeToLive(TimeValue.ofMinutes(1)).setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                // Per-endpoint limits are the dispatcher's job; the pool only bounds the node as a whole, so
                // endpoints that share a host never queue behind each other's connections. The dispatcher already
                // bounds requests in flight, so the pool need not enforce its limits under one global lock (LAX:
                // per-route locks; the strict pool's lock was 3 % of the CPU at fan-out 10).
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(t).build())
                // No response timeout: the client would set it as the connection's socket timeout on every request,
                // and the pool has just set that same value (the connection config's socket timeout) on lease.
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(t)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                // Receivers' answers are kept only as a capped excerpt: no Accept-Encoding, no decompression.
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .replaceExecInterceptor(ChainElement.PROTOCOL.name(), NO_AUTHENTICATION)
                .build();
        client.start();
        ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-send-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        var sender = new WebhookSender(client, resolver, deadlines, settings, clock);
        // Checked a few times per timeout, so a request ends at most a twentieth of it late (and 100 ms at most).
        long tick = Math.clamp(settings.requestTimeout().toMillis() / 20, 5, 100);
        deadlines.scheduleWithFixedDelay(sender::expireOverdue, tick, tick, TimeUnit.MILLISECONDS);
        return sender;
    }

    /** POSTs {@code body} as JSON with {@code headers}; the future never completes exceptionally. */
    public CompletableFuture<SendResult> send(URI uri, Map<String, String> headers, byte[] body) {
        var exchange = new Exchange();
        Target.Prepared target;
        try {
            switch (targetOf(uri)) {
                case Target.Refused refused -> {
                    exchange.result.complete(SendResult.failure(refused.errorClass(), refused.message(),
                            elapsed(exchange.started)));
                    return exchange.result;
                }
                case Target.Prepared prepared -> target = prepared;
            }
        } catch (RuntimeException e) {
            exchange.finish(classify(e, exchange.started));
            return exchange.result;
        }
        try {
            // The request is built directly (no request builder copying headers into a request, and that into
            // another); set, not added, so a header named twice in different case is sent once, the last one.
            var request = new BasicHttpRequest("POST", target.scheme(), target.authority(), target.pathAndQuery());
            headers.forEach(request::setHeader);
            request.setHeader("User-Agent", userAgent);
            request.setHeader("Content-Type", "application/json");
            // What the client's RequestTargetHost would add next, in the same place, but formatted once per URL
            if (!request.containsHeader(HttpHeaders.HOST)) {
                request.addHeader(HttpHeaders.HOST, target.hostHeader());
            }
            exchange.request = client.execute(
                    new BasicRequestProducer(request, new BasicAsyncEntityProducer(body, ContentType.APPLICATION_JSON)),
                    new CappedBodyConsumer(Attempt.MAX_BODY_CHARS), exchange);
        } catch (RuntimeException e) {
            exchange.finish(classify(e, exchange.started));
            return exchange.result;
        }
        // Socket timeouts are per read; the deadline bounds slow headers, slow bodies and endless chunked bodies.
        inFlight.add(exchange);
        return exchange.result;
    }

    /**
     * What a request to {@code uri} needs from it, worked out once per endpoint URL instead of once per request (the
     * Host header's formatting alone was 1 % of the bench's CPU samples, the checks before connecting 0.5 %): the
     * address policy and the scheme rule are fixed for the sender's life, so a URL's refusal is too. Forgotten all at
     * once when there are more URLs than {@value #MAX_TARGETS}, which only a node with that many endpoints reaches.
     */
    private Target targetOf(URI uri) {
        Target target = targets.get(uri);
        if (target == null) {
            if (targets.size() >= MAX_TARGETS) {
                targets.clear();
            }
            Optional<Target.Refused> refused = refusalBeforeConnecting(uri);
            target = refused.isPresent() ? refused.get() : Target.Prepared.of(uri);
            targets.put(uri, target);
        }
        return target;
    }

    /** A URL refused before connecting, or the parts its requests are built from. */
    private sealed interface Target {
        record Refused(ErrorClass errorClass, String message) implements Target {
        }

        /** A URL's scheme, authority, {@code Host} header value and request target. */
        record Prepared(String scheme, URIAuthority authority, String hostHeader, String pathAndQuery)
                implements Target {
            static Prepared of(URI uri) {
                HttpHost host = HttpHost.create(uri);
                var authority = new URIAuthority(host);
                return new Prepared(host.getSchemeName(), authority, authority.toString(),
                        WebhookSender.pathAndQuery(uri));
            }
        }
    }

    /** The request target as the URL wrote it (still percent-encoded); {@code /} for a URL without a path. */
    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String query = uri.getRawQuery();
        return query == null ? path : path + "?" + query;
    }

    /**
     * Times out the exchanges whose deadline passed. Every exchange has the same timeout, so deadlines pass in
     * the order exchanges started: the queue is checked from its head, and finished exchanges are dropped on the
     * way (one queue and one periodic check instead of a timer scheduled and cancelled per request).
     */
    private void expireOverdue() {
        try {
            long now = System.nanoTime();
            for (Exchange head = inFlight.peek(); head != null; head = inFlight.peek()) {
                if (!head.result.isDone() && head.deadlineNanos - now > 0) {
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

    /** One request: its outcome, its deadline and, while it runs, the client's handle to cancel it. */
    private final class Exchange implements FutureCallback<CappedBodyConsumer.Response> {
        final long started = System.nanoTime();
        final long deadlineNanos = started + timeout.toNanos();
        final CompletableFuture<SendResult> result = new CompletableFuture<>();
        volatile Future<CappedBodyConsumer.Response> request;

        @Override
        public void completed(CappedBodyConsumer.Response response) {
            finish(answered(response, started));
        }

        @Override
        public void failed(Exception e) {
            finish(classify(e, started));
        }

        @Override
        public void cancelled() {
            finish(timedOut(started));
        }

        void finish(SendResult outcome) {
            result.complete(outcome);
            // Finished exchanges wait in the deadline queue until they reach its head: keep them small.
            request = null;
        }

        void expire() {
            if (result.complete(timedOut(started))) {
                var running = request;
                if (running != null) {
                    running.cancel(true);
                }
            }
            request = null;
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

    private SendResult answered(CappedBodyConsumer.Response response, long started) {
        int status = response.status();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        long duration = elapsed(started);
        if (status >= 200 && status < 300) {
            return new SendResult(OptionalInt.of(status), body, Optional.empty(), Optional.empty(), duration,
                    Optional.empty());
        }
        Optional<Duration> retryAfter = (status == 429 || status == 503)
                ? response.retryAfter().flatMap(v -> RetryAfter.parse(v, clock.instant()))
                : Optional.empty();
        boolean redirect = status >= 300 && status < 400;
        ErrorClass errorClass = redirect ? ErrorClass.REDIRECT : ErrorClass.STATUS;
        String message = redirect ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
        return new SendResult(OptionalInt.of(status), body, Optional.of(errorClass), Optional.of(message), duration,
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
                case ConnectTimeoutException c -> {
                    return timedOut(started);
                }
                case SocketTimeoutException s -> {
                    return timedOut(started);
                }
                case java.util.concurrent.TimeoutException s -> {
                    return timedOut(started);
                }
                case HttpHostConnectException c -> {
                    return SendResult.failure(ErrorClass.CONNECT, connectMessage(c), duration);
                }
                case ConnectException c -> {
                    return SendResult.failure(ErrorClass.CONNECT, connectMessage(c), duration);
                }
                case SSLException s -> {
                    return SendResult.failure(ErrorClass.TLS, "tls: " + shortMessage(s), duration);
                }
                case HttpException h -> {
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

    /**
     * Stops the client's I/O threads first and closes it once they are gone: closed at once while they still run,
     * HttpCore closes their selectors under them and each logs a ClosedSelectorException as an error.
     */
    @Override
    public void close() {
        deadlines.shutdownNow();
        client.initiateShutdown();
        try {
            client.awaitShutdown(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close(CloseMode.IMMEDIATE);
    }
}
