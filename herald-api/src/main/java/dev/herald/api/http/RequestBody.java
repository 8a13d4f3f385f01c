package dev.herald.api.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EncodedPayload;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A request's JSON object body, read strictly: it must be valid UTF-8 JSON, an object, and contain only the
 * fields the route accepts; each accessor checks the field's type and names the field in its error.
 * Field names in errors are the names the caller used, so every dialect reports its own spelling.
 */
public final class RequestBody {
    private static final String BODY_ATTRIBUTE = "herald.request-body";
    /** Larger declared lengths (never admitted under the body limit) are left to Javalin's reader. */
    private static final long MAX_EXACT_READ = 64L << 20;
    /** UTF-8 is checked through a small window instead of decoding the whole body into one array. */
    private static final int UTF8_CHECK_CHARS = 1024;
    /** One value of a body being streamed, read as the whole body's tree would hold it. */
    private static final ObjectReader VALUE =
            Json.mapper().readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_STRING_LENGTH =
            Json.mapper().getFactory().streamReadConstraints().getMaxStringLength();
    private final ObjectNode node;
    /** The field kept as compact JSON text instead of a tree ({@link #parseKeepingText}), or null. */
    private final String keptField;
    private final EncodedPayload keptJson;

    RequestBody(ObjectNode node) {
        this(node, null, null);
    }

    RequestBody(ObjectNode node, String keptField, EncodedPayload keptJson) {
        this.node = node;
        this.keptField = keptField;
        this.keptJson = keptJson;
    }

    /** Parses the body; an empty body counts as {@code {}} only when {@code emptyAllowed}. */
    public static RequestBody parse(Context ctx, Set<String> allowedFields, boolean emptyAllowed) {
        return parse(bytes(ctx), allowedFields, emptyAllowed);
    }

