package dev.herald.core.signing;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Herald's HMAC-SHA256 gives the JDK's Mac's bytes for every key length, short, block-long and hashed first. */
class HmacTest {
    private static byte[] jdk(byte[] key, byte[]... parts) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesTheJdksMacForKeysOfEveryLengthAroundTheBlock() throws Exception {
        var random = new Random(2104);
        for (int keyLength = 1; keyLength <= 150; keyLength++) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            byte[][] parts = new byte[5][];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new byte[random.nextInt(3 * keyLength)];
                random.nextBytes(parts[i]);
            }
            var hmac = Hmac.keyed(key);
            byte[] five = new byte[Hmac.LENGTH];
            byte[] three = new byte[Hmac.LENGTH];
            for (int round = 0; round < 2; round++) { // a second round reuses a kept digest
                hmac.sign(five, parts[0], parts[1], parts[2], parts[3], parts[4]);
                hmac.sign(three, parts[0], parts[1], parts[2]);
                assertThat(five).as("key of %d bytes, five parts", keyLength)
                        .isEqualTo(jdk(key, parts[0], parts[1], parts[2], parts[3], parts[4]));
                assertThat(three).as("key of %d bytes, three parts", keyLength)
                        .isEqualTo(jdk(key, parts[0], parts[1], parts[2]));
            }
        }
    }

    /** RFC 4231, test case 2: a short key. */
    @Test
    void givesRfc4231sValue() {
        byte[] out = new byte[Hmac.LENGTH];
        Hmac.keyed(ascii("Jefe")).sign(out, ascii("what do ya want "), ascii("for nothing"), ascii("?"));
        assertThat(HexFormat.of().formatHex(out))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void oneKeySignsOnManyThreadsAtOnce() throws Exception {
        byte[] key = "shared-signing-key".getBytes(StandardCharsets.US_ASCII);
        var hmac = Hmac.keyed(key);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var signed = new java.util.ArrayList<Future<byte[]>>();
            for (int i = 0; i < 2_000; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                signed.add(pool.submit(() -> {
                    byte[] out = new byte[Hmac.LENGTH];
                    hmac.sign(out, message, new byte[0], new byte[0]);
                    return out;
                }));
            }
            for (int i = 0; i < signed.size(); i++) {
                assertThat(signed.get(i).get()).isEqualTo(jdk(key, ascii("message " + i)));
            }
        }
    }
}
