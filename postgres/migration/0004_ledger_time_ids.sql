-- Time-ordered ledger ids are SQLite's (sqlite/migration/0004_ledger_time_ids.sql:
-- they save a charge one index page in the WAL). PostgreSQL keeps its BIGSERIAL
-- ids and created_at indexes; this file keeps the two backends' migrations
-- the same by name.
SELECT 1;
