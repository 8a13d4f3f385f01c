-- The platform's own id for a customer (unique when given) and its labels, so the platform can name an account
-- the way it names its customer (a Svix application's uid).
ALTER TABLE accounts ADD COLUMN uid TEXT;
ALTER TABLE accounts ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX accounts_uid ON accounts (uid) WHERE uid IS NOT NULL;
