-- 0005_bulk_staging: where a bulk load (IngestService.BeginBulk) appends the
-- blocking keys and search terms of the people it writes, for EndBulk (or the
-- next Migrate, after a crash) to merge into person_keys and person_terms in
-- key order (issue 2, import speed).
--
-- NOTE: rowid tables without indexes, so that every row is an append at the
-- end of one b-tree instead of an insert at a random page of a large one.
-- Rows deleted meanwhile are recorded in the *_del tables with seq, the last
-- rowid of the staging table then: a deletion undoes the staged rows before
-- it, not the ones after. Identity and provenance keys never come here: ingest
-- looks them up in person_keys between batches.
CREATE TABLE bulk_person_keys (
	key       TEXT NOT NULL,
	person_id TEXT NOT NULL
);
CREATE TABLE bulk_person_keys_del (
	key       TEXT NOT NULL,
	person_id TEXT NOT NULL,
	seq       INTEGER NOT NULL
);
CREATE TABLE bulk_person_terms (
	field     TEXT NOT NULL,
	value     TEXT NOT NULL,
	person_id TEXT NOT NULL
);
CREATE TABLE bulk_person_terms_del (
	field     TEXT NOT NULL,
	value     TEXT NOT NULL,
	person_id TEXT NOT NULL,
	seq       INTEGER NOT NULL
);
