package dev.herald.service.endpoint;

import dev.herald.core.error.EchoedText;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the custom headers an endpoint sends with every delivery: RFC 7230 token names, printable values
 * without CR/LF (no header injection), and none of the headers Herald itself sets or that change framing.
 */
final class CustomHeaders {
    static final int MAX_HEADERS = 20;
    static final int MAX_VALUE_LENGTH = 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Set<String> RESERVED = Set.of("host", "content-type", "content-length", "content-encoding",
            "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-authorization",
            "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature");

    private CustomHeaders() {
    }

    static Map<String, String> check(Map<String, String> headers, String signatureHeader) {
        if (headers.size() > MAX_HEADERS) {
            throw invalid("at most " + MAX_HEADERS + " custom headers are allowed");
        }
        var checked = new LinkedHashMap<String, String>();
        for (var entry : headers.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue();
            if (!TOKEN.matcher(name).matches()) {
                throw invalid("header name '" + EchoedText.of(name) + "' is not a valid HTTP header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("x-herald-")
                    || lower.equals(signatureHeader.toLowerCase(Locale.ROOT))) {
                throw invalid("header '" + name + "' is set by Herald and cannot be overridden");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw invalid("header '" + name + "' value must be at most " + MAX_VALUE_LENGTH + " characters");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    throw invalid("header '" + name + "' value must not contain control characters");
                }
            }
            for (String existing : checked.keySet()) {
                if (existing.equalsIgnoreCase(name)) {
                    throw invalid("header '" + name + "' is given twice");
                }
            }
            checked.put(name, value.strip());
        }
        return checked;
    }

    private static HeraldException invalid(String message) {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, "headers", message);
    }
}
