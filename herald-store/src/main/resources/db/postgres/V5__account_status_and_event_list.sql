-- Accounts can be disabled (keys refused, deliveries held) and deleted (purged, then the row goes too).
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';

-- GET /v1/events: an account's events newest first, keyset-paginated by row key.
CREATE INDEX events_account ON events (account_id, id);
