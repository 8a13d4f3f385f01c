-- The Svix-compatible surface (issue 22).
-- An endpoint's platform profile: its own uid (unique among the account's live endpoints), metadata labels, the
-- channels it listens to (JSON array; empty: every message) and the version number the platform gave it.
ALTER TABLE endpoints ADD COLUMN uid TEXT;
ALTER TABLE endpoints ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE endpoints ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE endpoints ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX endpoints_uid ON endpoints (account_id, uid) WHERE uid IS NOT NULL AND deleted_at IS NULL;

-- How an event goes on the wire (canonical envelope, or a Svix message's payload as given with svix-* headers),
-- kept with the event so retries, resends and recovery after a restart send it the same way; a Svix message's
-- own eventId (unique per account: a second message with it conflicts) and its channels (JSON array).
ALTER TABLE events ADD COLUMN format TEXT NOT NULL DEFAULT 'canonical';
ALTER TABLE events ADD COLUMN uid TEXT;
ALTER TABLE events ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX events_uid ON events (account_id, uid) WHERE uid IS NOT NULL;

-- The platform's own event-type catalog, shared by every account (Svix event types).
CREATE TABLE platform_event_types (
    name        TEXT   PRIMARY KEY,
    description TEXT   NOT NULL,
    schemas     TEXT,
    archived    BIGINT NOT NULL DEFAULT 0,
    deprecated  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Idempotency-Key records of platform requests that belong to no account (creating an application or an event
-- type): the same columns as idempotency_records, keyed by scope and key alone.
CREATE TABLE platform_idempotency_records (
    scope        TEXT   NOT NULL,
    idem_key     TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    status       BIGINT NOT NULL,
    body         TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX platform_idempotency_records_created ON platform_idempotency_records (created_at);
