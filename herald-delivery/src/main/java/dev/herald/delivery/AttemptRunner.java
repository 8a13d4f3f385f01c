package dev.herald.delivery;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.signing.DeliverySignatures;
import dev.herald.delivery.destination.DestinationSender;
import dev.herald.delivery.destination.OutboundMessage;
import dev.herald.delivery.send.HeaderMap;
import dev.herald.delivery.send.SendResult;
import dev.herald.delivery.trace.DeliveryTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * Runs one attempt: reads the endpoint (cached), signs the stored payload with every valid secret, sends it
 * to the endpoint's destination (HTTP or a broker, by its type) and hands the judged outcome to the attempt
 * writer's queue. Deliveries of endpoints that stopped receiving (paused, disabled, deleted) are dropped without an
 * attempt; the store already holds or cancelled them.
 */
final class AttemptRunner implements Dispatcher.AttemptStarter {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final EndpointCache cache;
    private final DestinationSender sender;
    private final DeliverySignatures signatures;
    private final AttemptResults results;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Executor executor;
    private final DeliveryMetrics metrics;
    private final DeliveryTracing tracing;
    private final RandomGenerator random = RandomGenerator.getDefault();

    AttemptRunner(EndpointCache cache, DestinationSender sender, AttemptResults results, DeliverySettings settings,
                  Clock clock, Executor executor, DeliveryMetrics metrics, DeliveryTracing tracing) {
        this.cache = cache;
        this.sender = sender;
        this.signatures = DeliverySignatures.create(settings.signatureHeaderPrefix());
        this.results = results;
        this.settings = settings;
        this.clock = clock;
        this.executor = executor;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void start(DeliveryJob job, BiConsumer<DeliveryJob, AttemptEnd> done) {
        // Off the caller's thread: the endpoint lookup may read the database, and callers include I/O threads.
        executor.execute(() -> {
            var end = new Ending(job, done);
            try {
                attempt(job, false, end);
            } catch (Throwable e) {
                end.accept(null, e);
            }
        });
    }

    /**
     * Tells the dispatcher how one attempt ended, once: an attempt that failed while it was being started may already
     * have told (the endpoint was gone, and the dispatcher's answer threw), and must not free its slot twice.
     */
    private static final class Ending implements Then {
        private final DeliveryJob job;
        private final BiConsumer<DeliveryJob, AttemptEnd> done;
        private volatile boolean told;

        Ending(DeliveryJob job, BiConsumer<DeliveryJob, AttemptEnd> done) {
            this.job = job;
            this.done = done;
        }

        @Override
        public void accept(AttemptOutcome outcome, Throwable failure) {
            if (told) {
                return;
            }
            told = true;
            if (failure != null) {
                logUnexpected(job, failure);
                done.accept(job, new AttemptEnd.Broken());
            } else if (outcome != null) {
                done.accept(job, new AttemptEnd.Sent(outcome.endpoint().rateLimit()));
            } else {
                done.accept(job, new AttemptEnd.EndpointGone());
            }
        }
    }

    private static void logUnexpected(DeliveryJob job, Throwable failure) {
        LOG.error("AttemptRunner: attempt of delivery {} failed unexpectedly; it is retried when its lease expires. "
                + "Will keep running.", job.claimed().delivery().id(), failure);
    }

    /**
     * Sends the job now and completes with its outcome once handed to the writer; empty when the endpoint no
     * longer receives and nothing was sent. {@code evenIfNotReceiving} is for explicit test sends.
     */
    CompletableFuture<Optional<AttemptOutcome>> attempt(DeliveryJob job, boolean evenIfNotReceiving) {
        var answer = new CompletableFuture<Optional<AttemptOutcome>>();
        attempt(job, evenIfNotReceiving, (outcome, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(Optional.ofNullable(outcome));
            }
        });
        return answer;
    }

    /** How an attempt ended: its outcome once handed to the writer (null when nothing was sent), or a failure. */
    @FunctionalInterface
    private interface Then {
        void accept(AttemptOutcome outcome, Throwable failure);
    }

    /**
     * As {@link #attempt(DeliveryJob, boolean)}, telling {@code then} once: a chain of futures per attempt (the
     * outcome's, the span's, the caller's) was three futures, their completions and lambdas per delivery.
     */
    private void attempt(DeliveryJob job, boolean evenIfNotReceiving, Then then) {
        EndpointId endpointId = job.endpointId();
        Optional<EndpointCache.Snapshot> found = cache.get(endpointId);
        if (!evenIfNotReceiving && found.isPresent() && !found.get().endpoint().status().delivers()) {
            // The cached copy may predate a resume (by another node, or here a moment before the cache was told),
            // and skipping a claimed delivery leaves it to wait out its lease. A rare path, so it reads the store.
            found = cache.reload(endpointId);
        }
        if (found.isEmpty() || !(evenIfNotReceiving || found.get().endpoint().status().delivers())) {
            then.accept(null, null);
            return;
        }
        var snapshot = found.get();
        Instant attemptedAt = clock.instant();
        byte[] body = job.claimed().body().utf8();
        // Room for the endpoint's own headers, a sequence, a traceparent and up to six signature headers, so it never
        // grows.
        var headers = new HeaderMap(snapshot.endpoint().headers().size() + 8);
        headers.putAll(snapshot.endpoint().headers());
        // a FIFO endpoint's place in order, so its receiver can tell a gap (a delivery that failed for good)
        job.claimed().delivery().sequence().ifPresent(n -> headers.put("webhook-sequence", Long.toString(n)));
        var span = tracing.attempt(job.claimed().delivery(), snapshot.endpoint(), job.claimed().traceContext(), headers);
        CompletableFuture<SendResult> sending;
        if (snapshot.keys().isEmpty()) {
            sending = CompletableFuture.completedFuture(
                    SendResult.failure(ErrorClass.PROTOCOL, "endpoint has no valid signing secret", 0));
        } else if (snapshot.uri().isEmpty()) {
            sending = CompletableFuture.completedFuture(
                    SendResult.failure(ErrorClass.PROTOCOL, "endpoint url is malformed", 0));
        } else {
            signatures.putHeaderBytes(headers, job.claimed().delivery().eventId(), job.claimed().format(), attemptedAt,
                    body, snapshot.keys().get());
            var delivery = job.claimed().delivery();
            sending = sender.send(new OutboundMessage(snapshot.endpoint().destination(), snapshot.uri().get(),
                    delivery.eventId().value(), delivery.eventType(), headers, body));
        }
        sending.whenComplete((result, failure) -> {
            AttemptOutcome outcome;
            try {
                if (failure != null) {
                    throw failure;
                }
                outcome = AttemptOutcome.judge(job.claimed().delivery(), snapshot.endpoint(), result, attemptedAt,
                        clock, settings.health().retrySchedule(), random);
                metrics.attempted(outcome);
                span.finished(DeliveryMetrics.outcomeName(outcome.record().newState()), result.status(),
                        result.errorClass().map(ErrorClass::wireName));
                results.submit(outcome);
            } catch (Throwable e) {
                try {
                    span.failed(e);
                } finally {
                    // the dispatcher hears of every attempt's end, whatever the span does
                    then.accept(null, e);
                }
                return;
            }
            then.accept(outcome, null);
        });
    }
}
