-- The claim's walk in due order, without FIFO deliveries (issue: a FIFO endpoint's backlog walked by every claim).
-- deliveries_due held every pending delivery, so with thousands of due deliveries of one FIFO endpoint each claim
-- read all of them, only to find each one not its endpoint's head. The claim of unordered work now walks this index;
-- a FIFO endpoint's head is claimed through deliveries_fifo, and nothing behind it is read. deliveries_due stays for
-- the queue depth, which counts all pending deliveries.
CREATE INDEX deliveries_due_unordered ON deliveries (next_attempt_at) WHERE state = 'pending' AND sequence IS NULL;