    /**
     * The request body, read once and kept on the context. A body of declared length is read into an array of
     * exactly that length (admission has refused any longer than the limit); Javalin's reader, left to chunked
     * bodies, starts with an 8 KiB buffer and copies as it grows, a tenth of the memory a publish allocated.
     */
    public static byte[] bytes(Context ctx) {
        byte[] kept = ctx.attribute(BODY_ATTRIBUTE);
        if (kept != null) {
            return kept;
        }
        long declared = ctx.req().getContentLengthLong();
        byte[] body;
        if (declared < 0 || declared > MAX_EXACT_READ) {
            body = ctx.bodyAsBytes();
        } else {
            body = new byte[(int) declared];
            int read;
            try {
                read = ctx.req().getInputStream().readNBytes(body, 0, body.length);
            } catch (IOException e) {
                throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body could not be read");
            }
            if (read < body.length) {
                throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body ended after " + read + " of the "
                        + declared + " bytes its Content-Length declared");
            }
        }
        ctx.attribute(BODY_ATTRIBUTE, body);
        return body;
    }

    public static RequestBody parse(byte[] bytes, Set<String> allowedFields, boolean emptyAllowed) {
        if (isBlank(bytes)) {
            if (emptyAllowed) {
                return new RequestBody(Json.object());
            }
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        requireUtf8(bytes);
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw HeraldException.malformedBody("request body is not valid JSON: " + brief(e));
        } catch (IOException e) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body could not be read");
        }
        if (parsed == null || !parsed.isObject()) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        return checked((ObjectNode) parsed, allowedFields);
    }

    /**
     * Parses the body as {@link #parse(Context, Set, boolean)} does (an empty body is refused), with the same
     * answers to bad input, but streams it: when {@code textField} is an object it is never built as a tree, only
     * copied as compact JSON text, exactly the text {@link Json#text} writes for its tree, and read back with
     * {@link #optionalObjectJson}. A publish's {@code data} is most of its body; its tree, built only to be written
     * again, was a tenth of what a publish allocated.
     */
    public static RequestBody parseKeepingText(Context ctx, Set<String> allowedFields, String textField) {
        return parseKeepingText(bytes(ctx), allowedFields, textField);
    }

    public static RequestBody parseKeepingText(byte[] bytes, Set<String> allowedFields, String textField) {
        if (isBlank(bytes)) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        requireUtf8(bytes);
        RequestBody compact = CompactBody.read(bytes, allowedFields, textField);
        if (compact != null) {
            return compact;
        }
        return parseKeepingTextStreamed(bytes, allowedFields, textField);
    }

    /** As {@link #parseKeepingText(byte[], Set, String)}, every body read by Jackson's streaming parser. */
    static RequestBody parseKeepingTextStreamed(byte[] bytes, Set<String> allowedFields, String textField) {
        ObjectNode node = Json.object();
        EncodedPayload text = null;
        String unknown = null;
        try (JsonParser parser = Json.mapper().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return parse(bytes, allowedFields, false);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(textField) && value == JsonToken.START_OBJECT) {
                    text = compactObject(parser, bytes);
                } else {
                    node.set(name, value(parser, value));
                }
                if (unknown == null && !allowedFields.contains(name)) {
                    unknown = name;
                }
            }
            if (parser.nextToken() != null) {
                // Trailing tokens: the tree's reader words that refusal.
                return parse(bytes, allowedFields, false);
            }
        } catch (JacksonException e) {
            // Malformed: the tree's reader answers, so the message is the one it always gave (it refuses what the
            // stream refused; this line's own answer is only a guard).
            parse(bytes, allowedFields, false);
            throw HeraldException.malformedBody("request body is not valid JSON: " + brief(e));
        } catch (IOException e) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body could not be read");
        }
        if (unknown != null) {
            throw HeraldException.unknownField(unknown);
        }
        return new RequestBody(node, text == null ? null : textField, text);
    }

    /** The value at the parser's current token, as the tree of the whole body holds it. */
    static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            default -> VALUE.readTree(parser);
        };
    }

    /**
     * The object at the parser's current token as compact JSON text. Almost every body is already compact (a
     * client's serialiser wrote it): then the text is its bytes as they came, one copy (never made a string), once
     * every value in it has been read as the tree would read it (so bad input is refused alike). Otherwise it is
     * written again.
     */
    static EncodedPayload compactObject(JsonParser parser, byte[] bytes) throws IOException {
        int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        boolean compact = true;
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> {
                    // The length limit applies to a string only as it is read as a String: a longer one is.
                    if (parser.getTextLength() > MAX_STRING_LENGTH) {
                        parser.getText();
                    }
                }
                // A fraction is written as the decimal the tree keeps (1.50 as 1.5), and -0 as 0.
                case VALUE_NUMBER_FLOAT -> compact = false;
                case VALUE_NUMBER_INT -> {
                    parser.getNumberType();
                    // Two characters and zero: -0.
                    compact &= !(parser.getTextLength() == 2 && parser.getIntValue() == 0);
                }
                default -> {
                }
            }
            if (depth == 0) {
                break;
            }
            token = parser.nextToken();
        }
        int end = Math.toIntExact(parser.currentLocation().getByteOffset());
        if (compact && isCompact(bytes, start, end)) {
            // where they lie in the request's body, which nothing writes to: the envelope copies them once
            return EncodedPayload.ofUtf8(bytes, start, end - start);
        }
        try (JsonParser again = Json.mapper().createParser(bytes, start, end - start)) {
            again.nextToken();
            return EncodedPayload.of(compactCopy(again, end - start));
        }
    }

    /**
     * No whitespace between tokens and no escape in a string: the writer would give these bytes back unchanged
     * (it escapes only quotes, backslashes and control characters, which JSON text cannot hold unescaped).
     */
    private static boolean isCompact(byte[] bytes, int start, int end) {
        boolean inString = false;
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b == '\\') {
                return false;
            }
            if (b == '"') {
                inString = !inString;
            } else if (!inString && (b == ' ' || b == '\n' || b == '\r' || b == '\t')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The object at the parser's current token as compact JSON text, token by token; numbers are written as their
     * tree nodes would write them (integers as read, fractions as the normalised decimal the tree keeps).
     */
    private static String compactCopy(JsonParser parser, int sizeHint) throws IOException {
        // Written into one buffer of about its final size: Jackson's segmented writer grew from 200 characters,
        // copying, and cost more than the tree it replaces.
        var out = new StringWriter(sizeHint);
        try (JsonGenerator json = Json.mapper().createGenerator(out)) {
            int depth = 0;
            JsonToken token = parser.currentToken();
            while (true) {
                switch (token) {
                    case START_OBJECT -> {
                        json.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        json.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        json.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        json.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> json.writeFieldName(parser.currentName());
                    case VALUE_STRING ->
                            json.writeString(parser.getTextCharacters(), parser.getTextOffset(),
                                    parser.getTextLength());
                    case VALUE_NUMBER_INT -> {
                        switch (parser.getNumberType()) {
                            case INT -> json.writeNumber(parser.getIntValue());
                            case LONG -> json.writeNumber(parser.getLongValue());
                            default -> json.writeNumber(parser.getBigIntegerValue());
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> {
                        JsonNode number = VALUE.readTree(parser);
                        if (number.isBigDecimal()) {
                            json.writeNumber(number.decimalValue());
                        } else {
                            json.writeNumber(number.doubleValue());
                        }
                    }
                    case VALUE_TRUE -> json.writeBoolean(true);
                    case VALUE_FALSE -> json.writeBoolean(false);
                    case VALUE_NULL -> json.writeNull();
                    default -> throw new IllegalStateException("unexpected JSON token " + token);
                }
                if (depth == 0) {
                    break;
                }
                token = parser.nextToken();
            }
        }
        return out.toString();
    }

    /**
     * One object inside a parsed body (an item of a batch), read with the same strictness as a body; it must be
     * an object with only {@code allowedFields}.
     */
    public static RequestBody of(JsonNode item, Set<String> allowedFields) {
        if (!(item instanceof ObjectNode object)) {
            throw notAnObjectItem();
        }
        return checked(object, allowedFields);
    }

    static HeraldException notAnObjectItem() {
        return HeraldException.of(ErrorCode.INVALID_REQUEST, "each item must be a JSON object");
    }

    private static RequestBody checked(ObjectNode object, Set<String> allowedFields) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw HeraldException.unknownField(name);
            }
        }
        return new RequestBody(object);
    }

    public boolean has(String field) {
        return node.has(field) || field.equals(keptField);
    }

    /** Present and not JSON null. */
    public boolean hasValue(String field) {
        return node.hasNonNull(field) || field.equals(keptField);
    }

    public String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(value.textValue());
    }

    public List<String> requiredStringList(String field) {
        return optionalStringList(field).orElseThrow(() -> missing(field));
    }

    public Optional<List<String>> optionalStringList(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        var list = new ArrayList<String>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings");
            }
            list.add(item.textValue());
        }
        return Optional.of(List.copyOf(list));
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    /** An integer in [min, max]; fractions, strings and out-of-range numbers are errors. */
    public OptionalLong optionalLong(String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        long v = value.longValue();
        if (v < min || v > max) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, field,
                    "field '" + field + "' must be between " + min + " and " + max);
        }
        return OptionalLong.of(v);
    }

    public OptionalInt optionalInt(String field, int min, int max) {
        OptionalLong v = optionalLong(field, min, max);
        return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
    }

    /** A JSON object of string values (e.g. custom headers), in the caller's order. */
    public Optional<Map<String, String>> optionalStringMap(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(field, "an object of strings");
        }
        var map = new LinkedHashMap<String, String>();
        var fields = value.properties();
        for (var entry : fields) {
            if (!entry.getValue().isTextual()) {
                throw wrongType(field, "an object of strings");
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return Optional.of(map);
    }

    /** A field that must be a JSON object: the parsed request's own node, to be read, not modified. */
    public Optional<ObjectNode> optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(field, "an object");
        }
        return Optional.of(object);
    }

    /** A field that must be a JSON array: the parsed request's own node, to be read, not modified. */
    public ArrayNode requiredArray(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw missing(field);
        }
        if (!(value instanceof ArrayNode array)) {
            throw wrongType(field, "an array");
        }
        return array;
    }

    /** A field's value as given (any JSON type), when present and not null; to be read, not modified. */
    public Optional<JsonNode> optionalValue(String field) {
        return Optional.ofNullable(node.get(field)).filter(v -> !v.isNull());
    }

    /** A field that must be a JSON object, returned as compact JSON text. */
    public Optional<String> optionalObjectJson(String field) {
        return optionalObjectPayload(field).map(EncodedPayload::text);
    }

    /**
     * A field that must be a JSON object, as compact JSON text held as it came: a field {@link #parseKeepingText}
     * kept is its UTF-8 bytes, never made a string on the way to being stored and sent.
     */
    public Optional<EncodedPayload> optionalObjectPayload(String field) {
        if (field.equals(keptField)) {
            return Optional.of(keptJson);
        }
        return optionalObject(field).map(object -> EncodedPayload.of(Json.text(object)));
    }

    /** The body's tree; a field {@link #parseKeepingText} kept as text is only in {@link #optionalObjectPayload}. */
    public ObjectNode node() {
        return node.deepCopy();
    }

    private static HeraldException missing(String field) {
        return HeraldException.missing(field);
    }

    private static HeraldException wrongType(String field, String expected) {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, field, "field '" + field + "' must be " + expected);
    }

    static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    static void requireUtf8(byte[] bytes) {
        if (isAscii(bytes)) {
            // Almost every body: ASCII is valid UTF-8, and the decoder's window (2 KiB) is not allocated at all.
            return;
        }
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            var in = ByteBuffer.wrap(bytes);
            var window = CharBuffer.allocate(UTF8_CHECK_CHARS);
            CoderResult result;
            do {
                window.clear();
                result = decoder.decode(in, window, true);
                if (result.isError()) {
                    result.throwException();
                }
            } while (result.isOverflow());
            do {
                window.clear();
                result = decoder.flush(window);
                if (result.isError()) {
                    result.throwException();
                }
            } while (result.isOverflow());
        } catch (CharacterCodingException e) {
            throw HeraldException.malformedBody("request body is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    static String brief(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "syntax error";
        }
        message = message.replaceAll("[\\r\\n\\t]+", " ");
        return message.length() > 160 ? message.substring(0, 160) + "…" : message;
    }

}
