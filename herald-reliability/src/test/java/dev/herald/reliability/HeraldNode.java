package dev.herald.reliability;

import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Herald started in this JVM through its real composition root ({@link Herald#start}) on a config file. */
final class HeraldNode implements AutoCloseable {
    private final Herald herald;
    private final HeraldSettings settings;
    private final URI base;

    private HeraldNode(Herald herald, HeraldSettings settings) {
        this.herald = herald;
        this.settings = settings;
        this.base = URI.create("http://127.0.0.1:" + herald.port());
    }

    static HeraldNode start(HeraldSettings settings, Path dir) {
        Path file = settings.writeTo(dir);
        return new HeraldNode(Herald.start(ConfigLoader.load(Optional.of(file), Map.of()), Clock.systemUTC()), settings);
    }

    Herald herald() {
        return herald;
    }

    URI base() {
        return base;
    }

    String adminToken() {
        return settings.adminToken();
    }

    Http admin() {
        return new Http(base, Optional.of(settings.adminToken()));
    }

    Http as(Tenant tenant) {
        return new Http(base, Optional.of(tenant.key()));
    }

    Http anonymous() {
        return new Http(base, Optional.empty());
    }

    Tenant newTenant(String name) {
        return Admin.newTenant(admin(), name);
    }

    @Override
    public void close() {
        herald.close();
    }
}
