package dev.herald.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    @TempDir
    Path results;

    @Test
    void aSecondRunTheSameDayGetsANumberedFileAndTheFirstIsKept() throws Exception {
        Report morning = new Report("morning");
        morning.row("Herald deliveries/s, fan-out 1", "100 /s", "");
        Report afternoon = new Report("afternoon");
        afternoon.row("Herald deliveries/s, fan-out 1", "200 /s", "");
        Report evening = new Report("evening");

        Path first = morning.writeNew(results, "2026-12-06-sqlite-quick");
        Path second = afternoon.writeNew(results, "2026-12-06-sqlite-quick");
        Path third = evening.writeNew(results, "2026-12-06-sqlite-quick");

        assertThat(first.getFileName()).hasToString("2026-12-06-sqlite-quick.md");
        assertThat(second.getFileName()).hasToString("2026-12-06-sqlite-quick-2.md");
        assertThat(third.getFileName()).hasToString("2026-12-06-sqlite-quick-3.md");
        assertThat(Files.readString(first)).contains("morning").contains("100 /s").doesNotContain("afternoon");
        assertThat(Files.readString(second)).contains("afternoon").contains("200 /s");
    }
}
