package dev.herald.core.destination;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The user-info part of a broker URL ({@code user:password} or a token), a secret: stored like signing secrets,
 * never shown after creation and never logged, which is why {@link #toString()} hides it.
 *
 * @param userInfo as written in the URL, still percent-encoded
 */
public record BrokerCredentials(String userInfo) {
    /** What every API response and log shows in place of credentials. */
    public static final String REDACTED = "***";

    public BrokerCredentials {
        Objects.requireNonNull(userInfo, "userInfo");
        if (userInfo.isEmpty()) {
            throw new IllegalArgumentException("credentials must not be empty");
        }
    }

    /** The user name, or the whole value when it holds no {@code :} (a token), decoded. */
    public String username() {
        int colon = userInfo.indexOf(':');
        return decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    }

    /** The password after the first {@code :}, decoded; empty for a token. */
    public Optional<String> password() {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BrokerCredentials[" + REDACTED + "]";
    }
}
