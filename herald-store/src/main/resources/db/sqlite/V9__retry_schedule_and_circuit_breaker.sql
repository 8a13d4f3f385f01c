-- Delivery guarantees (issue 24). An endpoint's own retry schedule (JSON array of delays in milliseconds; NULL for
-- the configured one) and its circuit breaker: the state, the delivery that probes an open circuit, and while
-- half-open the ramp's width and the deliveries released in its current step (JSON array of delivery ids).
ALTER TABLE endpoints ADD COLUMN retry_schedule TEXT;
ALTER TABLE endpoints ADD COLUMN circuit TEXT NOT NULL DEFAULT 'closed';
ALTER TABLE endpoints ADD COLUMN circuit_probe BIGINT;
ALTER TABLE endpoints ADD COLUMN circuit_ramp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN circuit_round TEXT;
-- Held deliveries (paused endpoint or open circuit) by endpoint, oldest first: counting them, and releasing the
-- oldest few at a ramp, reads only held rows, never the endpoint's whole history. Due rows are not in it.
CREATE INDEX deliveries_held ON deliveries (endpoint_id, id) WHERE state = 'pending' AND next_attempt_at IS NULL;
-- FIFO endpoints: the ordering, the last sequence number given to one of its deliveries (assigned in the publish
-- transaction under the endpoint row's lock, so in commit order), and each delivery's sequence (NULL: unordered).
ALTER TABLE endpoints ADD COLUMN ordering TEXT NOT NULL DEFAULT 'unordered';
ALTER TABLE endpoints ADD COLUMN fifo_sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN sequence BIGINT;
-- The claim's "is it the head of its FIFO endpoint?" check reads only pending FIFO deliveries.
CREATE INDEX deliveries_fifo ON deliveries (endpoint_id, sequence) WHERE state = 'pending' AND sequence IS NOT NULL;
