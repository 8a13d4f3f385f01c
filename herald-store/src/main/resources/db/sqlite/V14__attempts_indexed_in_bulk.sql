-- An endpoint's attempts are indexed in bulk (issue 25). attempts_endpoint_time is keyed by endpoint, so each attempt
-- recorded landed on a page of its own endpoint's: a group commit of 16 attempts to different endpoints rewrote 16
-- pages of it in the WAL, a fifth of the store's CPU and a quarter of the bytes it wrote per delivery. The index now
-- holds the attempts marked indexed; an attempt is recorded unmarked, and every 10,000 attempts the store marks all
-- those recorded since the last marking in one statement, where each endpoint's page takes its new attempts at once.
-- attempts_indexed_upto is where the marking reached: an attempt is indexed exactly when its id is at or below it
-- (ids only grow), so a read of one endpoint's attempts takes the index and the short run of ids above the mark.
-- Upgrading a database written before marks each existing row and builds the index again: once, in time and WAL
-- space that grow with the table.
ALTER TABLE attempts ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
UPDATE attempts SET indexed = 1;
DROP INDEX attempts_endpoint_time;
CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, attempted_at) WHERE indexed = 1;
CREATE TABLE attempts_indexed_upto (upto INTEGER NOT NULL);
INSERT INTO attempts_indexed_upto SELECT COALESCE(MAX(id), 0) FROM attempts;
