-- Herald schema, SQLite dialect. Times are epoch milliseconds (INTEGER); JSON is TEXT.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    hint        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_keys_account ON api_keys (account_id);

CREATE TABLE event_types (
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    schema      TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE endpoints (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT    NOT NULL UNIQUE,
    public_id    TEXT    NOT NULL UNIQUE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    url          TEXT    NOT NULL,
    event_types  TEXT    NOT NULL,
    description  TEXT,
    status       TEXT    NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES api_keys (id),
    scope_key_id INTEGER REFERENCES api_keys (id),
    rate_limit   INTEGER,
    headers      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX endpoints_account ON endpoints (account_id, id);

CREATE TABLE endpoint_secrets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id INTEGER NOT NULL REFERENCES endpoints (id),
    secret      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER
);
CREATE INDEX endpoint_secrets_endpoint ON endpoint_secrets (endpoint_id, id);

CREATE TABLE endpoint_stats (
    endpoint_id          INTEGER PRIMARY KEY REFERENCES endpoints (id),
    successful           INTEGER NOT NULL DEFAULT 0,
    failed               INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_success_at      INTEGER,
    last_failure_at      INTEGER,
    last_attempt_at      INTEGER,
    last_error           TEXT
);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT    NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    type            TEXT    NOT NULL,
    occurred_at     INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    idempotency_key TEXT,
    api_key_id      INTEGER NOT NULL REFERENCES api_keys (id),
    UNIQUE (account_id, public_id)
);
CREATE UNIQUE INDEX events_idempotency ON events (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT    NOT NULL UNIQUE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    event_id        INTEGER NOT NULL REFERENCES events (id),
    endpoint_id     INTEGER NOT NULL REFERENCES endpoints (id),
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    first_failed_at INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- The claim query: pending work by due time. Only pending rows are indexed, so the index stays small.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);
CREATE INDEX deliveries_event ON deliveries (event_id);

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id     INTEGER NOT NULL REFERENCES deliveries (id),
    endpoint_id     INTEGER NOT NULL REFERENCES endpoints (id),
    number          INTEGER NOT NULL,
    attempted_at    INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    response_status INTEGER,
    response_body   TEXT    NOT NULL,
    error_class     TEXT,
    error_message   TEXT
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, id);

CREATE TABLE idempotency_records (
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    scope        TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (account_id, scope, idem_key)
);
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);
