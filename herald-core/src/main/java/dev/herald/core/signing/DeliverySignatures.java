package dev.herald.core.signing;

import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the signature headers of one delivery request: Standard Webhooks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}) and the timestamped {@code t=…,v1=…} header,
 * each signed with every currently valid secret (newest first) so receivers keep verifying during a rotation.
 */
public final class DeliverySignatures {
    private static final byte[] DOT = {'.'};
    private static final byte[] BASE64_DIGITS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    /** A signature's length in padded Base64. */
    private static final int BASE64_LENGTH = (Hmac.LENGTH + 2) / 3 * 4;
    /** {@code v1,}, a signature's Base64 characters and the space before the next. */
    private static final int STANDARD_ENTRY = 3 + BASE64_LENGTH + 1;
    /** {@code ,v1=} and a signature's 64 hex digits. */
    private static final int TIMESTAMPED_ENTRY = 4 + 2 * Hmac.LENGTH;

    private final String timestampedHeaderName;

    private DeliverySignatures(String timestampedHeaderName) {
        this.timestampedHeaderName = timestampedHeaderName;
    }

    /** @param headerPrefix e.g. {@code X-Herald} gives {@code X-Herald-Signature} */
    public static DeliverySignatures create(String headerPrefix) {
        if (headerPrefix == null || !headerPrefix.matches("[A-Za-z0-9][A-Za-z0-9-]{0,60}")) {
            throw new IllegalArgumentException("signature header prefix must be letters, digits and dashes");
        }
        return new DeliverySignatures(headerPrefix + "-Signature");
    }

    public String timestampedHeaderName() {
        return timestampedHeaderName;
    }

    /** The headers to send, in a stable order. {@code secrets} must not be empty. */
    public Map<String, String> headers(String messageId, Instant timestamp, byte[] body, List<SigningSecret> secrets) {
        return headers(messageId, timestamp, body, keys(secrets));
    }

