package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Classifies what a broker client threw into the attempt's error class: the client's own knowledge first
 * ({@code specific}, e.g. an authentication failure), then the generic socket failures.
 */
public final class BrokerFailures {
    private final Function<Throwable, Optional<BrokerException>> specific;

    public BrokerFailures(Function<Throwable, Optional<BrokerException>> specific) {
        this.specific = specific;
    }

    public BrokerException classify(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof BrokerException b) {
                return b;
            }
            Optional<BrokerException> known = specific.apply(e);
            if (known.isPresent()) {
                return known.get();
            }
        }
        for (Throwable e = failure; e != null; e = e.getCause()) {
            switch (e) {
                case SocketTimeoutException t -> {
                    return new BrokerException(ErrorClass.TIMEOUT, "timeout: " + brief(t));
                }
                case TimeoutException t -> {
                    return new BrokerException(ErrorClass.TIMEOUT, "timeout: " + brief(t));
                }
                case UnknownHostException u -> {
                    return new BrokerException(ErrorClass.DNS, "could not resolve " + u.getMessage());
                }
                case ConnectException c -> {
                    return new BrokerException(ErrorClass.CONNECT, connectMessage(c));
                }
                case NoRouteToHostException c -> {
                    return new BrokerException(ErrorClass.CONNECT, "network unreachable");
                }
                default -> {
                }
            }
        }
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof IOException) {
                return new BrokerException(ErrorClass.CONNECT, "connection error: " + brief(e));
            }
        }
        return new BrokerException(ErrorClass.PROTOCOL, "broker error: " + brief(failure));
    }

    private static String connectMessage(ConnectException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("refused") ? "connection refused" : "connection failed: " + brief(e);
    }

    /** A failure's message cut to 200 characters (the class name when it has none). */
    public static String brief(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
