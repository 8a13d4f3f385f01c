package dev.herald.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.delivery.publish.WirePayload;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one JSON configuration of the API: strict parsing (duplicate keys, trailing tokens and excessive nesting
 * are errors) and compact output. Responses are built as explicit trees so every dialect's field names are
 * visible in the code that writes them. Parsers and generators borrow their buffers from one shared pool:
 * Jackson's default keeps them per thread, and request threads are virtual, each new, so every request
 * allocated fresh buffers.
 */
public final class Json {
    public static final int MAX_NESTING = 64;
    private static final String ANSWERED = "herald.answered";

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(100)
                    .maxStringLength(1 << 20)
                    .build())
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static void write(Context ctx, JsonNode body) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON response", e);
        }
    }

    /**
     * A body written by hand, for the few answers on the publish path: their tree and its writer cost more than
     * the rest of the answer (the caller writes exactly what the tree would, see {@link #quoted}).
     */
    public static void write(Context ctx, String body) {
        ctx.contentType("application/json").result(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answers {@code status} with a small hand-written body, written to the response at once. Given as a result
     * instead, the body would be copied by Javalin through an 8 KiB buffer of its own for every answer: on the publish
     * path, a fifth of the bytes a publish of one event allocated. The body is also kept for {@link #answered}
     * (an idempotent request remembers its answer). Status and headers are set first: the response may be committed.
     */
    public static void answer(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json");
        ctx.attribute(ANSWERED, body);
        try {
            ctx.outputStream().write(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the answer", e);
        }
    }

    /** The body {@link #answer} wrote for this request, if it wrote one. */
    public static Optional<String> answered(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ANSWERED));
    }

    /**
     * {@code text} as a JSON string, quotes included, escaped as this writer escapes it into an answer's bytes:
     * quotes, backslashes and control characters as {@link WirePayload#escaped} does, and a character outside the
     * Basic Multilingual Plane (or a lone surrogate) as its {@code \\uXXXX} surrogates, as Jackson's UTF-8 writer
     * does (its String writer, and so the wire payload, keeps them as they are).
     */
    public static String quoted(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                // Rare (an emoji in a refused event's type or field name): the writer itself spells it.
                try {
                    return new String(MAPPER.writeValueAsBytes(text), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("writing JSON", e);
                }
            }
        }
        return "\"" + WirePayload.escaped(text) + "\"";
    }

    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON", e);
        }
    }
}
