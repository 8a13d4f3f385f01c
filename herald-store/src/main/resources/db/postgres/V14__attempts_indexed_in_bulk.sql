-- An endpoint's attempts are indexed in bulk on SQLite (issue 25; see its V14): its index holds the attempts marked
-- indexed, and attempts_indexed_upto says where the marking reached. PostgreSQL indexes each attempt as it is
-- recorded, in attempts_endpoint_time as before, which serves the statements both stores share: every attempt is
-- marked from the start and the mark is past every id, so they read nothing above it. (A constant default rewrites
-- no row.)
ALTER TABLE attempts ADD COLUMN indexed SMALLINT NOT NULL DEFAULT 1;
CREATE TABLE attempts_indexed_upto (upto BIGINT NOT NULL);
INSERT INTO attempts_indexed_upto VALUES (9223372036854775807);
