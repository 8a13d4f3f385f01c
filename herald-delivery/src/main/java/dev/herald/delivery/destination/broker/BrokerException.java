package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;

import java.util.Objects;

/**
 * A broker attempt that failed for a known reason, with the class the attempt records. Its message is shown in
 * attempt logs, so it never carries credentials.
 */
public final class BrokerException extends Exception {
    private final ErrorClass errorClass;

    public BrokerException(ErrorClass errorClass, String message) {
        super(message, null, false, false);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
