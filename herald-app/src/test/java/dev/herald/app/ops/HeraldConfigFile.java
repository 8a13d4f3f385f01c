package dev.herald.app.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The config file an ops test starts Herald from: any free port, SQLite in the test's folder, loopback receivers allowed. */
final class HeraldConfigFile {
    private HeraldConfigFile() {
    }

    /** Writes {@code dir/herald.properties} with {@code adminToken} and the {@code extra} lines after the defaults. */
    static Path write(Path dir, String adminToken, String... extra) throws IOException {
        Path config = dir.resolve("herald.properties");
        Files.writeString(config, String.join("\n",
                "listen.port=0",
                "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'),
                "admin.token=" + adminToken,
                "outbound.allowed-schemes=http,https",
                "outbound.allowlist=127.0.0.0/8",
                String.join("\n", extra), ""));
        return config;
    }
}
