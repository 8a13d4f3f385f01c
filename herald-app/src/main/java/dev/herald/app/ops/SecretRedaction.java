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
        return SECRETS.matcher(line).replaceAll(m -> m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***");
    }
}
