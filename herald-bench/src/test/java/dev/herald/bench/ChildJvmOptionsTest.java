package dev.herald.bench;

import dev.herald.bench.target.HeraldTarget;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChildJvmOptionsTest {
    @Test
    void theChildJvmGetsTheLaunchersCollectorUnlessAnOptionPicksOne() {
        assertThat(optionsFor()).containsExactly("-Xmx256m", HeraldTarget.LAUNCHER_COLLECTOR);
        assertThat(optionsFor("--heap", "1g", "--jvm-option", "-XX:+UseG1GC"))
                .containsExactly("-Xmx1g", "-XX:+UseG1GC");
        assertThat(optionsFor("--jvm-option", "-Xlog:gc"))
                .containsExactly("-Xmx256m", HeraldTarget.LAUNCHER_COLLECTOR, "-Xlog:gc");
    }

    @Test
    void theLauncherScriptPicksTheSameCollector() throws Exception {
        String launcher = Files.readString(Path.of("..", "herald"));

        assertThat(launcher).contains("opts=\"" + HeraldTarget.LAUNCHER_COLLECTOR + " $opts\"");
    }

    private static java.util.List<String> optionsFor(String... args) {
        var bench = new Bench();
        new CommandLine(bench).parseArgs(args);
        return bench.childJvmOptions();
    }
}
