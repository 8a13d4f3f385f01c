-- The claim's walk in due order, without FIFO deliveries (issue: a FIFO endpoint's backlog walked by every claim).
-- deliveries_due held every pending delivery, so with thousands of due deliveries of one FIFO endpoint each claim
-- read all of them, only to find each one not its endpoint's head. The claim of unordered work now walks this index;
-- a FIFO endpoint's head is claimed through deliveries_fifo, and nothing behind it is read. deliveries_due goes: kept
-- beside this one, every pending delivery's insert and every change of its state or due time would update both; the
-- queue depth, its last reader, counts unordered rows through this index and FIFO rows through deliveries_fifo.
CREATE INDEX deliveries_due_unordered ON deliveries (next_attempt_at) WHERE state = 'pending' AND sequence IS NULL;
DROP INDEX deliveries_due;
