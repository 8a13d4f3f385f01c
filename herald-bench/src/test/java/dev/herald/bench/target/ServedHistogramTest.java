package dev.herald.bench.target;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServedHistogramTest {
    private static final Map<String, String> PUBLISHES = Map.of("route", "/v1/events", "method", "POST", "status", "202");

    private static String metrics(int within1ms, int within5ms, int within50ms, int all) {
        return """
                # TYPE herald_http_request_duration_seconds histogram
                herald_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/events",status="202"} %d
                herald_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/events",status="202"} %d
                herald_http_request_duration_seconds_bucket{le="0.05",method="POST",route="/v1/events",status="202"} %d
                herald_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/events",status="202"} %d
                herald_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/events",status="422"} 99
                herald_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/events",status="422"} 99
                herald_http_request_duration_seconds_count{method="POST",route="/v1/events",status="202"} %d
                """.formatted(within1ms, within5ms, within50ms, all, all);
    }

    @Test
    void readsOnlyTheWantedSeriesAndGivesTheBoundOfEachPercentile() {
        var histogram = ServedHistogram.parse(metrics(50, 90, 99, 100), PUBLISHES);

        assertThat(histogram.count()).isEqualTo(100);
        assertThat(histogram.boundAt(50)).contains(0.001);
        assertThat(histogram.boundAt(90)).contains(0.005);
        assertThat(histogram.boundAt(99)).contains(0.05);
        assertThat(histogram.boundAt(100)).contains(Double.POSITIVE_INFINITY);
    }

    @Test
    void theDifferenceOfTwoReadingsCoversOnlyTheRequestsInBetween() {
        var before = ServedHistogram.parse(metrics(50, 90, 99, 100), PUBLISHES);
        var after = ServedHistogram.parse(metrics(50, 180, 199, 200), PUBLISHES);

        var between = after.since(before);

        assertThat(between.count()).isEqualTo(100);
        assertThat(between.boundAt(50)).contains(0.005);
        assertThat(between.boundAt(99)).contains(0.05);
    }

    @Test
    void noSeriesMeansNoCountAndNoBound() {
        var histogram = ServedHistogram.parse("# nothing here\n", PUBLISHES);

        assertThat(histogram.count()).isZero();
        assertThat(histogram.boundAt(99)).isEmpty();
    }
}
