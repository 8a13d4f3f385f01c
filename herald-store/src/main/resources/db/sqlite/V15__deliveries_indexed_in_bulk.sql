-- An endpoint's deliveries are indexed in bulk, as its attempts are since V14 (issue 25): deliveries_endpoint holds
-- the deliveries marked indexed, which the store marks every 10,000 deliveries (and when it opens), and
-- deliveries_indexed_upto is the mark. Reads of all of one endpoint's deliveries (its history, its counts by state, a
-- failed range requeued, an account's purge) take the index and the ids above the mark. What changes only pending
-- deliveries finds them through deliveries_pending: it holds the work in progress alone, a few pages that every group
-- commit writes anyway, where deliveries_endpoint spread each new delivery over a page of its endpoint's.
-- Upgrading a database written before marks each existing row and builds the index again: once, in time and WAL
-- space that grow with the table.
ALTER TABLE deliveries ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET indexed = 1;
DROP INDEX deliveries_endpoint;
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id) WHERE indexed = 1;
CREATE INDEX deliveries_pending ON deliveries (endpoint_id, id) WHERE state = 'pending';
CREATE TABLE deliveries_indexed_upto (upto INTEGER NOT NULL);
INSERT INTO deliveries_indexed_upto SELECT COALESCE(MAX(id), 0) FROM deliveries;
