-- Foreign keys that repeat what the writing statement already guarantees are dropped (issue 25). On PostgreSQL each
-- one is a query of its own for every row written (found the parent by key and lock it FOR KEY SHARE, a shared lock
-- that many concurrent writers turn into a MultiXact); in the store probe these four and the three kept took 28 % of
-- the server's CPU per delivery at fan-out 10.
--   attempts.delivery_id: attempts are inserted by a join on their deliveries, whose rows the same transaction has
--     locked first (so none is deleted before it commits); a missing delivery inserts no attempt.
--   attempts.endpoint_id: copied from the delivery's own endpoint_id in that join, which deliveries' key guards.
--   deliveries.account_id: the account of the delivery's event and endpoint, both still guarded.
--   events.api_key_id: which key published the event (keys are only deleted with their account, after its events).
-- Kept: deliveries.event_id and deliveries.endpoint_id (a delivery always has its event and endpoint, even against a
-- concurrent purge) and events.account_id (an event always has its account). SQLite's checks are a lookup in a
-- B-tree, not a query, and dropping them would rebuild both tables, so its schema keeps them (its V16 changes nothing).
ALTER TABLE attempts DROP CONSTRAINT attempts_delivery_id_fkey;
ALTER TABLE attempts DROP CONSTRAINT attempts_endpoint_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_account_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_api_key_id_fkey;
