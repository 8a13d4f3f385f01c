package dev.herald.app.ops;

import dev.herald.app.config.TracingSettings;
import dev.herald.delivery.trace.DeliveryTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import java.util.concurrent.TimeUnit;

/**
 * Herald's OpenTelemetry: off unless {@code otel.exporter.endpoint} is set, then spans are batched and exported over
 * OTLP/HTTP to {@code <endpoint>/v1/traces}. Owns the SDK it builds and flushes it on close.
 */
public final class Telemetry implements AutoCloseable {
    private static final Telemetry OFF = new Telemetry(DeliveryTracing.off(), () -> { });

    private final DeliveryTracing tracing;
    private final Runnable shutdown;

    private Telemetry(DeliveryTracing tracing, Runnable shutdown) {
        this.tracing = tracing;
        this.shutdown = shutdown;
    }

    /** From the configuration: {@link #off()} without an exporter endpoint, no SDK loaded at all. */
    public static Telemetry from(TracingSettings settings, String version) {
        if (settings.exporterEndpoint().isEmpty()) {
            return OFF;
        }
        String endpoint = settings.exporterEndpoint().get().replaceAll("/+$", "");
        var exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.endsWith("/v1/traces") ? endpoint : endpoint + "/v1/traces")
                .build();
        var resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), settings.serviceName(),
                AttributeKey.stringKey("service.version"), version)));
        var provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        var sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        // Bounded: a collector that is down must not hold up the stop for long.
        return new Telemetry(DeliveryTracing.with(sdk), () -> sdk.shutdown().join(5, TimeUnit.SECONDS));
    }

    /** Spans through an OpenTelemetry the caller owns (tests use the in-memory exporter). */
    public static Telemetry using(OpenTelemetry openTelemetry) {
        return new Telemetry(DeliveryTracing.with(openTelemetry), () -> { });
    }

    public static Telemetry off() {
        return OFF;
    }

    public DeliveryTracing tracing() {
        return tracing;
    }

    /** Exports the spans still buffered (waiting at most a few seconds), then stops. */
    @Override
    public void close() {
        shutdown.run();
    }
}