    /** The secrets keyed once, for signing many deliveries. {@code secrets} must not be empty. */
    public static Keys keys(List<SigningSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a delivery is signed with at least one secret");
        }
        return new Keys(secrets.stream().map(s -> Hmac.keyed(s.standardWebhooksKey())).toList(),
                secrets.stream().map(s -> Hmac.keyed(s.timestampedKey())).toList());
    }

    /** The headers to send, in a stable order, signed with every one of {@code keys}. */
    public Map<String, String> headers(String messageId, Instant timestamp, byte[] body, Keys keys) {
        var headers = new LinkedHashMap<String, String>();
        putHeaders(headers, messageId, timestamp, body, keys);
        return headers;
    }

    /** Puts the headers {@link #headers} returns into {@code headers}, in the same order (no map of their own). */
    public void putHeaders(Map<String, String> headers, String messageId, Instant timestamp, byte[] body, Keys keys) {
        putHeaders(asText(headers), messageId, timestamp, body, keys, EventFormat.CANONICAL);
    }

    /**
     * Puts the headers of a delivery in {@code format} into {@code headers}: for a canonical event those of
     * {@link #headers}; for a Svix message the Standard Webhooks trio twice, as {@code svix-id}, {@code svix-timestamp},
     * {@code svix-signature} and as {@code webhook-*}, under the message's {@code msg_} id, and no timestamped header
     * (Svix sends none).
     */
    public void putHeaders(Map<String, String> headers, EventId event, EventFormat format, Instant timestamp,
                           byte[] body, Keys keys) {
        putHeaderBytes(asText(headers), event, format, timestamp, body, keys);
    }

    /** As {@link #putHeaders(Map, EventId, EventFormat, Instant, byte[], Keys)}, each value given as its bytes. */
    public void putHeaderBytes(HeaderSink headers, EventId event, EventFormat format, Instant timestamp, byte[] body,
                           Keys keys) {
        String messageId = format == EventFormat.CANONICAL ? event.value() : event.svixMessageId();
        putHeaders(headers, messageId, timestamp, body, keys, format);
    }

    /**
     * Where a delivery's signature headers go, each value as the bytes a request writes, with no string made of them:
     * ASCII, the message id in UTF-8 (an event's id is ASCII). A value's array is never changed once given, and one
     * array may be two headers' value (a Svix message's id, timestamp and signature are each its two trios').
     */
    @FunctionalInterface
    public interface HeaderSink {
        void put(String name, byte[] asciiValue);
    }

    private static HeaderSink asText(Map<String, String> headers) {
        return (name, value) -> headers.put(name, new String(value, StandardCharsets.UTF_8));
    }

    private void putHeaders(HeaderSink headers, String messageId, Instant timestamp, byte[] body, Keys keys,
                            EventFormat format) {
        boolean svix = format == EventFormat.SVIX;
        byte[] ts = decimal(timestamp.getEpochSecond());
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);

        int n = keys.standard.size();
        byte[] mac = new byte[Hmac.LENGTH];
        // Each header value is written as ASCII bytes of its exact length, once: no builder, no String, no
        // intermediate Base64 or hex per secret.
        byte[] standard = new byte[n * STANDARD_ENTRY - 1];
        byte[] timestamped = svix ? null : new byte[2 + ts.length + n * TIMESTAMPED_ENTRY];
        int t = 0;
        if (!svix) {
            timestamped[t++] = 't';
            timestamped[t++] = '=';
            System.arraycopy(ts, 0, timestamped, t, ts.length);
            t += ts.length;
        }
        for (int i = 0; i < n; i++) {
            keys.standard.get(i).sign(mac, id, DOT, ts, DOT, body);
            int s = i * STANDARD_ENTRY;
            if (i > 0) {
                standard[s - 1] = ' ';
            }
            standard[s] = 'v';
            standard[s + 1] = '1';
            standard[s + 2] = ',';
            base64(mac, standard, s + 3);
            if (!svix) {
                keys.timestamped.get(i).sign(mac, ts, DOT, body);
                timestamped[t] = ',';
                timestamped[t + 1] = 'v';
                timestamped[t + 2] = '1';
                timestamped[t + 3] = '=';
                Sha256.spellHex(mac, 0, mac.length, timestamped, t + 4);
                t += TIMESTAMPED_ENTRY;
            }
        }
        if (svix) {
            headers.put("svix-id", id);
            headers.put("svix-timestamp", ts);
            headers.put("svix-signature", standard);
        }
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", ts);
        headers.put("webhook-signature", standard);
        if (!svix) {
            headers.put(timestampedHeaderName, timestamped);
        }
    }

    /** {@code value}'s decimal digits as ASCII bytes, with no string made of them. */
    static byte[] decimal(long value) {
        if (value < 0) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        byte[] out = new byte[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return out;
    }

    /** Writes {@code mac} at {@code at} in padded standard Base64, as {@link java.util.Base64#getEncoder()} would. */
    static void base64(byte[] mac, byte[] out, int at) {
        int o = at;
        int i = 0;
        for (; i + 3 <= mac.length; i += 3) {
            int bits = (mac[i] & 0xff) << 16 | (mac[i + 1] & 0xff) << 8 | (mac[i + 2] & 0xff);
            out[o++] = BASE64_DIGITS[bits >>> 18];
            out[o++] = BASE64_DIGITS[bits >>> 12 & 0x3f];
            out[o++] = BASE64_DIGITS[bits >>> 6 & 0x3f];
            out[o++] = BASE64_DIGITS[bits & 0x3f];
        }
        int left = mac.length - i;
        if (left > 0) {
            int bits = (mac[i] & 0xff) << 16 | (left == 2 ? (mac[i + 1] & 0xff) << 8 : 0);
            out[o++] = BASE64_DIGITS[bits >>> 18];
            out[o++] = BASE64_DIGITS[bits >>> 12 & 0x3f];
            out[o++] = left == 2 ? BASE64_DIGITS[bits >>> 6 & 0x3f] : (byte) '=';
            out[o] = '=';
        }
    }

    /**
     * An endpoint's valid secrets (newest first) as keyed HMACs for both schemes; shared by concurrent sends.
     */
    public static final class Keys {
        private final List<Hmac> standard;
        private final List<Hmac> timestamped;

        private Keys(List<Hmac> standard, List<Hmac> timestamped) {
            this.standard = standard;
            this.timestamped = timestamped;
        }

        /** Never print key material. */
        @Override
        public String toString() {
            return "DeliverySignatures.Keys[" + standard.size() + " secrets, redacted]";
        }
    }
}
