-- 0002: the bilingual taxonomy — skills (with parents), professions and the
-- skills typical of each, and cities with coordinates.  Text keys (slugs)
-- make this portable SQL; the data comes in 0004.
CREATE TABLE skills (
  slug TEXT PRIMARY KEY,
  domain TEXT NOT NULL CHECK (domain IN ('health', 'education', 'law', 'engineering', 'technology', 'arts_media')),
  parent_slug TEXT REFERENCES skills(slug),
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX skills_domain ON skills(domain, position);

CREATE TABLE professions (
  slug TEXT PRIMARY KEY,
  domain TEXT NOT NULL CHECK (domain IN ('health', 'education', 'law', 'engineering', 'technology', 'arts_media')),
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  licensed INTEGER NOT NULL DEFAULT 0 CHECK (licensed IN (0, 1)),  -- needs a verified licence for consultations
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE profession_skills (
  profession_slug TEXT NOT NULL REFERENCES professions(slug),
  skill_slug TEXT NOT NULL REFERENCES skills(slug),
  PRIMARY KEY (profession_slug, skill_slug)
);

CREATE TABLE cities (
  slug TEXT PRIMARY KEY,
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  country_code TEXT NOT NULL,          -- ISO 3166-1 alpha-2
  country_ar TEXT NOT NULL,
  country_en TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);
