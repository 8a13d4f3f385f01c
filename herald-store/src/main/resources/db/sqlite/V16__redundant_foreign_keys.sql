-- PostgreSQL's V16 drops four foreign keys that the writing statements make redundant, each a query per row written
-- there. SQLite checks a foreign key by a lookup in the parent's B-tree, and dropping one rebuilds the whole table, so
-- this schema keeps them: the migration exists so both stores have the same versions, and changes nothing.
SELECT 1;
