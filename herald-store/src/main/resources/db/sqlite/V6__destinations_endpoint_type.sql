-- Broker destinations (issue 26): an endpoint's type, its config without credentials (JSON text), and the
-- credentials from its broker address, a secret kept like endpoint_secrets.secret and never shown.
ALTER TABLE endpoints ADD COLUMN type TEXT NOT NULL DEFAULT 'webhook';
ALTER TABLE endpoints ADD COLUMN config TEXT NOT NULL DEFAULT '{}';
ALTER TABLE endpoints ADD COLUMN config_secret TEXT;
