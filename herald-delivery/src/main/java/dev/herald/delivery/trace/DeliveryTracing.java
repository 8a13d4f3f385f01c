package dev.herald.delivery.trace;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * OpenTelemetry spans for a publish ({@code herald.publish}) and for each delivery attempt ({@code herald.attempt}),
 * and the W3C {@code traceparent} that links them: accepted from the publisher, stored with the event, continued by
 * every attempt and sent on with the delivery request. {@link #off()} (the default) creates nothing, stores nothing
 * and adds no header.
 */
public final class DeliveryTracing {
    public static final String TRACEPARENT = "traceparent";

    static final AttributeKey<Long> ACCOUNT = AttributeKey.longKey("herald.account");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("herald.endpoint");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("herald.event_type");
    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("herald.event_id");
    static final AttributeKey<String> DELIVERY_ID = AttributeKey.stringKey("herald.delivery_id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("herald.attempt");
    static final AttributeKey<Long> DELIVERIES = AttributeKey.longKey("herald.deliveries");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("herald.status");
    static final AttributeKey<String> ERROR_CLASS = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private static final DeliveryTracing OFF = new DeliveryTracing(null);
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** Null when off: every method then returns before touching OpenTelemetry. */
    private final Tracer tracer;

    private DeliveryTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** No spans, no stored context, no header: the default. */
    public static DeliveryTracing off() {
        return OFF;
    }

    /** Spans from {@code openTelemetry}'s tracer provider (the OTLP exporter in production, in-memory in tests). */
    public static DeliveryTracing with(OpenTelemetry openTelemetry) {
        return new DeliveryTracing(openTelemetry.getTracer("dev.herald.delivery"));
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** Starts the span of one publish, a child of the publisher's {@code traceparent} when it sent a valid one. */
    public PublishSpan publish(long account, String eventType, Optional<String> traceparent) {
        if (tracer == null) {
            return PublishSpan.NONE;
        }
        Span span = tracer.spanBuilder("herald.publish")
                .setParent(parent(traceparent))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(ACCOUNT, account)
                .setAttribute(EVENT_TYPE, eventType)
                .startSpan();
        return new PublishSpan(span);
    }

    /**
     * Starts the span of one attempt, continuing the trace its publish stored, and adds the {@code traceparent}
     * of this attempt to {@code headers} so the receiver can continue it too.
     */
    public AttemptSpan attempt(Delivery delivery, Endpoint endpoint, Optional<String> storedContext,
                               Map<String, String> headers) {
        if (tracer == null) {
            return AttemptSpan.NONE;
        }
        Span span = tracer.spanBuilder("herald.attempt")
                .setParent(parent(storedContext))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(ACCOUNT, delivery.accountId().value())
                .setAttribute(ENDPOINT, endpoint.publicId().value())
                .setAttribute(EVENT_TYPE, delivery.eventType())
                .setAttribute(EVENT_ID, delivery.eventId().value())
                .setAttribute(DELIVERY_ID, delivery.id().value())
                .setAttribute(ATTEMPT, (long) delivery.attempts() + 1)
                .startSpan();
        W3C.inject(Context.root().with(span), headers, Map::put);
        return new AttemptSpan(span);
    }

    private static Context parent(Optional<String> traceparent) {
        if (traceparent.isEmpty()) {
            return Context.root();
        }
        // An invalid header yields an invalid span context: the span then starts a new trace.
        return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent.get()), MAP_GETTER);
    }

    /** The span of one publish; {@link #NONE} when tracing is off. */
    public static final class PublishSpan {
        static final PublishSpan NONE = new PublishSpan(null);

        private final Span span;

        private PublishSpan(Span span) {
            this.span = span;
        }

        /** The context to store with the event, so its attempts continue this trace; empty when off. */
        public Optional<String> context() {
            if (span == null) {
                return Optional.empty();
            }
            var carrier = new HashMap<String, String>();
            W3C.inject(Context.root().with(span), carrier, Map::put);
            return Optional.ofNullable(carrier.get(TRACEPARENT));
        }

        /** Ends the span of a publish that stored {@code eventId} with {@code deliveries} deliveries. */
        public void stored(String eventId, int deliveries, boolean created) {
            if (span != null) {
                span.setAttribute(EVENT_ID, eventId);
                span.setAttribute(DELIVERIES, (long) deliveries);
                span.setAttribute(STATUS, created ? "accepted" : "repeat");
                span.end();
            }
        }

        /** Ends the span of a publish that was refused or failed. */
        public void failed(Throwable error) {
            if (span != null) {
                span.setAttribute(STATUS, "failed");
                span.setAttribute(ERROR_CLASS, error.getClass().getSimpleName());
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                span.end();
            }
        }
    }

    /** The span of one attempt; {@link #NONE} when tracing is off. */
    public static final class AttemptSpan {
        static final AttemptSpan NONE = new AttemptSpan(null);

        private final Span span;

        private AttemptSpan(Span span) {
            this.span = span;
        }

        /**
         * Ends the span with the attempt's result: {@code status} is the delivery's state after it
         * ({@code delivered}, {@code retry_scheduled}, {@code failed}…), {@code errorClass} why it failed.
         */
        public void finished(String status, OptionalInt httpStatus, Optional<String> errorClass) {
            if (span == null) {
                return;
            }
            span.setAttribute(STATUS, status);
            httpStatus.ifPresent(code -> span.setAttribute(HTTP_STATUS, (long) code));
            errorClass.ifPresent(c -> {
                span.setAttribute(ERROR_CLASS, c);
                span.setStatus(StatusCode.ERROR, c);
            });
            span.end();
        }

        /** Ends the span of an attempt that failed inside Herald. */
        public void failed(Throwable error) {
            if (span != null) {
                span.setAttribute(STATUS, "failed");
                span.setAttribute(ERROR_CLASS, error.getClass().getSimpleName());
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                span.end();
            }
        }
    }
}
