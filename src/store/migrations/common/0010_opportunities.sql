-- 0010: opportunities (the four kinds), their required skills, shifts with
-- capacities, applications through their whole life, and check-ins.
CREATE TABLE opportunities (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('consultation', 'project', 'campaign', 'workshop')),
  domain TEXT NOT NULL CHECK (domain IN ('health', 'education', 'law', 'engineering', 'technology', 'arts_media')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',          -- a cities slug when one fits, else free text
  address TEXT NOT NULL DEFAULT '',
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  remote INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1)),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  expected_beneficiaries INTEGER NOT NULL DEFAULT 0 CHECK (expected_beneficiaries >= 0),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'completed', 'cancelled')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  CHECK (ends_at > starts_at)
);
CREATE INDEX opportunities_org ON opportunities(org_id, status);
CREATE INDEX opportunities_status_start ON opportunities(status, starts_at);

CREATE TABLE opportunity_skills (
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  skill_slug TEXT NOT NULL REFERENCES skills(slug),
  PRIMARY KEY (opportunity_id, skill_slug)
);
CREATE INDEX opportunity_skills_skill ON opportunity_skills(skill_slug);

-- A shift is a slot with a capacity: a campaign's "3 dentists, Friday
-- 08:00-14:00", a consultation's session, a workshop's session.  Every
-- opportunity has at least one.  `taken` counts accepted applications and is
-- only changed inside the transaction that accepts or frees a place, under
-- the shift's row lock, so it can never pass `capacity`.
CREATE TABLE shifts (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT '',
  skill_slug TEXT REFERENCES skills(slug),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  taken INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  CHECK (ends_at > starts_at),
  CHECK (taken >= 0 AND taken <= capacity)
);
CREATE INDEX shifts_opportunity ON shifts(opportunity_id, position);

-- invited → applied/declined; applied → accepted | declined | waitlisted |
-- withdrawn; waitlisted → offered (a place freed; the person confirms) →
-- accepted | declined; accepted → completed | no_show | withdrawn |
-- cancelled (the opportunity was cancelled).
CREATE TABLE applications (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  shift_id BIGINT REFERENCES shifts(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('invited', 'applied', 'accepted', 'declined', 'withdrawn',
                                         'waitlisted', 'offered', 'completed', 'no_show', 'cancelled')),
  message TEXT NOT NULL DEFAULT '',
  decline_reason TEXT NOT NULL DEFAULT '',
  no_show_contest TEXT NOT NULL DEFAULT '',   -- the specialist's side, when contested
  invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  waitlisted_at BIGINT,                       -- order of the waiting list
  offered_at BIGINT,
  checked_in_at BIGINT,
  checked_in_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX applications_opportunity ON applications(opportunity_id, status);
CREATE INDEX applications_user ON applications(user_id, status);
CREATE INDEX applications_shift ON applications(shift_id, status);
-- One live application per person and shift.
CREATE UNIQUE INDEX applications_one_per_shift ON applications(user_id, opportunity_id, COALESCE(shift_id, 0))
  WHERE status NOT IN ('withdrawn', 'declined', 'cancelled');
