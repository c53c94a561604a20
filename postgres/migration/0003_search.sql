-- 0003_search: an index behind every documented search filter field (issue 5,
-- "Crustdata"; searchql/catalog.go lists the fields).
--
-- NOTE: each people b-tree ends with id, the tie-breaker of every search
-- order, so that a sorted, keyset-paged search walks the index and stops
-- after one page instead of sorting every match. Multi-valued fields (skills,
-- schools, past employers…) are served by person_terms' primary key (field,
-- value, person_id). headline, free text that can outgrow a b-tree entry, is
-- indexed by its trigram index alone (which serves = too). Substring operators ((.), (!), [.]) use the pg_trgm GIN
-- indexes below when the extension can be installed; without it they still
-- work, by scanning what the other conditions leave.
--
-- NOTE: every index here is named people_search_* or *_search_*_trgm, so
-- that a bulk load may drop them and re-create them afterwards (CREATE INDEX
-- sorts once instead of inserting at random positions row by row).
CREATE INDEX people_search_full_name_idx      ON people (full_name, id);
CREATE INDEX people_search_first_name_idx     ON people (first_name, id);
CREATE INDEX people_search_last_name_idx      ON people (last_name, id);
CREATE INDEX people_search_title_idx          ON people (title, id);
CREATE INDEX people_search_seniority_idx      ON people (seniority, id);
CREATE INDEX people_search_city_idx           ON people (city, id);
CREATE INDEX people_search_state_idx          ON people (state, id);
CREATE INDEX people_search_country_idx        ON people (country, id);
CREATE INDEX people_search_country_code_idx   ON people (country_code, id);
CREATE INDEX people_search_location_raw_idx   ON people (location_raw, id);
CREATE INDEX people_search_company_name_idx   ON people (company_name, id);
CREATE INDEX people_search_company_domain_idx ON people (company_domain, id);
CREATE INDEX people_search_current_start_idx  ON people (current_start, id);
CREATE INDEX people_search_connections_idx    ON people (connections, id);
CREATE INDEX people_search_followers_idx      ON people (followers, id);
CREATE INDEX people_search_updated_at_idx     ON people (updated_at_unix, id);
-- The numeric forms of person and company ids (searchql.NumericID): the
-- expressions must stay exactly as searchql writes them.
CREATE INDEX people_search_numeric_id_idx         ON people (substr(id, 4), id);
CREATE INDEX people_search_company_numeric_id_idx ON people (substr(company_id, 4), id);

-- Trigram indexes for substring search on the long text columns and on every
-- term. NOTE: pg_trgm is installed into public (not the first schema of the
-- search_path, which may be a throw-away test schema), and its operator class
-- is looked up where the extension actually lives. If the role may not create
-- the extension, the migration goes on without these indexes.
DO $$
DECLARE
	s text;
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'pg_trgm unavailable (%): substring search will not use an index', SQLERRM;
	END;
	SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
	IF s IS NULL THEN
		RETURN;
	END IF;
	EXECUTE format('CREATE INDEX people_search_full_name_trgm ON people USING gin (full_name %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX people_search_title_trgm ON people USING gin (title %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX people_search_headline_trgm ON people USING gin (headline %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX people_search_location_raw_trgm ON people USING gin (location_raw %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX people_search_company_name_trgm ON people USING gin (company_name %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX person_terms_search_value_trgm ON person_terms USING gin (value %I.gin_trgm_ops)', s);
END
$$;
