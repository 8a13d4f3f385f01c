package dev.herald.service.svix;

import dev.herald.core.account.Account;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.id.RandomIds;

import java.math.BigInteger;
import java.util.Optional;
import java.util.UUID;

/**
 * Herald's rows under Svix's id prefixes: an application is {@code app_} and its account's UUID in base62; an
 * endpoint {@code ep_} and the suffix of its {@code wh_} id; a message {@code msg_} and the suffix of its
 * {@code evt_} id ({@link dev.herald.core.event.EventId#svixMessageId}); an attempt {@code atmpt_} and its row
 * key in base62; a background task {@code qtask_} and random characters. Each maps back without a lookup table.
 */
public final class SvixIds {
    public static final String APPLICATION = "app_";
    public static final String ENDPOINT = "ep_";
    public static final String ATTEMPT = "atmpt_";
    public static final String TASK = "qtask_";

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);
    /** 62^22 exceeds 2^128, so every UUID fits in 22 base62 characters. */
    private static final int UUID_CHARS = 22;
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    private SvixIds() {
    }

    public static String application(Account account) {
        UUID uuid = account.uuid();
        BigInteger value = new BigInteger(1, toBytes(uuid));
        return APPLICATION + pad(encode(value), UUID_CHARS);
    }

    /** The UUID of the account an {@code app_} id names; empty when it is not one. */
    public static Optional<UUID> applicationUuid(String text) {
        if (text == null || !text.startsWith(APPLICATION) || text.length() != APPLICATION.length() + UUID_CHARS) {
            return Optional.empty();
        }
        return decode(text.substring(APPLICATION.length())).filter(v -> v.compareTo(TWO_128) < 0).map(v -> {
            byte[] bytes = new byte[16];
            byte[] raw = v.toByteArray();
            int copy = Math.min(raw.length, 16);
            System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (bytes[i] & 0xff);
                low = (low << 8) | (bytes[i + 8] & 0xff);
            }
            return new UUID(high, low);
        });
    }

    public static String endpoint(Endpoint endpoint) {
        return ENDPOINT + endpoint.publicId().value().substring(WebhookId.PREFIX.length());
    }

    /** The {@code wh_} id an {@code ep_} id (or a {@code wh_} id itself) names; empty when it is neither. */
    public static Optional<WebhookId> webhookId(String text) {
        if (text != null && text.startsWith(ENDPOINT)) {
            String canonical = WebhookId.PREFIX + text.substring(ENDPOINT.length());
            return WebhookId.isValid(canonical) ? Optional.of(new WebhookId(canonical)) : Optional.empty();
        }
        return WebhookId.isValid(text) ? Optional.of(new WebhookId(text)) : Optional.empty();
    }

    public static String attempt(long key) {
        return ATTEMPT + encode(BigInteger.valueOf(key));
    }

    public static String task() {
        return RandomIds.next(TASK, 27);
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) high;
            bytes[i + 8] = (byte) low;
            high >>>= 8;
            low >>>= 8;
        }
        return bytes;
    }

    private static String encode(BigInteger value) {
        if (value.signum() == 0) {
            return "0";
        }
        var sb = new StringBuilder();
        BigInteger rest = value;
        while (rest.signum() > 0) {
            BigInteger[] qr = rest.divideAndRemainder(SIXTY_TWO);
            sb.append(BASE62.charAt(qr[1].intValue()));
            rest = qr[0];
        }
        return sb.reverse().toString();
    }

    private static Optional<BigInteger> decode(String text) {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = BASE62.indexOf(text.charAt(i));
            if (digit < 0) {
                return Optional.empty();
            }
            value = value.multiply(SIXTY_TWO).add(BigInteger.valueOf(digit));
        }
        return Optional.of(value);
    }

    private static String pad(String text, int length) {
        return "0".repeat(Math.max(0, length - text.length())) + text;
    }
}
