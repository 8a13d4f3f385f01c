package dev.herald.bench.target;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * An Apache HttpClient 5 async client with a fixed number of requests in flight: the bench's load generator
 * for both the HTTP ceiling and Herald's API.
 */
public final class LoadClient implements AutoCloseable {
    private final CloseableHttpAsyncClient client;
    private final Semaphore inFlight;

    private LoadClient(CloseableHttpAsyncClient client, int concurrency) {
        this.client = client;
        this.inFlight = new Semaphore(concurrency);
    }

    public static LoadClient create(int concurrency) {
        var connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(concurrency)
                .setMaxConnPerRoute(concurrency)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(Timeout.ofSeconds(60))
                        .build())
                .build();
        var client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                // One I/O thread: the other core belongs to the process under test.
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(60)).build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        client.start();
        return new LoadClient(client, concurrency);
    }

    /** Sends a request once a slot is free; the caller's thread waits for the slot, not for the answer. */
    public CompletableFuture<SimpleHttpResponse> send(String method, String uri, Map<String, String> headers,
                                                      byte[] body) {
        inFlight.acquireUninterruptibly();
        SimpleRequestBuilder builder = SimpleRequestBuilder.create(method).setUri(uri);
        headers.forEach(builder::addHeader);
        if (body != null) {
            builder.setBody(body, ContentType.APPLICATION_JSON);
        }
        SimpleHttpRequest request = builder.build();
        var result = new CompletableFuture<SimpleHttpResponse>();
        client.execute(request, new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                inFlight.release();
                result.complete(response);
            }

            @Override
            public void failed(Exception e) {
                inFlight.release();
                result.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
                inFlight.release();
                result.cancel(false);
            }
        });
        return result;
    }

    /** Waits until every request sent so far has been answered. */
    public void drain(int concurrency) {
        inFlight.acquireUninterruptibly(concurrency);
        inFlight.release(concurrency);
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
