-- An endpoint's attempts are indexed in bulk on SQLite (issue 25; see its V14): the index holds the attempts marked
-- indexed, and attempts_indexed_upto says where the marking reached. PostgreSQL indexes each attempt as it is
-- recorded, as before: every attempt is indexed from the start and the mark is past every id, so the statements both
-- stores share read nothing above it. (Adding a column with a constant default rewrites no row.)
ALTER TABLE attempts ADD COLUMN indexed SMALLINT NOT NULL DEFAULT 1;
DROP INDEX attempts_endpoint_time;
CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, attempted_at) WHERE indexed = 1;
CREATE TABLE attempts_indexed_upto (upto BIGINT NOT NULL);
INSERT INTO attempts_indexed_upto VALUES (9223372036854775807);
