package dev.herald.core.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Sha256.hex spells the JDK's SHA-256 in lowercase hex, however its kept digests are shared. */
class Sha256Test {
    private static String jdk(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void knownAnswers() {
        assertThat(Sha256.hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void equalsTheJdksDigestForAsciiAndOtherText() throws Exception {
        var random = new Random(256);
        for (int length = 0; length < 200; length++) {
            var text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                // mostly ASCII, with Latin-1, other BMP characters and surrogate pairs among them
                int pick = random.nextInt(10);
                text.append(pick < 7 ? (char) (' ' + random.nextInt(95)) : pick == 7 ? "é" : pick == 8 ? "€" : "😀");
            }
            assertThat(Sha256.hex(text.toString())).as("length %d", length).isEqualTo(jdk(text.toString()));
        }
    }

    @Test
    void partsHashAsTheirConcatenation() throws Exception {
        byte[] body = "{\"type\":\"order.created\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Sha256.hex("POST".getBytes(StandardCharsets.UTF_8), new byte[] {' '},
                "/v1/events".getBytes(StandardCharsets.UTF_8), new byte[] {'\n'}, body, new byte[0]))
                .isEqualTo(jdk("POST /v1/events\n{\"type\":\"order.created\"}"));
        assertThat(Sha256.hex(new byte[0][])).isEqualTo(jdk(""));
    }

    @Test
    void aDigestSharedBetweenThreadsNeverMixesTwoHashes() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            texts.add("sk_live_" + i + "-".repeat(i % 90));
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (String text : texts) {
                checks.add(pool.submit(() -> Sha256.hex(text).equals(jdk(text))));
            }
            for (var check : checks) {
                assertThat(check.get()).isTrue();
            }
        }
    }
}
