package dev.herald.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Herald's version as the build wrote it (the project version, filtered into a resource at build time). */
public final class HeraldVersion {
    private static final String CURRENT = read();

    private HeraldVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = HeraldVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            var properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "dev");
            // an unfiltered resource (an IDE build without Maven) still names a version, not a placeholder
            return version.startsWith("${") ? "dev" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Herald's version", e);
        }
    }
}
