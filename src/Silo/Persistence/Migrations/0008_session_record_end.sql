-- UFBrowsers session records carry what a session grain needs to finish after a crash:
-- the start attempt its hold belongs to (the refund of an abandoned start uses it for its idempotency key), and, once
-- settled, why and when it ended. The settle statement writes these with the final entry, so a session grain that
-- crashed between settling and saving its own state reads its end back instead of ending again.

ALTER TABLE customer_sessions ADD COLUMN IF NOT EXISTS attempt    integer     NOT NULL DEFAULT 1;
ALTER TABLE customer_sessions ADD COLUMN IF NOT EXISTS ended_at   timestamptz NULL;
ALTER TABLE customer_sessions ADD COLUMN IF NOT EXISTS end_reason varchar(32) NULL;
