package dev.herald.core.outbound;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an endpoint URL before it is stored: scheme allowed by configuration (HTTPS only by default),
 * 1–2083 characters, a host, no credentials, no control characters, and — when the host is a literal
 * address, including the decimal/octal/hex IPv4 forms browsers accept — an address the {@link AddressPolicy}
 * allows. Hostnames are resolved and checked again at send time.
 */
public final class UrlPolicy {
    public static final int MAX_LENGTH = 2083;
    private static final Pattern HOST_LABELS = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?");
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9a-fx.]+");

    private final Set<String> allowedSchemes;
    private final AddressPolicy addresses;

    private UrlPolicy(Set<String> allowedSchemes, AddressPolicy addresses) {
        this.allowedSchemes = Set.copyOf(allowedSchemes);
        this.addresses = addresses;
    }

    public static UrlPolicy create(Set<String> allowedSchemes, AddressPolicy addresses) {
        for (var s : allowedSchemes) {
            if (!s.equals("https") && !s.equals("http")) {
                throw new IllegalArgumentException("only http and https schemes are supported, not " + s);
            }
        }
        return new UrlPolicy(allowedSchemes, addresses);
    }

    public AddressPolicy addresses() {
        return addresses;
    }

    /** Returns the parsed URI or throws {@code invalid_url} saying what is wrong. */
    public URI check(String url) {
        if (url == null || url.isEmpty()) {
            throw invalid("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw invalid("url must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw invalid("url must not contain spaces or control characters");
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is malformed");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (!allowedSchemes.contains(scheme)) {
            throw invalid(allowedSchemes.contains("http") ? "url must use http or https" : "URL must be HTTPS");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not contain credentials");
        }
        String host = uri.getHost() != null ? uri.getHost() : registryHost(uri.getRawAuthority());
        if (host == null || host.isEmpty()) {
            throw invalid("url must have a host");
        }
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) > 0x7e) {
                throw invalid("url host must be ASCII; use the punycode (xn--) form of an internationalised name");
            }
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not contain a fragment");
        }
        checkHost(host.toLowerCase(Locale.ROOT));
        return uri;
    }

    /**
     * {@link URI#getHost()} is null for authorities that are not RFC 2396 hostnames ({@code 0x7f.1},
     * {@code exa_mple.com}); take the host from the raw authority so they are judged, not waved through.
     */
    private static String registryHost(String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? null : hostPort.substring(0, close + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private void checkHost(String host) {
        hostRefusal(host).ifPresent(reason -> {
            throw invalid("url " + reason);
        });
    }

    /**
     * Why {@code host} (lower case, as in a URL) may not be contacted, judged without DNS like a URL's host; empty
     * when it may. Broker destinations use it for their hosts.
     */
    public Optional<String> hostRefusal(String host) {
        Optional<InetAddress> literal = literalAddress(host);
        if (literal.isPresent()) {
            return addresses.refusal(literal.get()).map(reason -> "host is not allowed: " + reason);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return Optional.of("host is not a valid hostname");
        }
        if (!HOST_LABELS.matcher(ascii).matches() || ascii.length() > 253) {
            return Optional.of("host is not a valid hostname");
        }
        if (ascii.equals("localhost") || ascii.endsWith(".localhost") || ascii.equals("localhost.")) {
            if (addresses.refusal(InetAddress.getLoopbackAddress()).isPresent()) {
                return Optional.of("host is not allowed: localhost");
            }
        }
        return Optional.empty();
    }

    /**
     * The address a host denotes without DNS: bracketed IPv6, dotted IPv4, and the legacy numeric forms
     * ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}) that some resolvers accept.
     */
    public static Optional<InetAddress> literalAddress(String host) {
        try {
            if (host.startsWith("[") && host.endsWith("]")) {
                return Optional.of(InetAddress.getByName(host.substring(1, host.length() - 1)));
            }
            if (host.contains(":")) {
                return Optional.of(InetAddress.getByName(host));
            }
            byte[] quad = plainDottedQuad(host);
            if (quad != null) {
                return Optional.of(InetAddress.getByAddress(quad));
            }
            if (!NUMERIC_HOST.matcher(host).matches() || host.chars().noneMatch(Character::isDigit)) {
                return Optional.empty();
            }
            return legacyIpv4(host);
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The four bytes of a plain {@code a.b.c.d} (decimal, 0-255, no leading zeros), or null for anything else, which
     * the general parse below judges. Every attempt to an address endpoint checks its host (three times, as the
     * sender, its resolver and the client each do), so the common form is read without a regex, a split or boxing.
     */
    private static byte[] plainDottedQuad(String host) {
        byte[] quad = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // a leading zero: octal in the legacy forms
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                quad[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? quad : null;
    }

    private static Optional<InetAddress> legacyIpv4(String host) throws java.net.UnknownHostException {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> v = parseNumber(parts[i]);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            values[i] = v.get();
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address = (address << 8) | values[i];
        }
        int remainingBytes = 4 - (values.length - 1);
        long last = values[values.length - 1];
        if (last >= (1L << (8 * remainingBytes))) {
            return Optional.empty();
        }
        address = (address << (8 * remainingBytes)) | last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return Optional.of(InetAddress.getByAddress(bytes));
    }

    private static Optional<Long> parseNumber(String part) {
        try {
            if (part.isEmpty()) {
                return Optional.empty();
            }
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? Optional.of(0L) : Optional.of(Long.parseLong(part.substring(2), 16));
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Optional.of(Long.parseLong(part.substring(1), 8));
            }
            return Optional.of(Long.parseLong(part));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static HeraldException invalid(String message) {
        return HeraldException.field(ErrorCode.INVALID_URL, "url", message);
    }
}
