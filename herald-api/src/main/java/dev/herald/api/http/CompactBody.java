package dev.herald.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.event.EncodedPayload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The usual publish body, {@code {"type":"…","data":{…}}} as a client's serialiser writes it, read without a JSON
 * parser: setting one up for a body this small (its context, buffers, symbol table and duplicate detector) was most
 * of what reading it allocated, 8 % of what a delivery allocated at fan-out 1. It reads only what it can answer for
 * exactly as {@link RequestBody#parseKeepingText} would and declines the rest ({@code null}), which that then reads
 * with the parser, errors and all:
 * <ul>
 * <li>the body: an object of at most {@link #MAX_BYTES} bytes (already checked to be UTF-8), whitespace allowed
 *     between its own members; each member's value a string, except the kept field's, an object. Any other value, a
 *     name the route does not accept, a name given twice, an empty body object: declined;
 * <li>the kept object: compact (no whitespace), its strings without escapes or control characters, its numbers
 *     integers of at most 18 digits that are not {@code -0} (a fraction is rewritten, {@code -0} written as
 *     {@code 0}), at most {@link #MAX_DEPTH} deep, each object with at most {@link #MAX_MEMBERS} members, none named
 *     twice. Such an object is the compact text its tree would write, so it is kept as it came, as the parser's path
 *     keeps it.
 * </ul>
 * Within these bounds the parser's own limits (nesting, number, name and string lengths) are never reached.
 */
final class CompactBody {
    static final int MAX_BYTES = 32 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_MEMBERS = 32;
    private static final int MAX_DIGITS = 18;
    private static final int DECLINED = -1;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private CompactBody() {
    }

    /** The body as {@link RequestBody#parseKeepingText} reads it, or {@code null} when it is not one read here. */
    static RequestBody read(byte[] b, Set<String> allowedFields, String keptField) {
        if (b.length > MAX_BYTES || b.length < 2 || b[0] != '{') {
            return null;
        }
        ObjectNode node = Json.object();
        EncodedPayload kept = null;
        int at = space(b, 1);
        while (true) {
            if (at >= b.length || b[at] != '"') {
                return null;
            }
            int nameEnd = stringEnd(b, at);
            if (nameEnd == DECLINED) {
                return null;
            }
            // the kept field's name is compared where it lies, not made a string
            boolean isKept = names(b, at + 1, nameEnd, keptField);
            String name = isKept ? keptField : new String(b, at + 1, nameEnd - at - 1, StandardCharsets.UTF_8);
            if (!allowedFields.contains(name) || (isKept ? kept != null : node.has(name))) {
                return null;
            }
            at = space(b, nameEnd + 1);
            if (at >= b.length || b[at] != ':') {
                return null;
            }
            at = space(b, at + 1);
            if (at >= b.length || b[at] != (isKept ? '{' : '"')) {
                return null;
            }
            int end = isKept ? object(b, at, 1) : stringEnd(b, at);
            if (end == DECLINED) {
                return null;
            }
            if (isKept) {
                kept = EncodedPayload.ofUtf8(b, at, end - at);
                at = end;
            } else {
                node.set(name, TextNode.valueOf(new String(b, at + 1, end - at - 1, StandardCharsets.UTF_8)));
                at = end + 1;
            }
            at = space(b, at);
            if (at < b.length && b[at] == '}') {
                break;
            }
            if (at >= b.length || b[at] != ',') {
                return null;
            }
            at = space(b, at + 1);
        }
        if (space(b, at + 1) != b.length) {
            return null;
        }
        return new RequestBody(node, kept == null ? null : keptField, kept);
    }

    /** Whether the bytes from {@code from} to {@code to} spell {@code name}, an ASCII name (as the routes' are). */
    private static boolean names(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (b[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Past JSON whitespace from {@code at}. */
    private static int space(byte[] b, int at) {
        while (at < b.length && (b[at] == ' ' || b[at] == '\n' || b[at] == '\r' || b[at] == '\t')) {
            at++;
        }
        return at;
    }

    /** The closing quote of the string opening at {@code at}; declined at an escape or a control character. */
    private static int stringEnd(byte[] b, int at) {
        for (int i = at + 1; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return DECLINED;
            }
        }
        return DECLINED;
    }

    /** The end of the compact value at {@code at}, at nesting {@code depth} once it is an object or array. */
    private static int value(byte[] b, int at, int depth) {
        if (at >= b.length) {
            return DECLINED;
        }
        return switch (b[at]) {
            case '{' -> object(b, at, depth);
            case '[' -> array(b, at, depth);
            case '"' -> {
                int end = stringEnd(b, at);
                yield end == DECLINED ? DECLINED : end + 1;
            }
            case 't' -> literal(b, at, TRUE);
            case 'f' -> literal(b, at, FALSE);
            case 'n' -> literal(b, at, NULL);
            default -> integer(b, at);
        };
    }

    private static int object(byte[] b, int at, int depth) {
        if (depth > MAX_DEPTH) {
            return DECLINED;
        }
        int i = at + 1;
        if (i < b.length && b[i] == '}') {
            return i + 1;
        }
        for (int members = 1; members <= MAX_MEMBERS; members++) {
            if (i >= b.length || b[i] != '"') {
                return DECLINED;
            }
            int nameEnd = stringEnd(b, i);
            if (nameEnd == DECLINED || namedBefore(b, at, i, nameEnd)) {
                return DECLINED;
            }
            i = nameEnd + 1;
            if (i >= b.length || b[i] != ':') {
                return DECLINED;
            }
            i = value(b, i + 1, depth + 1);
            if (i == DECLINED || i >= b.length) {
                return DECLINED;
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return DECLINED;
            }
            i++;
        }
        return DECLINED;
    }

    private static int array(byte[] b, int at, int depth) {
        if (depth > MAX_DEPTH) {
            return DECLINED;
        }
        int i = at + 1;
        if (i < b.length && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = value(b, i, depth + 1);
            if (i == DECLINED || i >= b.length) {
                return DECLINED;
            }
            if (b[i] == ']') {
                return i + 1;
            }
            if (b[i] != ',') {
                return DECLINED;
            }
            i++;
        }
    }

    private static int literal(byte[] b, int at, byte[] word) {
        if (at + word.length > b.length) {
            return DECLINED;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[at + i] != word[i]) {
                return DECLINED;
            }
        }
        return at + word.length;
    }

    /**
     * An integer, {@code -?(0|[1-9][0-9]*)}, not {@code -0} (the tree writes it as {@code 0}). What follows it is
     * the caller's to check: a fraction or an exponent is not a comma or a closing bracket, so it is declined there.
     */
    private static int integer(byte[] b, int at) {
        int digits = b[at] == '-' ? at + 1 : at;
        int i = digits;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int count = i - digits;
        if (count == 0 || count > MAX_DIGITS || (b[digits] == '0' && (count > 1 || digits > at))) {
            return DECLINED;
        }
        return i;
    }

    /**
     * Whether the object opening at {@code objectAt} names a member before {@code nameAt} as the string ending at
     * {@code nameEnd} does: its earlier members (already read, so well formed) are walked again, each value skipped.
     */
    private static boolean namedBefore(byte[] b, int objectAt, int nameAt, int nameEnd) {
        int length = nameEnd - nameAt - 1;
        int i = objectAt + 1;
        while (i < nameAt) {
            int end = stringEnd(b, i);
            if (end - i - 1 == length && Arrays.equals(b, i + 1, end, b, nameAt + 1, nameEnd)) {
                return true;
            }
            i = skip(b, end + 2) + 1; // past the name's quote and colon, the value and its comma
        }
        return false;
    }

    /** The end of the well-formed compact value at {@code at}. */
    private static int skip(byte[] b, int at) {
        byte first = b[at];
        if (first == '"') {
            return stringEnd(b, at) + 1;
        }
        if (first != '{' && first != '[') {
            int i = at;
            while (b[i] != ',' && b[i] != '}' && b[i] != ']') {
                i++;
            }
            return i;
        }
        int depth = 0;
        int i = at;
        while (true) {
            byte c = b[i];
            if (c == '"') {
                i = stringEnd(b, i) + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
            i++;
        }
    }
}
