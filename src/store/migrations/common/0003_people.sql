-- 0003: specialist profiles, skills with levels, weekly availability,
-- credentials (licences and degrees) with their moderation, organisations'
-- details and verification, invitations, in-app notifications.
-- Flags are INTEGER 0/1 on both backends.
CREATE TABLE specialist_profiles (
  user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  headline TEXT NOT NULL DEFAULT '',
  profession TEXT REFERENCES professions(slug),
  domain TEXT CHECK (domain IN ('health', 'education', 'law', 'engineering', 'technology', 'arts_media')),
  bio TEXT NOT NULL DEFAULT '',
  years_experience INTEGER NOT NULL DEFAULT 0 CHECK (years_experience BETWEEN 0 AND 70),
  city TEXT REFERENCES cities(slug),
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  remote INTEGER NOT NULL DEFAULT 1 CHECK (remote IN (0, 1)),
  onsite INTEGER NOT NULL DEFAULT 0 CHECK (onsite IN (0, 1)),
  languages TEXT NOT NULL DEFAULT 'ar',            -- comma-separated ISO 639-1 codes
  max_hours_month INTEGER NOT NULL DEFAULT 10 CHECK (max_hours_month BETWEEN 0 AND 200),
  public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX specialist_profiles_city ON specialist_profiles(city);

CREATE TABLE specialist_skills (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_slug TEXT NOT NULL REFERENCES skills(slug),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  PRIMARY KEY (user_id, skill_slug)
);
CREATE INDEX specialist_skills_skill ON specialist_skills(skill_slug);

CREATE TABLE availability (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Sunday
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (end_minute > start_minute)
);
CREATE INDEX availability_user ON availability(user_id);

CREATE TABLE credentials (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('licence', 'degree', 'certificate')),
  issuer TEXT NOT NULL DEFAULT '',
  number TEXT NOT NULL DEFAULT '',
  file_hash TEXT NOT NULL,            -- SHA-256 hex: the file is DATA/files/ab/abcdef…
  file_type TEXT NOT NULL CHECK (file_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  file_size BIGINT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',    -- why it was rejected, shown to the owner
  reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX credentials_user ON credentials(user_id);
CREATE INDEX credentials_status ON credentials(status, created_at);

ALTER TABLE orgs ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN logo_hash TEXT;                          -- re-encoded PNG under DATA/files
ALTER TABLE orgs ADD COLUMN status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected'));
ALTER TABLE orgs ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE orgs ADD COLUMN created_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
UPDATE orgs SET status = 'verified' WHERE verified_at IS NOT NULL;
CREATE INDEX orgs_status ON orgs(status, created_at);

CREATE TABLE org_invitations (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'coordinator')),
  token_hash TEXT NOT NULL UNIQUE,
  invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX org_invitations_org ON org_invitations(org_id);

-- In-app notifications: `kind` and `params` (JSON) are rendered in the
-- reader's language when shown, so one row serves Arabic and English.
CREATE TABLE notifications (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, created_at);
