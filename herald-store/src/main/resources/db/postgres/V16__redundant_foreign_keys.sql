-- Foreign keys that repeat what the writing statements already guarantee, or guard nothing anyone reads, are dropped
-- (issue 25). On PostgreSQL each one is a query of its own for every row written (find the parent by key and lock it
-- FOR KEY SHARE, a shared lock that concurrent writers of one parent turn into a MultiXact); in the store probe the
-- seven on the tables every delivery writes took 28 % of the server's CPU per delivery at fan-out 10.
--   attempts.endpoint_id: an attempt's endpoint is its delivery's (taken from the delivery row where it is inserted),
--     and attempts.delivery_id and deliveries.endpoint_id stay guarded.
--   deliveries.event_id: deliveries are inserted only by the transaction that inserts their event, with it; events
--     are deleted only by an account's purge, and only once they have no deliveries.
--   deliveries.account_id: the account of the delivery's endpoint, which stays guarded.
--   events.api_key_id: which key published the event, read by nothing that joins on it. Keys are deleted only by the
--     purge of their deleted account; an event a node published with such a key as the purge deleted it (the key
--     was checked before the publishing transaction) is purged with the account's other events in a later batch.
-- Kept: deliveries.endpoint_id (endpoints are read before the publishing transaction and an account's purge deletes
-- them), events.account_id, and for now attempts.delivery_id: this release records attempts by locking their
-- deliveries before inserting them, and its purge locks the deliveries it deletes before it looks for their
-- attempts again, which is all that key still guards; nodes of the release before insert first and delete in one
-- statement, and may run beside this one during a rolling upgrade, so a later migration drops it.
-- Each DROP takes a brief exclusive lock on the two tables (no scan, no rewrite). SQLite checks a foreign key by a
-- lookup in the parent's B-tree, not a query, and dropping one rebuilds the whole table, so its schema keeps them
-- (its V16 changes nothing).
ALTER TABLE attempts DROP CONSTRAINT attempts_endpoint_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_account_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_api_key_id_fkey;
