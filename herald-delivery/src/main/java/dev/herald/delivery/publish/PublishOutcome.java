package dev.herald.delivery.publish;

import dev.herald.core.error.HeraldException;

import java.util.Objects;

/** What became of one event of a batch publish: stored (or found stored), or refused on its own. */
public sealed interface PublishOutcome {
    /** The event is durable (or was already: a repeat of its id or idempotency key). */
    record Accepted(PublishReceipt receipt) implements PublishOutcome {
        public Accepted {
            Objects.requireNonNull(receipt, "receipt");
        }
    }

    /** The event was refused alone (unknown type, unknown account, …); the batch's other events are unaffected. */
    record Refused(HeraldException error) implements PublishOutcome {
        public Refused {
            Objects.requireNonNull(error, "error");
        }
    }
}
