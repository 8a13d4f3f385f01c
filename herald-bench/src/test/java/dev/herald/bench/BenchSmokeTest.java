package dev.herald.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchSmokeTest {
    @TempDir
    Path results;

    @Test
    void tinyQuickRunCompletesAndEveryDeliveryArrives() throws Exception {
        var output = new ByteArrayOutputStream();
        var result = Bench.run(new PrintStream(output, true, StandardCharsets.UTF_8),
                "--quick", "--herald", "embedded", "--only", "ceilings,throughput,isolation,batch,latency,backlog",
                "--ceiling-requests", "500", "--events", "100", "--backlog", "200", "--latency-seconds", "1",
                "--rate", "50", "--out", results.toString());

        String report = Files.readString(result.report());
        assertThat(result.everyDeliveryArrived()).as(output.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(report)
                .contains("| ceiling C, fan-out 1")
                .contains("| ceiling C, fan-out 10")
                .contains("against the relay that does Herald's HTTP work alone")
                .contains("| Herald deliveries/s, fan-out 1")
                .contains("| Herald deliveries/s, fan-out 10")
                .contains("| Herald deliveries/s, fan-out 1, published in batches of 100")
                .contains("publish → first attempt p99")
                .containsPattern("publish inside Herald, arrival → 202 [^|]*\\| ≤ [0-9.]+ ms / ≤ [0-9.]+ ms \\|")
                .containsPattern("fan-out 10: store statements per delivery [^|]*\\| [0-9]+\\.[0-9]{2} \\(")
                .containsPattern("fan-out 1: store's write connection busy [^|]*\\| [0-9.]+ % of the run "
                        + "\\([0-9]+\\.[0-9]{3} write transactions per delivery, [0-9.,]+ deliveries each\\) \\|")
                .contains("backlog: drain rate")
                .contains("isolation: 99 endpoints")
                .doesNotContain("of 0 |");
    }

    @Test
    void tinyDestinationsRunConfirmsEveryDeliveryOnEachBroker() throws Exception {
        var output = new ByteArrayOutputStream();
        var result = Bench.run(new PrintStream(output, true, StandardCharsets.UTF_8),
                "--quick", "--herald", "embedded", "--only", "destinations", "--events", "100",
                "--out", results.toString());

        String report = Files.readString(result.report());
        assertThat(result.everyDeliveryArrived()).as(output.toString(StandardCharsets.UTF_8)).isTrue();
        boolean ci = "true".equals(System.getenv("CI"));
        for (String type : java.util.List.of("rabbitmq", "nats", "redis_stream")) {
            // Outside CI a broker that is not running is skipped with a note; under CI .ci/run started it.
            if (ci || !report.contains("destination " + type + ": nothing answers")) {
                assertThat(report).contains("| destination " + type + ", fan-out 1");
            }
        }
    }
}
