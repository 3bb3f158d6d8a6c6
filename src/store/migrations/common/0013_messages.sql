-- 0013: message threads, one per application and one per help request.
-- A thread is named by (thread_kind, thread_id): thread_id is an
-- applications.id or a help_requests.id (no foreign key: it points at one of
-- two tables).  Bodies are sealed with libsodium secretbox like the help
-- details (nonce || ciphertext in body_box; key in DATA/keys, never here),
-- for both kinds, so that there is one code path.
CREATE TABLE messages (
  id {{id}},
  thread_kind TEXT NOT NULL CHECK (thread_kind IN ('application', 'request')),
  thread_id BIGINT NOT NULL,
  author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  body_box {{blob}} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_thread ON messages(thread_kind, thread_id, id);

-- How far each person has read each thread (unread = later messages by
-- others), and when they were last e-mailed about it (at most once an hour).
CREATE TABLE message_reads (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  thread_kind TEXT NOT NULL CHECK (thread_kind IN ('application', 'request')),
  thread_id BIGINT NOT NULL,
  last_read_id BIGINT NOT NULL DEFAULT 0,
  mailed_at BIGINT,
  PRIMARY KEY (user_id, thread_kind, thread_id)
);
