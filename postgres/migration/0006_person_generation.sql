-- The person generation is SQLite's (sqlite/migration/0006_person_generation.sql:
-- it lets a node reuse person documents it read under an unchanged generation).
-- PostgreSQL reads people on every match; this file keeps the two backends'
-- migrations the same by name.
SELECT 1;
