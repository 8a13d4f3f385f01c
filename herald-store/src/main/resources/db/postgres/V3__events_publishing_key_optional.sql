-- An event published by the platform for an account names no API key unless the platform gives one.
ALTER TABLE events ALTER COLUMN api_key_id DROP NOT NULL;
