-- Due work endpoint by endpoint, oldest due first (issue: a saturated endpoint's backlog starving the others). When
-- the oldest due deliveries all belong to endpoints whose lanes are full, the claim looks past them through this
-- index: the endpoints with due work one seek each, then each other endpoint's oldest few, never the backlog itself.
-- FIFO deliveries are not in it: only an ordered endpoint's head is claimable, found through deliveries_fifo.
CREATE INDEX deliveries_endpoint_due ON deliveries (endpoint_id, next_attempt_at)
    WHERE state = 'pending' AND sequence IS NULL AND next_attempt_at IS NOT NULL;
