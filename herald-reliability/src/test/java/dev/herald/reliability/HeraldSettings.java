package dev.herald.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The configuration file of a Herald under test: local receivers allowed (http, 127.0.0.0/8), a free port,
 * an admin token, short retries; each case overrides what it tests.
 */
final class HeraldSettings {
    private final Map<String, String> values = new LinkedHashMap<>();

    private HeraldSettings() {
    }

    static HeraldSettings local(String store) {
        var s = new HeraldSettings();
        s.values.put("listen.host", "127.0.0.1");
        s.values.put("listen.port", "0");
        s.values.put("store", store);
        s.values.put("admin.token", Findings.secret("adm_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())));
        s.values.put("outbound.allowed-schemes", "https,http");
        s.values.put("outbound.allowlist", "127.0.0.0/8");
        s.values.put("delivery.retry-schedule", "0s,200ms,200ms");
        s.values.put("delivery.retry-jitter", "0");
        s.values.put("delivery.timeout", "2s");
        s.values.put("shutdown.grace", "1s");
        return s;
    }

    HeraldSettings with(String key, String value) {
        values.put(key, value);
        return this;
    }

    String adminToken() {
        return values.get("admin.token");
    }

    Path writeTo(Path dir) {
        Path file = dir.resolve("herald-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".properties");
        var text = new StringBuilder();
        // properties syntax: backslashes and colons in values (Windows paths, JDBC URLs) must be escaped
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
