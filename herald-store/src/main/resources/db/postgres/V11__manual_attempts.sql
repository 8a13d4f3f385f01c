-- Manual attempts (issue 22, Svix's triggerType). A manual retry or resend marks its delivery; the next attempt
-- recorded for it copies the mark (in the statement that inserts it) and the same batch clears it.
ALTER TABLE deliveries ADD COLUMN manual_retry INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
