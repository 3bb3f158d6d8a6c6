-- 0014: the durable job queue.  A job is claimed by setting locked_by and a
-- lease (locked_until); a worker that dies leaves the lease to expire and the
-- job is claimed again.  done_at is set when it succeeded or, with
-- last_error kept, when it gave up after max_attempts ("dead").  dedupe_key
-- makes enqueueing idempotent (reminders, nudges): NULL for ordinary jobs.
CREATE TABLE jobs (
  id {{id}},
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  run_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
  last_error TEXT NOT NULL DEFAULT '',
  locked_by TEXT,
  locked_until BIGINT,
  done_at BIGINT,
  dedupe_key TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(done_at, run_at);
