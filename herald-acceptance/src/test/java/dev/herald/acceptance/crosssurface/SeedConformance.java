package dev.herald.acceptance.crosssurface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a response with a seed document's response example field by field: every field the example shows
 * must be present with the same JSON type; its value must be equal, except at the paths given a shape rule
 * (ids, timestamps, request ids, values only the server knows). Extra fields are allowed (DESIGN §8).
 */
public final class SeedConformance {
    public static final Predicate<JsonNode> INTEGER = JsonNode::isIntegralNumber;
    public static final Predicate<JsonNode> REQUEST_ID = text("req_[0-9A-Za-z]{26}");
    public static final String MILLIS_TIME_PATTERN = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    public static final String SECONDS_TIME_PATTERN = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    public static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    public static final Predicate<JsonNode> MILLIS_TIME = text(MILLIS_TIME_PATTERN);
    public static final Predicate<JsonNode> SECONDS_TIME = text(SECONDS_TIME_PATTERN);
    public static final Predicate<JsonNode> UUID = text(UUID_PATTERN);
    public static final Predicate<JsonNode> NULL_OR_STRING = n -> n.isNull() || n.isTextual();

    private SeedConformance() {
    }

    public static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Predicate<JsonNode> text(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return n -> n.isTextual() && pattern.matcher(n.textValue()).matches();
    }

    public static Predicate<JsonNode> equalTo(long value) {
        return n -> n.isIntegralNumber() && n.longValue() == value;
    }

    public static Predicate<JsonNode> equalTo(String value) {
        return n -> n.isTextual() && n.textValue().equals(value);
    }

    /**
     * Asserts {@code actual} conforms to {@code example}; {@code rules} maps JSON pointers
     * ({@code /data/id}, {@code /data/0/created_at}) to the shape the value must have instead of equality.
     */
    public static void assertConforms(JsonNode actual, JsonNode example, Map<String, Predicate<JsonNode>> rules) {
        compare("", actual, example, rules);
    }

    private static void compare(String path, JsonNode actual, JsonNode example, Map<String, Predicate<JsonNode>> rules) {
        assertThat(actual).as("field %s is missing", path).isNotNull();
        var rule = rules.get(path);
        if (rule != null) {
            assertThat(rule.test(actual)).as("field %s has an unexpected value: %s", path, actual).isTrue();
            return;
        }
        if (example.isObject()) {
            assertThat(actual.isObject()).as("field %s must be an object but is %s", path, actual).isTrue();
            for (var entry : example.properties()) {
                compare(path + "/" + entry.getKey(), actual.get(entry.getKey()), entry.getValue(), rules);
            }
        } else if (example.isArray()) {
            assertThat(actual.isArray()).as("field %s must be an array but is %s", path, actual).isTrue();
            assertThat(actual.size()).as("length of %s", path).isEqualTo(example.size());
            for (int i = 0; i < example.size(); i++) {
                compare(path + "/" + i, actual.get(i), example.get(i), rules);
            }
        } else {
            assertThat(actual.getNodeType()).as("JSON type of %s", path).isEqualTo(example.getNodeType());
            assertThat(actual).as("value of %s", path).isEqualTo(example);
        }
    }
}
