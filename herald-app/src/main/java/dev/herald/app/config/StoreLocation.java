package dev.herald.app.config;

import java.nio.file.Path;

/** Where Herald keeps its data: an embedded SQLite directory or a PostgreSQL database. */
public sealed interface StoreLocation {
    record Sqlite(Path directory) implements StoreLocation {
    }

    record Postgres(String jdbcUrl, int poolSize) implements StoreLocation {
    }

    /** A relative SQLite directory made absolute against {@code base} when one is given; anything else as is. */
    default StoreLocation resolvedAgainst(java.util.Optional<Path> base) {
        if (this instanceof Sqlite(Path directory) && !directory.isAbsolute() && base.isPresent()) {
            return new Sqlite(base.get().resolve(directory).normalize());
        }
        return this;
    }

    /** {@code sqlite:<dir>} or a {@code jdbc:postgresql:…} URL. */
    static StoreLocation parse(String key, String value, int poolSize) {
        if (value.startsWith("sqlite:")) {
            String dir = value.substring("sqlite:".length());
            if (dir.isBlank()) {
                throw new ConfigException(key, "sqlite: needs a directory, e.g. sqlite:./data");
            }
            return new Sqlite(Path.of(dir));
        }
        if (value.startsWith("jdbc:postgresql:")) {
            return new Postgres(value, poolSize);
        }
        if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
            return new Postgres("jdbc:" + (value.startsWith("postgres://") ? "postgresql://" + value.substring(11) : value), poolSize);
        }
        throw new ConfigException(key, "expected sqlite:<dir> or a jdbc:postgresql:// URL");
    }
}
