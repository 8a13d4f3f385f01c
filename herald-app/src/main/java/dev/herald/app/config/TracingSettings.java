package dev.herald.app.config;

import java.util.Optional;

/**
 * OpenTelemetry tracing: spans are exported over OTLP/HTTP to {@code exporterEndpoint} when it is set
 * ({@code otel.exporter.endpoint}); without it tracing is off and costs nothing.
 */
public record TracingSettings(Optional<String> exporterEndpoint, String serviceName) {
    public boolean enabled() {
        return exporterEndpoint.isPresent();
    }
}
