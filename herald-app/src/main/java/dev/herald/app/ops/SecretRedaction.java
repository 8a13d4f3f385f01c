package dev.herald.app.ops;

import java.util.regex.Pattern;

/**
 * The last line of defence against secrets in logs: masks API keys, signing secrets and bearer tokens in
 * every encoded log line. Code never logs secrets on purpose; this catches the accident (an exception
 * message quoting a request body, a library logging a header).
 */
final class SecretRedaction {
    private static final Pattern SECRETS = Pattern.compile(
            "(sk_live_|whsec_)[A-Za-z0-9+/=_-]+|(?i)(bearer\\s+)[^\\s\",}]+");

    private SecretRedaction() {
    }

    static String redact(String line) {
        if (!mayHoldSecret(line)) {
            return line; // the common case, found without running the pattern over every position
        }
        return SECRETS.matcher(line).replaceAll(m -> m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***");
    }

    /** False only when none of the pattern's anchors (key prefixes, "bearer" in any case) occurs. */
    static boolean mayHoldSecret(String line) {
        if (line.contains("sk_live_") || line.contains("whsec_")) {
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
