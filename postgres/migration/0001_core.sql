-- 0001_core: people and companies with their lookup keys (issue 2, "Stores").
--
-- NOTE: the full record lives in doc (JSONB); the scalar columns are the
-- SearchRow projection (enrichd.NewSearchRow) kept beside it so that searches
-- never decode documents. Search indexes on them come in 0003_search.sql.

CREATE TABLE people (
	id              TEXT PRIMARY KEY,
	doc             JSONB NOT NULL,
	full_name       TEXT NOT NULL DEFAULT '',
	first_name      TEXT NOT NULL DEFAULT '',
	last_name       TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL DEFAULT '',
	headline        TEXT NOT NULL DEFAULT '',
	seniority       TEXT NOT NULL DEFAULT '',
	city            TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL DEFAULT '',
	country         TEXT NOT NULL DEFAULT '',
	country_code    TEXT NOT NULL DEFAULT '',
	location_raw    TEXT NOT NULL DEFAULT '',
	company_id      TEXT NOT NULL DEFAULT '',
	company_name    TEXT NOT NULL DEFAULT '',
	company_domain  TEXT NOT NULL DEFAULT '',
	linkedin_url    TEXT NOT NULL DEFAULT '',
	current_start   TEXT NOT NULL DEFAULT '',
	connections     BIGINT NOT NULL DEFAULT 0,
	followers       BIGINT NOT NULL DEFAULT 0,
	updated_at_unix BIGINT NOT NULL DEFAULT 0,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_linkedin_url_idx ON people (linkedin_url);
CREATE INDEX people_company_id_idx ON people (company_id);

-- SearchRow.Terms. NOTE: no person_id index: a person's old terms are derived
-- from their stored doc when they change.
CREATE TABLE person_terms (
	field     TEXT NOT NULL,
	value     TEXT NOT NULL,
	person_id TEXT NOT NULL,
	PRIMARY KEY (field, value, person_id)
);

-- Keyer keys (identity and blocking) of each person.
CREATE TABLE person_keys (
	key       TEXT COLLATE "C" NOT NULL,
	person_id TEXT NOT NULL,
	PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person_id_idx ON person_keys (person_id);

CREATE TABLE companies (
	id           TEXT PRIMARY KEY,
	doc          JSONB NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	domain       TEXT NOT NULL DEFAULT '',
	linkedin_url TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX companies_domain_idx ON companies (domain);
CREATE INDEX companies_linkedin_url_idx ON companies (linkedin_url);

CREATE TABLE company_keys (
	key        TEXT COLLATE "C" NOT NULL,
	company_id TEXT NOT NULL,
	PRIMARY KEY (key, company_id)
);
CREATE INDEX company_keys_company_id_idx ON company_keys (company_id);

-- Row counts kept by ingest, so that counting never scans a table.
CREATE TABLE counters (
	name TEXT PRIMARY KEY,
	n    BIGINT NOT NULL
);
INSERT INTO counters (name, n) VALUES ('people', 0), ('companies', 0);

-- Indexes dropped by a bulk load (IngestService.BeginBulk) and re-created by
-- EndBulk, or by the next Migrate if the load was interrupted.
CREATE TABLE bulk_indexes (
	name TEXT PRIMARY KEY,
	sql  TEXT NOT NULL
);
