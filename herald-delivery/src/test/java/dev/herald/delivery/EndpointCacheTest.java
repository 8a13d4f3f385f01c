package dev.herald.delivery;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.Endpoints;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import dev.herald.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointCacheTest {
    private static final Duration EXPIRED_AT_ONCE = Duration.ZERO;

    @TempDir
    Path dir;
    private Store store;
    private TestTenant tenant;
    private Endpoint endpoint;
    /** Reads of the store through the cache, by method. */
    private final AtomicInteger endpointReads = new AtomicInteger();
    private final AtomicInteger candidateReads = new AtomicInteger();
    /** While closed, reads wait after reading (a slow store); {@link #failing} makes them fail. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean failing;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        store = StoreKind.SQLITE.open(dir);
        tenant = TestData.tenant(store, Instant.now());
        endpoint = TestData.endpoint(store, tenant, "https://example.com/hook", Instant.now(), "order.created");
    }

    @AfterEach
    void close() {
        gate.countDown();
        threads.shutdownNow();
        store.close();
    }

    @Test
    void anExpiredEndpointIsReloadedByOneCallerWhileTheOthersUseTheExpiredOne() throws Exception {
        var cache = new EndpointCache(counting(store.endpoints()), Clock.systemUTC(), EXPIRED_AT_ONCE);
        assertThat(cache.get(endpoint.id())).isPresent();
        assertThat(endpointReads).hasValue(1);

        gate = new CountDownLatch(1);
        var reloading = CompletableFuture.supplyAsync(() -> cache.get(endpoint.id()), threads);
        awaitReads(endpointReads, 2);
        for (int i = 0; i < 20; i++) {
            assertThat(within(() -> cache.get(endpoint.id()))).get()
                    .extracting(s -> s.endpoint().id()).isEqualTo(endpoint.id());
        }
        assertThat(endpointReads).hasValue(2);

        gate.countDown();
        assertThat(reloading.get(10, TimeUnit.SECONDS)).isPresent();
        cache.get(endpoint.id());
        assertThat(endpointReads).as("expired again (TTL zero): the next caller reloads").hasValue(3);
    }

    @Test
    void aReloadKeepsTheSigningKeysWhileTheSecretsAreUnchangedAndKeysNewOnesAfterARotation() {
        var cache = new EndpointCache(counting(store.endpoints()), Clock.systemUTC(), EXPIRED_AT_ONCE);
        var first = cache.get(endpoint.id()).orElseThrow().keys().orElseThrow();
        assertThat(cache.get(endpoint.id()).orElseThrow().keys()).containsSame(first);
        assertThat(endpointReads).as("expired at once: reloaded from the store").hasValue(2);

        store.endpoints().rotateSecret(endpoint.id(), dev.herald.core.signing.SigningSecret.generate(),
                Duration.ofHours(1), Instant.now());
        var rotated = cache.get(endpoint.id()).orElseThrow();
        assertThat(rotated.secrets()).hasSize(2);
        assertThat(rotated.keys().orElseThrow()).isNotSameAs(first);
    }

    @Test
    void aFailedReloadLeavesTheNextCallerToTryAgain() {
        var cache = new EndpointCache(counting(store.endpoints()), Clock.systemUTC(), EXPIRED_AT_ONCE);
        cache.get(endpoint.id());
        failing = true;
        assertThatThrownBy(() -> cache.get(endpoint.id())).hasMessageContaining("store down");
        failing = false;

        cache.get(endpoint.id());
        assertThat(endpointReads).hasValue(3);
    }

    @Test
    void aLoadThatRacedAChangeIsNotKept() throws Exception {
        var cache = new EndpointCache(counting(store.endpoints()), Clock.systemUTC(), Duration.ofHours(1));
        gate = new CountDownLatch(1);
        var loading = CompletableFuture.supplyAsync(() -> cache.get(endpoint.id()), threads);
        awaitReads(endpointReads, 1);
        store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, Instant.now());
        cache.invalidate(endpoint.id());
        gate.countDown();
        loading.get(10, TimeUnit.SECONDS);

        assertThat(cache.get(endpoint.id())).get().extracting(s -> s.endpoint().status())
                .isEqualTo(EndpointStatus.PAUSED);
        assertThat(endpointReads).hasValue(2);
    }

    @Test
    void anExpiredFanOutListIsReloadedByOneCaller() throws Exception {
        var cache = new EndpointCache(counting(store.endpoints()), Clock.systemUTC(), EXPIRED_AT_ONCE);
        assertThat(cache.fanOutCandidates(tenant.accountId(), "order.created")).extracting(Endpoint::id).containsExactly(endpoint.id());

        gate = new CountDownLatch(1);
        var reloading = CompletableFuture.supplyAsync(() -> cache.fanOutCandidates(tenant.accountId(), "order.created"), threads);
        awaitReads(candidateReads, 2);
        for (int i = 0; i < 20; i++) {
            assertThat(within(() -> cache.fanOutCandidates(tenant.accountId(), "order.created"))).hasSize(1);
        }
        assertThat(candidateReads).hasValue(2);
        gate.countDown();
        assertThat(reloading.get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    /** The answer of {@code call}, which must not wait for the store's gate (a second reload would). */
    private <T> T within(Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call, threads).get(2, TimeUnit.SECONDS);
    }

    private static void awaitReads(AtomicInteger reads, int count) {
        Await.until("store read number " + count, Duration.ofSeconds(10), () -> reads.get() >= count);
    }

    /** {@code target}, counting the cache's reads, holding them while the gate is closed, failing on demand. */
    private Endpoints counting(Endpoints target) {
        return (Endpoints) Proxy.newProxyInstance(Endpoints.class.getClassLoader(), new Class<?>[]{Endpoints.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "findForDelivery" -> endpointReads.incrementAndGet();
                        case "candidatesForFanOut" -> candidateReads.incrementAndGet();
                        default -> {
                            return invoke(target, method, args);
                        }
                    }
                    Object answer = invoke(target, method, args);
                    gate.await();
                    if (failing) {
                        throw new IllegalStateException("store down");
                    }
                    return answer;
                });
    }

    private static Object invoke(Endpoints target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
