-- 0012: private iCalendar feeds.  One live feed per person; only the
-- BLAKE2b hash of the feed's secret token is kept (auth/secret.h), so a copy
-- of the database does not reveal anyone's calendar address.  Making a new
-- feed replaces the row; stopping it deletes the row.
CREATE TABLE calendar_feeds (
  user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
