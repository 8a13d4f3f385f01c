package dev.herald.api.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of every route of every surface, kept as the resource {@code /openapi.json}.
 * A test compares it with the routes the running server registers, so the two cannot drift apart.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "/openapi.json";

    private final byte[] json;

    private OpenApiDocument(byte[] json) {
        this.json = json;
    }

    /** Reads the bundled document once; a missing resource is a packaging bug and fails at start. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenApiDocument: resource " + RESOURCE + " is missing from the classpath");
            }
            return new OpenApiDocument(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("OpenApiDocument: cannot read " + RESOURCE, e);
        }
    }

    /** The document's bytes (UTF-8 JSON); a copy, so callers cannot change what is served. */
    public byte[] json() {
        return json.clone();
    }
}
