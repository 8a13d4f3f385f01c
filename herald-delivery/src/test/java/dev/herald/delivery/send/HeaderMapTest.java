package dev.herald.delivery.send;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attempt's header map behaves as the linked hash map it replaced: order, replacement, removal, equality. */
class HeaderMapTest {
    @Test
    void keepsPutOrderAndAReplacedNameKeepsItsPlace() {
        var headers = new HeaderMap(2);
        headers.put("X-Team", "payments");
        headers.put("webhook-id", "evt_1");
        headers.put("webhook-timestamp", "1700000000");
        headers.put("X-Team", "billing");

        assertThat(headers).containsExactly(Map.entry("X-Team", "billing"), Map.entry("webhook-id", "evt_1"),
                Map.entry("webhook-timestamp", "1700000000"));
        assertThat(headers.name(0)).isEqualTo("X-Team");
        assertThat(headers.value(2)).isEqualTo("1700000000");
        assertThat(headers.get("webhook-id")).isEqualTo("evt_1");
        assertThat(headers.get("Webhook-Id")).as("names are compared exactly, as the linked map compared them").isNull();
        var seen = new ArrayList<String>();
        headers.forEach((name, value) -> seen.add(name + "=" + value));
        assertThat(seen).containsExactly("X-Team=billing", "webhook-id=evt_1", "webhook-timestamp=1700000000");
    }

    /** Random puts and removals against a LinkedHashMap: the same entries in the same order after every step. */
    @Test
    void matchesALinkedHashMapThroughRandomPutsAndRemovals() {
        var random = new Random(25);
        var expected = new LinkedHashMap<String, String>();
        var actual = new HeaderMap(1);
        for (int step = 0; step < 2_000; step++) {
            String name = "h" + random.nextInt(12);
            switch (random.nextInt(4)) {
                case 0 -> assertThat(actual.remove(name)).isEqualTo(expected.remove(name));
                case 1 -> {
                    var it = actual.entrySet().iterator();
                    var itExpected = expected.entrySet().iterator();
                    while (it.hasNext()) {
                        var entry = it.next();
                        assertThat(entry).isEqualTo(itExpected.next());
                        if (entry.getKey().equals(name)) {
                            it.remove();
                            itExpected.remove();
                        }
                    }
                }
                default -> {
                    String value = "v" + step;
                    assertThat(actual.put(name, value)).isEqualTo(expected.put(name, value));
                }
            }
            assertThat(List.copyOf(actual.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
            assertThat(actual).isEqualTo(expected).hasSameHashCodeAs(expected);
        }
    }

    @Test
    void aValuePutAsBytesIsReadAsItsCharactersAndKeptAsItsBytes() {
        var headers = new HeaderMap(2);
        byte[] signature = "v1,abc=".getBytes(StandardCharsets.US_ASCII);
        headers.put("X-Team", "payments");
        headers.put("webhook-signature", signature);

        assertThat(headers.asciiValue(1)).isSameAs(signature);
        assertThat(headers.asciiValue(0)).as("a value put as a string has no bytes of its own").isNull();
        assertThat(headers.value(1)).isEqualTo("v1,abc=");
        assertThat(headers).isEqualTo(Map.of("X-Team", "payments", "webhook-signature", "v1,abc="));
        assertThat(headers.put("webhook-signature", "v1,def=")).isEqualTo("v1,abc=");
        assertThat(headers.asciiValue(1)).isNull();
        headers.put("X-Team", signature);
        assertThat(headers.remove("X-Team")).isEqualTo("v1,abc=");
        assertThat(headers).containsExactly(Map.entry("webhook-signature", "v1,def="));
    }

    @Test
    void refusesNullNamesAndValuesAndIndexesOutOfRange() {
        var headers = new HeaderMap(4);
        headers.put("a", "1");
        assertThatThrownBy(() -> headers.put(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> headers.put("b", (String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> headers.put("b", (byte[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> headers.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
        headers.clear();
        assertThat(headers).isEmpty();
        assertThatThrownBy(() -> headers.value(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
