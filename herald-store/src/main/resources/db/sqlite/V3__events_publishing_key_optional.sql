-- An event published by the platform for an account names no API key unless the platform gives one, so
-- events.api_key_id becomes optional. SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt
-- (foreign keys are not enforced on Herald's connections, so deliveries keep pointing at the same ids).
CREATE TABLE events_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT    NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    type            TEXT    NOT NULL,
    occurred_at     INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    idempotency_key TEXT,
    api_key_id      INTEGER REFERENCES api_keys (id),
    UNIQUE (account_id, public_id)
);
INSERT INTO events_rebuilt (id, public_id, account_id, type, occurred_at, payload, idempotency_key, api_key_id)
    SELECT id, public_id, account_id, type, occurred_at, payload, idempotency_key, api_key_id FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE UNIQUE INDEX events_idempotency ON events (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
