package dev.herald.delivery;

import java.util.OptionalInt;

/** How one attempt ended, as far as the dispatcher cares: what it learned about the endpoint's lane. */
sealed interface AttemptEnd {
    /** A request was made (or judged unsendable) and its outcome handed to the writer. */
    record Sent(OptionalInt rateLimit) implements AttemptEnd {
    }

    /** Nothing was sent: the endpoint is paused, disabled or deleted, so its waiting work can be dropped here. */
    record EndpointGone() implements AttemptEnd {
    }

    /** The attempt failed unexpectedly; its lease expires and the delivery is claimed again. */
    record Broken() implements AttemptEnd {
    }
}
