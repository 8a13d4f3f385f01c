-- An endpoint's deliveries are indexed in bulk on SQLite (issue 25; see its V15). PostgreSQL keeps indexing each
-- delivery as it is written, in deliveries_endpoint as before, which serves the statements both stores share: every
-- delivery is marked from the start and the mark is past every id. (A constant default rewrites no row.)
ALTER TABLE deliveries ADD COLUMN indexed SMALLINT NOT NULL DEFAULT 1;
CREATE TABLE deliveries_indexed_upto (upto BIGINT NOT NULL);
INSERT INTO deliveries_indexed_upto VALUES (9223372036854775807);
