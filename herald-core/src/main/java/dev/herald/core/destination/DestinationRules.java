package dev.herald.core.destination;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.outbound.UrlPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an endpoint's {@code type} and {@code config} into a {@link Destination}, with errors naming the
 * field ({@code config.uri}); broker hosts are judged by the same address rules as webhook URLs (loopback,
 * private and metadata addresses refused unless allowlisted). {@link #restore} rebuilds a stored one unchecked.
 */
public final class DestinationRules {
    public static final int MAX_NAME = 255;
    public static final long MAX_MAXLEN = 1_000_000_000L;
    /** The only placeholder a routing key or subject may hold; replaced by the event type at send time. */
    public static final String TYPE_PLACEHOLDER = "{type}";
    private static final Set<String> RABBITMQ_FIELDS = Set.of("uri", "exchange", "routing_key");
    private static final Set<String> NATS_FIELDS = Set.of("url", "subject");
    private static final Set<String> REDIS_FIELDS = Set.of("url", "stream", "maxlen");
    /** NATS subject tokens: no whitespace, no wildcards (a publish names one subject), no empty token. */
    private static final Pattern NATS_SUBJECT = Pattern.compile("[^\\s.*>]+(\\.[^\\s.*>]+)*");

    private final UrlPolicy urls;

    public DestinationRules(UrlPolicy urls) {
        this.urls = urls;
    }

    /** The destination for a new endpoint; webhooks take no config (an empty object is accepted). */
    public Destination check(String type, Map<String, ?> config) {
        DestinationType kind = DestinationType.fromWire(type).orElseThrow(() -> HeraldException.field(
                ErrorCode.INVALID_REQUEST, "type", "type must be webhook, rabbitmq, nats or redis_stream"));
        return check(kind, config, Optional.empty());
    }

    /**
     * The destination after a change of config; an address whose credentials are the redacted {@code ***}
     * (as a GET shows them) keeps the current credentials, so what was read can be sent back.
     */
    public Destination checkChange(Destination current, Map<String, ?> config) {
        return check(current.type(), config, current.credentials());
    }

    private Destination check(DestinationType type, Map<String, ?> config, Optional<BrokerCredentials> kept) {
        return switch (type) {
            case WEBHOOK -> {
                if (!config.isEmpty()) {
                    throw invalid("config", "webhook endpoints take no config; their address is url");
                }
                yield Destination.WEBHOOK;
            }
            case RABBITMQ -> {
                onlyFields(config, RABBITMQ_FIELDS, type);
                Address a = address(config, "uri", Set.of("amqp", "amqps"), kept);
                yield new Destination.RabbitMq(a.uri(), a.credentials(), name(config, "exchange", true),
                        routed(config, "routing_key", true));
            }
            case NATS -> {
                onlyFields(config, NATS_FIELDS, type);
                Address a = address(config, "url", Set.of("nats", "tls"), kept);
                String subject = routed(config, "subject", false);
                if (!NATS_SUBJECT.matcher(subject.replace(TYPE_PLACEHOLDER, "t")).matches()) {
                    throw invalid("config.subject", "config.subject must be dot-separated tokens without spaces or "
                            + "wildcards (* and >)");
                }
                yield new Destination.Nats(a.uri(), a.credentials(), subject);
            }
            case REDIS_STREAM -> {
                onlyFields(config, REDIS_FIELDS, type);
                Address a = address(config, "url", Set.of("redis", "rediss"), kept);
                String stream = name(config, "stream", false);
                yield new Destination.RedisStream(a.uri(), a.credentials(), stream, maxlen(config.get("maxlen")));
            }
        };
    }

    /**
     * Rebuilds a destination from what the store kept ({@link Destination#config()} and the credentials);
     * trusted input, checked when it was written.
     */
    public static Destination restore(DestinationType type, Map<String, ?> config,
                                      Optional<BrokerCredentials> credentials) {
        return switch (type) {
            case WEBHOOK -> Destination.WEBHOOK;
            case RABBITMQ -> new Destination.RabbitMq(URI.create(text(config, "uri")), credentials,
                    text(config, "exchange"), text(config, "routing_key"));
            case NATS -> new Destination.Nats(URI.create(text(config, "url")), credentials, text(config, "subject"));
            case REDIS_STREAM -> new Destination.RedisStream(URI.create(text(config, "url")), credentials,
                    text(config, "stream"), config.get("maxlen") instanceof Number n
                            ? OptionalLong.of(n.longValue()) : OptionalLong.empty());
        };
    }

    private record Address(URI uri, Optional<BrokerCredentials> credentials) {
    }

    private Address address(Map<String, ?> config, String field, Set<String> schemes,
                            Optional<BrokerCredentials> kept) {
        String name = "config." + field;
        if (!(config.get(field) instanceof String text) || text.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_URL, name, name + " is required");
        }
        if (text.length() > UrlPolicy.MAX_LENGTH) {
            throw badUrl(name, "must be at most " + UrlPolicy.MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw badUrl(name, "must be ASCII without spaces or control characters");
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badUrl(name, "is malformed");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (!schemes.contains(scheme)) {
            throw badUrl(name, "must use " + String.join(" or ", schemes.stream().sorted().map(s -> s + "://")
                    .toList()));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw badUrl(name, "must have a host");
        }
        if (uri.getRawFragment() != null) {
            throw badUrl(name, "must not contain a fragment");
        }
        urls.hostRefusal(uri.getHost().toLowerCase(Locale.ROOT)).ifPresent(reason -> {
            throw badUrl(name, reason);
        });
        Optional<BrokerCredentials> credentials = Optional.ofNullable(uri.getRawUserInfo())
                .flatMap(info -> info.equals(BrokerCredentials.REDACTED) ? kept : Optional.of(
                        new BrokerCredentials(info)));
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().equals(BrokerCredentials.REDACTED)
                && kept.isEmpty()) {
            throw badUrl(name, "has redacted credentials (***) but none are stored; give the real ones");
        }
        try {
            // Rebuilt from the raw parts, so an encoded path (a RabbitMQ vhost %2F) stays as written.
            URI bare = new URI(scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + Optional.ofNullable(uri.getRawPath()).orElse("")
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            return new Address(bare, credentials);
        } catch (URISyntaxException e) {
            throw badUrl(name, "is malformed");
        }
    }

    private static void onlyFields(Map<String, ?> config, Set<String> known, DestinationType type) {
        for (String field : config.keySet()) {
            if (!known.contains(field)) {
                throw invalid("config." + field, "config." + field + " is not a field of a " + type.wireName()
                        + " config (expected " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A name up to 255 characters without control characters; {@code mayBeEmpty} for RabbitMQ's default exchange. */
    private static String name(Map<String, ?> config, String field, boolean mayBeEmpty) {
        String name = "config." + field;
        if (!(config.get(field) instanceof String text)) {
            throw invalid(name, name + " is required and must be a string");
        }
        if (text.isEmpty() && !mayBeEmpty) {
            throw invalid(name, name + " must not be empty");
        }
        if (text.length() > MAX_NAME) {
            throw invalid(name, name + " must be at most " + MAX_NAME + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw invalid(name, name + " must not contain control characters");
            }
        }
        return text;
    }

    /** A routing key or subject: a name whose only braces are the {@code {type}} placeholder. */
    private static String routed(Map<String, ?> config, String field, boolean mayBeEmpty) {
        String text = name(config, field, mayBeEmpty);
        String rest = text.replace(TYPE_PLACEHOLDER, "");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw invalid("config." + field, "config." + field + " may only use the placeholder {type}");
        }
        return text;
    }

    private static OptionalLong maxlen(Object value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof Number n && (n instanceof Integer || n instanceof Long
                || n instanceof java.math.BigInteger) && n.longValue() >= 1 && n.longValue() <= MAX_MAXLEN
                && !(n instanceof java.math.BigInteger b && b.bitLength() > 62)) {
            return OptionalLong.of(n.longValue());
        }
        throw invalid("config.maxlen", "config.maxlen must be an integer between 1 and " + MAX_MAXLEN);
    }

    private static String text(Map<String, ?> config, String field) {
        return String.valueOf(config.get(field));
    }

    private static HeraldException invalid(String field, String message) {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, field, message);
    }

    private static HeraldException badUrl(String field, String problem) {
        return HeraldException.field(ErrorCode.INVALID_URL, field, field + " " + problem);
    }
}
