package dev.herald.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.error.HeraldException;
import dev.herald.delivery.publish.WirePayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publish body read without a parser ({@link CompactBody}) is read exactly as the parser reads it, and only
 * bodies it can answer for are read there: the rest is declined, for the parser to read or refuse.
 */
class CompactBodyTest {
    private static final Set<String> FIELDS = Set.of("type", "data", "id");

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"bench.e1\",\"data\":{\"n\":12345,\"filler\":\"xxxx\"}}",
            "{\"data\":{\"a\":[1,-2,0,true,false,null,\"é😀\",{},[]],\"b\":{\"c\":{\"d\":[]}}},"
                    + "\"type\":\"a.b\",\"id\":\"e1\"}",
            "{ \"type\" : \"a.b\" ,\n\t\"data\" : {\"n\":1} }\r\n",
            "{\"type\":\"\",\"data\":{\"\":\"\",\"k\":\"v\",\"kk\":\"v\",\"n\":-9223372036854775}}",
            "{\"type\":\"a.b\"}",
    })
    void theUsualBodiesAreReadWithoutTheParserAsTheParserReadsThem(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        RequestBody compact = CompactBody.read(body, FIELDS, "data");

        assertThat(compact).isNotNull();
        assertThat(outcome(compact)).isEqualTo(outcome(RequestBody.parseKeepingTextStreamed(body, FIELDS, "data")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"a.b\",\"data\":{\"k\":{\"x\":1,\"y\":[{\"z\":1,\"z\":2}]}}}",
            "{\"type\":\"a.b\",\"data\":{\"k\":1,\"j\":2,\"k\":3}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":-0}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":1.5}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":1e3}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":1E3}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":01}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":-}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":1234567890123456789}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":tru}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":truex}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":nul}}",
            "{\"type\":\"a.b\",\"data\":{\"s\":\"a\\\"b\"}}",
            "{\"type\":\"a\\u0062\",\"data\":{}}",
            "{\"type\":\"a.b\",\"data\":{\"s\":\"a\tb\"}}",
            "{\"type\":\"a.b\",\"data\":{ \"n\":1}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":1,}}",
            "{\"type\":\"a.b\",\"data\":{\"n\":[1,]}}",
            "{\"type\":\"a.b\",\"data\":{},\"extra\":\"x\"}",
            "{\"type\":\"a\",\"type\":\"b\",\"data\":{}}",
            "{\"type\":\"a.b\",\"data\":{},\"data\":{}}",
            "{\"type\":\"a.b\",\"data\":[]}",
            "{\"type\":\"a.b\",\"data\":\"{}\"}",
            "{\"type\":1,\"data\":{}}",
            "{\"type\":\"a.b\",\"data\":{},\"id\":null}",
            "{}",
            "{\"type\":\"a.b\",\"data\":{}} x",
            "{\"type\":\"a.b\",\"data\":{}",
            "[{\"type\":\"a.b\",\"data\":{}}]",
            " {\"type\":\"a.b\",\"data\":{}}",
    })
    void whatItCannotAnswerForIsLeftToTheParser(String text) {
        assertThat(CompactBody.read(text.getBytes(StandardCharsets.UTF_8), FIELDS, "data")).isNull();
    }

    @Test
    void bodiesBeyondItsBoundsAreLeftToTheParser() {
        String deep = "{\"a\":".repeat(CompactBody.MAX_DEPTH) + "1" + "}".repeat(CompactBody.MAX_DEPTH);
        String deeper = "{\"a\":".repeat(CompactBody.MAX_DEPTH + 1) + "1" + "}".repeat(CompactBody.MAX_DEPTH + 1);
        var members = new StringBuilder("{");
        for (int i = 0; i <= CompactBody.MAX_MEMBERS; i++) {
            members.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        String many = members.append('}').toString();
        String fewer = many.replace(",\"k" + CompactBody.MAX_MEMBERS + "\":" + CompactBody.MAX_MEMBERS, "");
        String large = "{\"type\":\"a.b\",\"data\":{\"s\":\"" + "x".repeat(CompactBody.MAX_BYTES) + "\"}}";

        assertThat(CompactBody.read(body(deep), FIELDS, "data")).isNotNull();
        assertThat(CompactBody.read(body(deeper), FIELDS, "data")).isNull();
        assertThat(CompactBody.read(body(fewer), FIELDS, "data")).isNotNull();
        assertThat(CompactBody.read(body(many), FIELDS, "data")).isNull();
        assertThat(CompactBody.read(large.getBytes(StandardCharsets.UTF_8), FIELDS, "data")).isNull();
    }

    /**
     * Random bodies, most of them near the usual shape and many broken a little (a byte changed, dropped or added):
     * every one read without the parser reads as the parser reads it, and as the whole body's tree does.
     */
    @Test
    void randomBodiesReadWithoutTheParserReadAsTheParserReadsThem() {
        var random = new Random(20261207L);
        int readHere = 0;
        for (int n = 0; n < 30_000; n++) {
            byte[] body = mutated(random, randomBody(random)).getBytes(StandardCharsets.UTF_8);
            try {
                RequestBody.requireUtf8(body);
            } catch (HeraldException notUtf8) {
                continue;
            }
            RequestBody compact = CompactBody.read(body, FIELDS, "data");
            if (compact == null) {
                continue;
            }
            readHere++;
            String text = new String(body, StandardCharsets.UTF_8);
            assertThat(outcome(compact)).as(text)
                    .isEqualTo(outcome(RequestBody.parseKeepingTextStreamed(body, FIELDS, "data")));
            RequestBody tree = RequestBody.parse(body, FIELDS, false);
            assertThat(compact.node()).as(text).isEqualTo(withoutData(tree));
            assertThat(compact.optionalObjectJson("data")).as(text)
                    .isEqualTo(tree.optionalObject("data").map(data -> WirePayload.compact(data).text()));
        }
        // the generator makes enough usual bodies for this to test something
        assertThat(readHere).isGreaterThan(3_000);
    }

    private static String outcome(RequestBody body) {
        return body.node() + " " + body.optionalObjectJson("data");
    }

    private static ObjectNode withoutData(RequestBody tree) {
        ObjectNode copy = tree.node().deepCopy();
        copy.remove("data");
        return copy;
    }

    private static byte[] body(String data) {
        return ("{\"type\":\"a.b\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String randomBody(Random random) {
        var members = new ArrayList<String>();
        members.add("\"type\":" + (random.nextInt(10) == 0 ? value(random, 2) : string(random)));
        if (random.nextInt(10) > 0) {
            members.add("\"data\":" + (random.nextInt(10) == 0 ? value(random, 2) : object(random, 0)));
        }
        if (random.nextBoolean()) {
            members.add("\"id\":" + string(random));
        }
        if (random.nextInt(20) == 0) {
            members.add("\"extra\":" + string(random));
        }
        if (random.nextInt(20) == 0) {
            members.add(members.get(random.nextInt(members.size())));
        }
        Collections.shuffle(members, random);
        String separator = random.nextInt(8) == 0 ? " , " : ",";
        return "{" + String.join(separator, members) + "}" + (random.nextInt(10) == 0 ? "\n" : "");
    }

    private static String value(Random random, int depth) {
        int pick = random.nextInt(depth > 5 ? 7 : 9);
        return switch (pick) {
            case 0 -> string(random);
            case 1 -> number(random);
            case 2 -> List.of("true", "false", "null").get(random.nextInt(3));
            case 3, 4 -> string(random);
            case 5, 6 -> number(random);
            case 7 -> object(random, depth + 1);
            default -> array(random, depth + 1);
        };
    }

    private static String object(Random random, int depth) {
        int size = random.nextInt(5);
        var members = new ArrayList<String>();
        for (int i = 0; i < size; i++) {
            String name = string(random);
            if (random.nextInt(4) == 0 && !members.isEmpty()) {
                String earlier = members.get(random.nextInt(members.size()));
                name = earlier.substring(0, earlier.indexOf(':')); // a name given twice
            }
            members.add(name + ":" + value(random, depth));
        }
        String separator = random.nextInt(30) == 0 ? ", " : ",";
        return "{" + String.join(separator, members) + "}";
    }

    private static String array(Random random, int depth) {
        int size = random.nextInt(4);
        var items = new ArrayList<String>();
        for (int i = 0; i < size; i++) {
            items.add(value(random, depth));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String string(Random random) {
        String[] parts = {"a", "b", "k", "é", "😀", " ", "x.y", "", "\\\"", "\\n", "\\u0041", "\t", "-"};
        var text = new StringBuilder("\"");
        int length = random.nextInt(4);
        for (int i = 0; i < length; i++) {
            String part = parts[random.nextInt(parts.length)];
            // escapes and control characters now and then, mostly plain text
            if (part.startsWith("\\") || part.equals("\t")) {
                part = random.nextInt(6) == 0 ? part : "z";
            }
            text.append(part);
        }
        return text.append('"').toString();
    }

    private static String number(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "-0";
            case 1 -> "1.5";
            case 2 -> "2e3";
            case 3 -> "01";
            case 4 -> "1234567890123456789";
            case 5 -> "-";
            case 6 -> "0";
            default -> Long.toString(random.nextLong() % 100_000L);
        };
    }

    /** The text as it is, or with one byte changed, dropped or added (a third of bodies). */
    private static String mutated(Random random, String text) {
        if (random.nextInt(3) > 0 || text.isEmpty()) {
            return text;
        }
        String significant = "{}[]\",:0123456789-.eE\\ tfnrul";
        int at = random.nextInt(text.length());
        char c = significant.charAt(random.nextInt(significant.length()));
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + c + text.substring(at + 1);
            case 1 -> text.substring(0, at) + text.substring(at + 1);
            default -> text.substring(0, at) + c + text.substring(at);
        };
    }
}
