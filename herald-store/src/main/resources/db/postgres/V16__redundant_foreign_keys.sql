-- Foreign keys that repeat what the writing statements already guarantee are dropped (issue 25). On PostgreSQL each
-- one is a query of its own for every row written (find the parent by key and lock it FOR KEY SHARE, a shared lock
-- that concurrent writers of one parent turn into a MultiXact); in the store probe these five and the two kept took
-- 28 % of the server's CPU per delivery at fan-out 10.
--   attempts.delivery_id: attempts are inserted by a join on their deliveries, whose rows the same transaction has
--     locked first, and an account's purge (the only statement that deletes deliveries) locks the deliveries it is
--     about to delete before it looks for their attempts again: a missing delivery inserts no attempt, and a
--     delivery is never deleted under an attempt.
--   attempts.endpoint_id: copied from the delivery's own endpoint_id in that join, which deliveries' key guards.
--   deliveries.event_id: deliveries are inserted only by the transaction that inserts their event, with it.
--   deliveries.account_id: the account of the delivery's event and endpoint, both guarded.
--   events.api_key_id: which key published the event (keys are deleted only with their account, after its events).
-- Kept: deliveries.endpoint_id (endpoints are read before the publishing transaction and an account's purge deletes
-- them) and events.account_id (an event always has its account). SQLite checks a foreign key by a lookup in the
-- parent's B-tree, not a query, and dropping one rebuilds the whole table, so its schema keeps them (its V16 changes
-- nothing).
ALTER TABLE attempts DROP CONSTRAINT attempts_delivery_id_fkey;
ALTER TABLE attempts DROP CONSTRAINT attempts_endpoint_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_account_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_api_key_id_fkey;
