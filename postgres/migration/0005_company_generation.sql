-- The company generation is SQLite's (sqlite/migration/0005_company_generation.sql:
-- it lets a node reuse company documents it read under an unchanged generation).
-- PostgreSQL reads companies on every match; this file keeps the two backends'
-- migrations the same by name.
SELECT 1;
