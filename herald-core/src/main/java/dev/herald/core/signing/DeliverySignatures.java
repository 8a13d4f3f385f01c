package dev.herald.core.signing;

import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import javax.crypto.Mac;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
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
    private static final HexFormat HEX = HexFormat.of();

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
        putHeaders(headers, messageId, timestamp, body, keys, EventFormat.CANONICAL);
    }

    /**
     * Puts the headers of a delivery in {@code format} into {@code headers}: for a canonical event those of
     * {@link #headers}; for a Svix message the Standard Webhooks trio twice, as {@code svix-id}, {@code svix-timestamp},
     * {@code svix-signature} and as {@code webhook-*}, under the message's {@code msg_} id, and no timestamped header
     * (Svix sends none).
     */
    public void putHeaders(Map<String, String> headers, EventId event, EventFormat format, Instant timestamp,
                           byte[] body, Keys keys) {
        String messageId = format == EventFormat.CANONICAL ? event.value() : event.svixMessageId();
        putHeaders(headers, messageId, timestamp, body, keys, format);
    }

    private void putHeaders(Map<String, String> headers, String messageId, Instant timestamp, byte[] body, Keys keys,
                            EventFormat format) {
        boolean svix = format == EventFormat.SVIX;
        String ts = Long.toString(timestamp.getEpochSecond());
        byte[] tsBytes = ts.getBytes(StandardCharsets.US_ASCII);
        byte[] idBytes = messageId.getBytes(StandardCharsets.UTF_8);

        int n = keys.standard.size();
        // Sized for their values (v1, and 44 base64 characters; ,v1= and 64 hex digits), so they never grow.
        var standard = new StringBuilder(48 * n);
        var timestamped = svix ? null : new StringBuilder(2 + ts.length() + 68 * n).append("t=").append(ts);
        for (int i = 0; i < n; i++) {
            byte[] sw = Hmac.sha256(keys.standard.get(i), idBytes, DOT, tsBytes, DOT, body);
            if (!standard.isEmpty()) {
                standard.append(' ');
            }
            standard.append("v1,").append(Base64.getEncoder().encodeToString(sw));
            if (!svix) {
                byte[] st = Hmac.sha256(keys.timestamped.get(i), tsBytes, DOT, body);
                HEX.formatHex(timestamped.append(",v1="), st);
            }
        }
        String signature = standard.toString();
        if (svix) {
            headers.put("svix-id", messageId);
            headers.put("svix-timestamp", ts);
            headers.put("svix-signature", signature);
        }
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", ts);
        headers.put("webhook-signature", signature);
        if (!svix) {
            headers.put(timestampedHeaderName, timestamped.toString());
        }
    }

    /**
     * An endpoint's valid secrets (newest first) as keyed HMAC prototypes for both schemes; shared by concurrent
     * sends, each of which signs with its own copy.
     */
    public static final class Keys {
        private final List<Mac> standard;
        private final List<Mac> timestamped;

        private Keys(List<Mac> standard, List<Mac> timestamped) {
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
