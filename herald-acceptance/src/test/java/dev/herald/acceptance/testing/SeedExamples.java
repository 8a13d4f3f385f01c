package dev.herald.acceptance.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.http.Json;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a response with a seed document's example field by field: every field the example shows must be
 * there with the same JSON type; ids, secrets and times are checked for shape, counters for type, and every
 * other value for equality. Extra fields in the response are allowed (additive is compatible).
 */
public final class SeedExamples {
    public static final Pattern RFC3339 = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    public static final Pattern WEBHOOK_ID = Pattern.compile("wh_[0-9A-Za-z]{1,64}");
    public static final Pattern EVENT_ID = Pattern.compile("evt_[0-9A-Za-z]{1,64}");
    public static final Pattern GENERATED_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/]{43}=");
    private static final Set<String> TIME_FIELDS = Set.of("last_success", "last_failure", "timestamp");
    private static final Set<String> COUNTER_FIELDS = Set.of("total_sent", "successful", "failed");

    private SeedExamples() {
    }

    public static JsonNode parse(String exampleJson) {
        try {
            return Json.mapper().readTree(exampleJson);
        } catch (IOException e) {
            throw new AssertionError("seed example is not JSON", e);
        }
    }

    public static void assertMatches(String exampleJson, JsonNode actual) {
        assertMatches("", parse(exampleJson), actual);
    }

    private static void assertMatches(String path, JsonNode example, JsonNode actual) {
        assertThat(actual.isMissingNode()).as("%s is present", path).isFalse();
        if (example.isObject()) {
            assertThat(actual.isObject()).as("%s is an object", path).isTrue();
            for (var field : example.properties()) {
                String name = field.getKey();
                assertThat(actual.has(name)).as("field %s.%s is present in %s", path, name, actual).isTrue();
                assertMatches(path + "." + name, field.getValue(), actual.get(name));
            }
            return;
        }
        if (example.isArray()) {
            assertThat(actual.isArray()).as("%s is an array", path).isTrue();
            if (path.endsWith(".data")) {
                // A list example shows some items; ours must be shaped like its first item.
                for (JsonNode item : actual) {
                    assertShape(path + "[]", example.get(0), item);
                }
                return;
            }
            assertThat(actual).as("%s", path).isEqualTo(example);
            return;
        }
        String name = path.substring(path.lastIndexOf('.') + 1);
        if (name.equals("id")) {
            assertThat(actual.asText()).as(path).matches(example.asText().startsWith("evt_") ? EVENT_ID : WEBHOOK_ID);
        } else if (name.equals("secret") && example.asText().startsWith("whsec_")) {
            assertThat(actual.asText()).as(path).matches(GENERATED_SECRET);
        } else if (name.endsWith("_at") || TIME_FIELDS.contains(name)) {
            assertThat(actual.isNull() || RFC3339.matcher(actual.asText()).matches())
                    .as("%s is RFC 3339 or null: %s", path, actual).isTrue();
        } else if (COUNTER_FIELDS.contains(name)) {
            assertThat(actual.isIntegralNumber()).as("%s is an integer: %s", path, actual).isTrue();
        } else {
            assertThat(actual).as(path).isEqualTo(example);
        }
    }

    /** Same fields and JSON types as the example item; values are the test's own. */
    private static void assertShape(String path, JsonNode example, JsonNode actual) {
        assertThat(actual.isObject()).as("%s is an object", path).isTrue();
        for (var field : example.properties()) {
            JsonNode value = actual.get(field.getKey());
            assertThat(value).as("field %s.%s is present", path, field.getKey()).isNotNull();
            assertThat(value.getNodeType()).as("type of %s.%s", path, field.getKey())
                    .isEqualTo(field.getValue().getNodeType());
        }
        assertThat(actual.get("id").asText()).matches(WEBHOOK_ID);
        assertThat(actual.get("created_at").asText()).matches(RFC3339);
    }
}
