package dev.herald.app.config;

import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.event.EventType;
import dev.herald.core.event.EventTypeName;
import dev.herald.core.outbound.Cidr;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link HeraldConfig}: built-in defaults, then a properties file (path from {@code --config} or
 * {@code HERALD_CONFIG}), then environment variables named {@code HERALD_} + the key upper-cased with dots and
 * dashes as underscores ({@code listen.port} → {@code HERALD_LISTEN_PORT}). Unknown keys in the file and malformed
 * values fail with a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    /** The union of the seeds' catalogs, so a fresh Herald accepts every seed's examples. */
    static final String DEFAULT_EVENT_TYPES = String.join(",",
            "job.completed", "job.failed",
            "message.sent", "message.delivered", "message.received",
            "delivered", "bounced", "deferred", "opened", "clicked", "unsubscribed", "complained", "inbound",
            "asset.processing.completed", "asset.processing.failed");

    private static final Map<String, String> DEFAULT_DESCRIPTIONS = Map.ofEntries(
            Map.entry("job.completed", "A job finished successfully"),
            Map.entry("job.failed", "A job failed"),
            Map.entry("message.sent", "A message was sent"),
            Map.entry("message.delivered", "A message was delivered"),
            Map.entry("message.received", "A message was received"),
            Map.entry("delivered", "Email accepted by recipient server"),
            Map.entry("bounced", "Email rejected"),
            Map.entry("deferred", "Temporary failure, will retry"),
            Map.entry("opened", "Recipient opened email"),
            Map.entry("clicked", "Recipient clicked link"),
            Map.entry("unsubscribed", "Recipient unsubscribed"),
            Map.entry("complained", "Marked as spam"),
            Map.entry("inbound", "Received inbound email"),
            Map.entry("asset.processing.completed", "An asset finished processing"),
            Map.entry("asset.processing.failed", "An asset failed processing"));

    /** Every key Herald understands, with its default. */
    static final Map<String, String> DEFAULTS;

    static {
        var d = new LinkedHashMap<String, String>();
        d.put("listen.host", "127.0.0.1");
        d.put("listen.port", "8080");
        d.put("store", "sqlite:./data");
        d.put("store.pool-size", "10");
        d.put("admin.token", "");
        d.put("delivery.timeout", "5s");
        d.put("delivery.retry-schedule", "0s,1m,5m,30m,2h");
        d.put("delivery.retry-jitter", "0.1");
        d.put("delivery.endpoint-concurrency", "8");
        d.put("delivery.max-in-flight", "512");
        d.put("delivery.lease", "5m");
        d.put("delivery.breaker", "on");
        d.put("outbound.allowed-schemes", "https");
        d.put("outbound.allowlist", "");
        d.put("signature.header-prefix", "X-Herald");
        d.put("event-types", DEFAULT_EVENT_TYPES);
        d.put("secrets.rotation-overlap", "24h");
        d.put("api.rate-limit", "0");
        d.put("log.format", "text");
        d.put("retention.period", "30d");
        d.put("shutdown.grace", "10s");
        d.put("otel.exporter.endpoint", "");
        d.put("otel.service-name", "herald");
        d.put("portal.public-url", "");
        d.put("portal.link-ttl", "15m");
        d.put("portal.session-ttl", "8h");
        d.put("portal.title", "Webhooks");
        d.put("portal.logo-url", "");
        d.put("portal.accent-color", "#4f46e5");
        d.put("portal.frame-ancestors", "'none'");
        DEFAULTS = Map.copyOf(d);
    }

    /**
     * {@code HERALD_} variables that are not configuration keys: read by the launcher script, the test suites, the
     * startup hint (HERALD_CLI, set by the image) or (HERALD_CONFIG) by this loader itself.
     */
    static final java.util.Set<String> OTHER_VARIABLES = java.util.Set.of("HERALD_CONFIG", "HERALD_JAVA_OPTS",
            "HERALD_AOT", "HERALD_CLI");

    private static final Pattern DESCRIPTION_KEY = Pattern.compile("event-types\\.([a-z0-9._-]+)\\.description");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private ConfigLoader() {
    }

    /** As {@link #load(Optional, Map, Optional)}, with relative SQLite paths left relative to the working directory. */
    public static HeraldConfig load(Optional<Path> file, Map<String, String> environment) {
        return load(file, environment, Optional.empty());
    }

    /**
     * Loads the configuration. A relative {@code sqlite:} directory resolves against the directory of the file that
     * set it, or else against {@code home} (the launcher's directory) when given, so a command run from another
     * directory opens the same store instead of creating an empty one where it was started.
     */
    public static HeraldConfig load(Optional<Path> file, Map<String, String> environment, Optional<Path> home) {
        checkVariables(environment);
        var values = new LinkedHashMap<>(DEFAULTS);
        var descriptions = new LinkedHashMap<>(DEFAULT_DESCRIPTIONS);
        Optional<Path> configFile = file.or(() -> Optional.ofNullable(environment.get("HERALD_CONFIG"))
                .filter(s -> !s.isBlank()).map(Path::of));
        Optional<Path> storeBase = home;
        if (configFile.isPresent() && readFile(configFile.get(), values, descriptions).contains("store")) {
            storeBase = Optional.of(configFile.get().toAbsolutePath().getParent());
        }
        for (String key : DEFAULTS.keySet()) {
            String env = environment.get(envName(key));
            if (env != null) {
                values.put(key, env);
                if (key.equals("store")) {
                    storeBase = home;
                }
            }
        }
        return build(values, descriptions, storeBase);
    }

    /** Whether Herald reads the {@code HERALD_} variable {@code name} (a configuration key or a launcher variable). */
    public static boolean isKnownVariable(String name) {
        return OTHER_VARIABLES.contains(name) || DEFAULTS.keySet().stream().anyMatch(key -> envName(key).equals(name));
    }

    /** An unknown {@code HERALD_} variable is a typo until proven otherwise: ignoring it would hide it. */
    private static void checkVariables(Map<String, String> environment) {
        var known = new LinkedHashMap<String, String>();
        DEFAULTS.keySet().forEach(key -> known.put(envName(key), key));
        for (String name : new java.util.TreeSet<>(environment.keySet())) {
            if (!name.startsWith("HERALD_") || known.containsKey(name) || OTHER_VARIABLES.contains(name)
                    || name.startsWith("HERALD_TEST_")) {
                continue;
            }
            String closest = closest(name, known.keySet());
            throw new ConfigException(name, "unknown environment variable; did you mean " + closest + " (key "
                    + known.get(closest) + ")? Every key is listed in config/demo.properties");
        }
    }

    /** The candidate with the smallest edit distance to {@code name}. */
    static String closest(String name, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    public static String envName(String key) {
        return "HERALD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Reads {@code path} into {@code values}; returns the keys it set. */
    private static java.util.Set<String> readFile(Path path, Map<String, String> values, Map<String, String> descriptions) {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("config file", "cannot read " + path + ": " + e.getMessage());
        }
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            Matcher description = DESCRIPTION_KEY.matcher(key);
            if (description.matches()) {
                descriptions.put(description.group(1), value);
            } else if (DEFAULTS.containsKey(key)) {
                values.put(key, value);
            } else {
                throw new ConfigException(key, "unknown configuration key in " + path + "; did you mean "
                        + closest(key, DEFAULTS.keySet()) + "?");
            }
        }
        return properties.stringPropertyNames();
    }

    private static HeraldConfig build(Map<String, String> v, Map<String, String> descriptions, Optional<Path> storeBase) {
        int poolSize = integer(v, "store.pool-size", 1, 200);
        Duration timeout = duration(v, "delivery.timeout");
        if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException("delivery.timeout", "must be between 1ms and 5m");
        }
        return new HeraldConfig(
                nonBlank(v, "listen.host"),
                integer(v, "listen.port", 0, 65535),
                StoreLocation.parse("store", nonBlank(v, "store"), poolSize).resolvedAgainst(storeBase),
                Optional.of(v.get("admin.token").trim()).filter(s -> !s.isEmpty()).map(t -> adminToken(t)),
                timeout,
                retrySchedule(v),
                integer(v, "delivery.endpoint-concurrency", 1, 1024),
                integer(v, "delivery.max-in-flight", 1, 100_000),
                duration(v, "delivery.lease"),
                schemes(v),
                cidrs(v),
                nonBlank(v, "signature.header-prefix"),
                eventTypes(v, descriptions),
                duration(v, "secrets.rotation-overlap"),
                integer(v, "api.rate-limit", 0, 1_000_000),
                logFormat(v),
                duration(v, "retention.period"),
                duration(v, "shutdown.grace"),
                tracing(v),
                portal(v),
                onOff(v, "delivery.breaker"));
    }

    private static boolean onOff(Map<String, String> v, String key) {
        return switch (v.get(key).trim()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new ConfigException(key, "must be on or off, got '" + v.get(key).trim() + "'");
        };
    }

    private static String adminToken(String token) {
        if (token.length() < 16) {
            throw new ConfigException("admin.token", "must be at least 16 characters");
        }
        return token;
    }

    private static String nonBlank(Map<String, String> v, String key) {
        String value = v.get(key).trim();
        if (value.isEmpty()) {
            throw new ConfigException(key, "must not be empty");
        }
        return value;
    }

    private static int integer(Map<String, String> v, String key, int min, int max) {
        String raw = v.get(key).trim();
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be an integer, got '" + raw + "'");
        }
    }

    static Duration parseDuration(String key, String raw) {
        Matcher m = DURATION.matcher(raw.trim());
        if (!m.matches()) {
            throw new ConfigException(key, "must be a duration like 500ms, 5s, 1m, 2h or 30d, got '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration duration(Map<String, String> v, String key) {
        return parseDuration(key, v.get(key));
    }

    private static RetrySchedule retrySchedule(Map<String, String> v) {
        var delays = new ArrayList<Duration>();
        for (String part : v.get("delivery.retry-schedule").split(",")) {
            if (!part.isBlank()) {
                delays.add(parseDuration("delivery.retry-schedule", part));
            }
        }
        if (delays.isEmpty() || delays.size() > 50) {
            throw new ConfigException("delivery.retry-schedule", "must list 1-50 delays, e.g. 0s,1m,5m,30m,2h");
        }
        double jitter;
        try {
            jitter = Double.parseDouble(v.get("delivery.retry-jitter").trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("delivery.retry-jitter", "must be a number in [0, 1)");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new ConfigException("delivery.retry-jitter", "must be a number in [0, 1)");
        }
        return new RetrySchedule(delays, jitter);
    }

    private static java.util.Set<String> schemes(Map<String, String> v) {
        var schemes = new LinkedHashSet<String>();
        for (String s : v.get("outbound.allowed-schemes").split(",")) {
            String scheme = s.trim().toLowerCase(Locale.ROOT);
            if (scheme.isEmpty()) {
                continue;
            }
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new ConfigException("outbound.allowed-schemes", "only https and http are supported, got '" + s.trim() + "'");
            }
            schemes.add(scheme);
        }
        if (schemes.isEmpty()) {
            throw new ConfigException("outbound.allowed-schemes", "must allow at least one scheme");
        }
        return java.util.Set.copyOf(schemes);
    }

    private static List<Cidr> cidrs(Map<String, String> v) {
        var cidrs = new ArrayList<Cidr>();
        for (String s : v.get("outbound.allowlist").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                cidrs.add(Cidr.parse(s.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("outbound.allowlist", "'" + s.trim() + "' is not a CIDR such as 127.0.0.0/8");
            }
        }
        return List.copyOf(cidrs);
    }

    private static List<EventType> eventTypes(Map<String, String> v, Map<String, String> descriptions) {
        var types = new ArrayList<EventType>();
        var seen = new LinkedHashSet<String>();
        for (String s : v.get("event-types").split(",")) {
            String name = s.trim();
            if (name.isEmpty() || !seen.add(name)) {
                continue;
            }
            if (!EventTypeName.isValid(name)) {
                throw new ConfigException("event-types", "'" + name + "' is not a valid event type name");
            }
            types.add(new EventType(name, descriptions.getOrDefault(name, ""), Optional.empty()));
        }
        return List.copyOf(types);
    }

    private static TracingSettings tracing(Map<String, String> v) {
        String endpoint = v.get("otel.exporter.endpoint").trim();
        if (!endpoint.isEmpty() && !endpoint.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new ConfigException("otel.exporter.endpoint",
                    "must be an http:// or https:// URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318, got '" + endpoint + "'");
        }
        return new TracingSettings(Optional.of(endpoint).filter(s -> !s.isEmpty()), nonBlank(v, "otel.service-name"));
    }

    private static final Pattern COLOR = Pattern.compile("#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    // CSP source expressions: keywords in quotes, schemes, hosts with optional wildcard and port; nothing that
    // could end the directive (a ';') or the header
    private static final Pattern FRAME_SOURCE = Pattern.compile("'none'|'self'|[a-z][a-z0-9+.-]*:|"
            + "(?:[a-z][a-z0-9+.-]*://)?(?:\\*\\.)?[A-Za-z0-9.-]+(?::[0-9]+|:\\*)?");

    private static PortalConfig portal(Map<String, String> v) {
        Duration linkTtl = duration(v, "portal.link-ttl");
        Duration sessionTtl = duration(v, "portal.session-ttl");
        if (linkTtl.isZero() || sessionTtl.isZero()) {
            throw new ConfigException(linkTtl.isZero() ? "portal.link-ttl" : "portal.session-ttl", "must be positive");
        }
        String color = v.get("portal.accent-color").trim();
        if (!COLOR.matcher(color).matches()) {
            throw new ConfigException("portal.accent-color", "must be a hex colour such as #4f46e5, got '" + color + "'");
        }
        String ancestors = v.get("portal.frame-ancestors").trim();
        var sources = ancestors.split("\\s+");
        for (String source : sources) {
            if (!FRAME_SOURCE.matcher(source).matches() || (source.equals("'none'") && sources.length > 1)) {
                throw new ConfigException("portal.frame-ancestors", "must be 'none', 'self' or origins such as"
                        + " https://app.example.com separated by spaces, got '" + ancestors + "'");
            }
        }
        return new PortalConfig(httpUrl(v, "portal.public-url"), linkTtl, sessionTtl, nonBlank(v, "portal.title"),
                httpUrl(v, "portal.logo-url"), color, ancestors);
    }

    private static Optional<URI> httpUrl(Map<String, String> v, String key) {
        String text = v.get(key).trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // answered below, with the key
        }
        throw new ConfigException(key, "must be an http:// or https:// URL, got '" + text + "'");
    }

    private static HeraldConfig.LogFormat logFormat(Map<String, String> v) {
        return switch (v.get("log.format").trim().toLowerCase(Locale.ROOT)) {
            case "text" -> HeraldConfig.LogFormat.TEXT;
            case "json" -> HeraldConfig.LogFormat.JSON;
            default -> throw new ConfigException("log.format", "must be text or json");
        };
    }
}
