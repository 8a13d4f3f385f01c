-- The customer portal's single-use links and its sessions (issue 23), by the SHA-256 hash of their token only.
-- A link is redeemed once (used_at set) for a session; both expire. No foreign keys: rows of a purged account
-- are refused (the account is gone) and deleted once expired, so the account purge need not know of them.
CREATE TABLE portal_tokens (
    token_hash  TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('link', 'session')),
    account_id  INTEGER NOT NULL,
    api_key_id  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX portal_tokens_expiry ON portal_tokens (expires_at);

-- The portal's 24-hour activity of one endpoint (attempts per hour) reads attempts by endpoint and time; without
-- this index that read would scan every attempt of the table.
CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, attempted_at);
