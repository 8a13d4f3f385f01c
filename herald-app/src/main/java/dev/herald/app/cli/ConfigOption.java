package dev.herald.app.cli;

import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The {@code --config} option every command shares, and the environment it is read with. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (default: $HERALD_CONFIG, else built-in defaults). HERALD_* variables override it.")
    Path file;

    Map<String, String> environment = System.getenv();

    /** The launcher's directory ({@code -Dherald.home}, set by ./herald): relative SQLite paths resolve against it. */
    Optional<Path> home = Optional.ofNullable(System.getProperty("herald.home")).filter(s -> !s.isBlank()).map(Path::of);

    HeraldConfig load() {
        return ConfigLoader.load(Optional.ofNullable(file), environment, home);
    }
}
