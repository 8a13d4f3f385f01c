package dev.herald.api.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EncodedPayload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The items of a request body's array field (a batch's events), each an object read as its own {@link RequestBody}
 * with the same strictness, or refused alone: an item that is not an object, or that has a field the route does not
 * accept, keeps its error for its place in the answer while the others are read.
 */
public final class RequestItems {
    private final List<Item> items;

    /** One item: read, or refused with the error its place answers with. */
    private record Item(RequestBody body, HeraldException refusal) {
    }

    private RequestItems(List<Item> items) {
        this.items = items;
    }

    public int size() {
        return items.size();
    }

    /** The item at {@code index}; throws the error that refused it. */
    public RequestBody get(int index) {
        Item item = items.get(index);
        if (item.refusal() != null) {
            throw item.refusal();
        }
        return item.body();
    }

    /**
     * The items of {@code arrayField} in a body read as {@link RequestBody#parse(byte[], Set, boolean)} and
     * {@link RequestBody#requiredArray} read it, with the same answers to bad input, but streamed: no tree of the
     * body or of an item is built, and each item's {@code textField}, when an object, is kept as the compact JSON
     * text {@link RequestBody#parseKeepingText} keeps (read back with {@link RequestBody#optionalObjectJson}).
     * A batch's {@code data} is most of its body; the trees of its 500 items, built only to be written again, were
     * most of what a batch publish allocated.
     */
    public static RequestItems parseKeepingText(byte[] bytes, Set<String> allowedFields, String arrayField,
                                                Set<String> itemFields, String textField) {
        if (RequestBody.isBlank(bytes)) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        RequestBody.requireUtf8(bytes);
        List<Item> items = null;
        JsonNode notAnArray = null;
        String unknown = null;
        try (JsonParser parser = Json.mapper().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return fromTree(bytes, allowedFields, arrayField, itemFields);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(arrayField) && value == JsonToken.START_ARRAY) {
                    items = items(parser, bytes, itemFields, textField);
                } else {
                    // Read as the tree reads it, so what it refuses (a duplicate key, a number too long) is refused.
                    JsonNode read = RequestBody.value(parser, value);
                    if (name.equals(arrayField)) {
                        notAnArray = read;
                    }
                }
                if (unknown == null && !allowedFields.contains(name)) {
                    unknown = name;
                }
            }
            if (parser.nextToken() != null) {
                // Trailing tokens: the tree's reader words that refusal.
                return fromTree(bytes, allowedFields, arrayField, itemFields);
            }
        } catch (JacksonException e) {
            // Malformed: the tree's reader answers, so the message is the one it always gave (it refuses what the
            // stream refused; this line's own answer is only a guard).
            fromTree(bytes, allowedFields, arrayField, itemFields);
            throw HeraldException.malformedBody("request body is not valid JSON: " + RequestBody.brief(e));
        } catch (IOException e) {
            throw HeraldException.of(ErrorCode.INVALID_REQUEST, "request body could not be read");
        }
        if (unknown != null) {
            throw HeraldException.unknownField(unknown);
        }
        if (items == null) {
            // Absent, null or not an array: refused in the words of the tree's accessor.
            ObjectNode node = Json.object();
            if (notAnArray != null) {
                node.set(arrayField, notAnArray);
            }
            return of(new RequestBody(node).requiredArray(arrayField), itemFields);
        }
        return new RequestItems(items);
    }

    /** The items of a body read as a tree: the answer to bodies the stream leaves to the tree's reader. */
    private static RequestItems fromTree(byte[] bytes, Set<String> allowedFields, String arrayField,
                                         Set<String> itemFields) {
        return of(RequestBody.parse(bytes, allowedFields, false).requiredArray(arrayField), itemFields);
    }

    /** The items of an array already read as a tree, each checked by {@link RequestBody#of}. */
    public static RequestItems of(ArrayNode array, Set<String> itemFields) {
        var items = new ArrayList<Item>(array.size());
        for (JsonNode element : array) {
            try {
                items.add(new Item(RequestBody.of(element, itemFields), null));
            } catch (HeraldException refused) {
                items.add(new Item(null, refused));
            }
        }
        return new RequestItems(items);
    }

    /** The array at the parser's current token, up to and including its end. */
    private static List<Item> items(JsonParser parser, byte[] bytes, Set<String> itemFields, String textField)
            throws IOException {
        var items = new ArrayList<Item>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                // The parser reports an unclosed array itself; this is only a guard.
                throw new JsonParseException(parser, "unexpected end of the body inside an array");
            }
            items.add(token == JsonToken.START_OBJECT ? item(parser, bytes, itemFields, textField)
                    : notAnObject(parser, token));
        }
        return items;
    }

    /** The object at the parser's current token, read as {@link RequestBody#parseKeepingText} reads a body. */
    private static Item item(JsonParser parser, byte[] bytes, Set<String> itemFields, String textField)
            throws IOException {
        ObjectNode node = Json.object();
        EncodedPayload text = null;
        String unknown = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(textField) && value == JsonToken.START_OBJECT) {
                text = RequestBody.compactObject(parser, bytes);
            } else {
                node.set(name, RequestBody.value(parser, value));
            }
            if (unknown == null && !itemFields.contains(name)) {
                unknown = name;
            }
        }
        if (unknown != null) {
            return new Item(null, HeraldException.unknownField(unknown));
        }
        return new Item(new RequestBody(node, text == null ? null : textField, text), null);
    }

    /** An item that is not an object: read as the tree reads it (so bad JSON in it is refused), then refused. */
    private static Item notAnObject(JsonParser parser, JsonToken token) throws IOException {
        RequestBody.value(parser, token);
        return new Item(null, RequestBody.notAnObjectItem());
    }
}
