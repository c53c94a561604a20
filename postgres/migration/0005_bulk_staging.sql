-- The staging tables of a bulk load are SQLite's (sqlite/migration/0005_bulk_staging.sql:
-- appends instead of random b-tree inserts during an import). PostgreSQL writes
-- keys and terms in place; this file keeps the two backends' migrations the
-- same by name.
SELECT 1;
