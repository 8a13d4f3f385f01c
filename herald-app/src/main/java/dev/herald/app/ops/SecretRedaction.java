package dev.herald.app.ops;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The last line of defence against secrets in logs: masks API keys ({@code sk_live_…}, {@code sk_platform_…}),
 * signing secrets, bearer tokens, {@code password=} parameters (of a JDBC URL) and the configured secrets (the admin
 * token) in every encoded log line. Code never
 * logs secrets on purpose; this catches the accident (an exception message quoting a request body, a library
 * logging a header, a token pasted into a URL path that the access log writes).
 */
final class SecretRedaction {
    private static final Pattern SECRETS = Pattern.compile(
            "(sk_live_|sk_platform_|whsec_)[A-Za-z0-9+/=_-]+|(password=)[^&\\s\",}]+|(?i)(bearer\\s+)[^\\s\",}]+");
    /** Shorter configured values are refused by the configuration (the admin token needs 16 characters). */
    private static final int MIN_LITERAL_LENGTH = 8;
    private static final String MASK = "***";
    /**
     * Configured secrets, masked wherever they occur. Static because logback, not the composition root, creates
     * the encoders; the list only grows by a few entries per started server.
     */
    private static final List<String> LITERALS = new CopyOnWriteArrayList<>();

    private SecretRedaction() {
    }

    /** Masks {@code secret} (and its URL-encoded form) in every later log line. */
    static void maskLiterally(String secret) {
        if (secret == null || secret.length() < MIN_LITERAL_LENGTH) {
            return;
        }
        addLiteral(secret);
        addLiteral(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    private static void addLiteral(String literal) {
        if (!LITERALS.contains(literal)) {
            LITERALS.add(literal);
        }
    }

    static String redact(String line) {
        String masked = line;
        for (String literal : LITERALS) {
            if (masked.contains(literal)) {
                masked = masked.replace(literal, MASK);
            }
        }
        if (!mayHoldSecret(masked)) {
            return masked; // the common case, found without running the pattern over every position
        }
        return SECRETS.matcher(masked).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                (m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3)) + MASK));
    }

    /** False only when none of the pattern's anchors (key prefixes, "bearer" in any case) occurs. */
    static boolean mayHoldSecret(String line) {
        if (line.contains("sk_live_") || line.contains("whsec_") || line.contains("sk_platform_")
                || line.contains("password=")) {
            return true;
        }
        for (int i = 0; i + 6 <= line.length(); i++) {
            char c = line.charAt(i);
            if ((c == 'b' || c == 'B') && line.regionMatches(true, i, "bearer", 0, 6)) {
                return true;
            }
        }
        return false;
    }
}
