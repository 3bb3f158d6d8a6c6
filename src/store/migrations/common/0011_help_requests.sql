-- 0011: help requests from beneficiaries.  The private details are sealed
-- with libsodium secretbox (key in DATA/keys/secretbox.key, never in the
-- database): `details_box` holds nonce || ciphertext.  Every read of the
-- private details is written to request_access_log.
CREATE TABLE help_requests (
  id {{id}},
  requester_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  org_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,        -- the handling organisation, if any
  domain TEXT NOT NULL CHECK (domain IN ('health', 'education', 'law', 'engineering', 'technology', 'arts_media')),
  title TEXT NOT NULL,                                         -- short, shown to the handlers only
  details_box {{blob}} NOT NULL,
  city TEXT NOT NULL DEFAULT '',
  urgency TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'urgent')),
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'triaged', 'assigned', 'booked', 'resolved', 'closed')),
  assigned_specialist_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  session_starts_at BIGINT,
  session_ends_at BIGINT,
  session_mode TEXT CHECK (session_mode IN ('video', 'phone', 'in_person')),
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX help_requests_requester ON help_requests(requester_id);
CREATE INDEX help_requests_org ON help_requests(org_id, status);
CREATE INDEX help_requests_specialist ON help_requests(assigned_specialist_id, status);

CREATE TABLE request_access_log (
  id {{id}},
  request_id BIGINT NOT NULL REFERENCES help_requests(id) ON DELETE CASCADE,
  reader_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  reason TEXT NOT NULL DEFAULT 'view',
  address TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX request_access_log_request ON request_access_log(request_id, at);
