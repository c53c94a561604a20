-- 0005_company_generation: a number that grows with every write to companies
-- or company_keys, by any connection or process. A match reads it in the
-- same statement (so the same snapshot) as the people it looks up, and uses
-- the company documents it read earlier under an unchanged generation
-- instead of reading them again (sqlite/companygen.go).
CREATE TABLE generations (
	name TEXT PRIMARY KEY,
	n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO generations (name, n) VALUES ('companies', 0);

CREATE TRIGGER companies_generation_insert AFTER INSERT ON companies
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
CREATE TRIGGER companies_generation_update AFTER UPDATE ON companies
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
CREATE TRIGGER companies_generation_delete AFTER DELETE ON companies
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
CREATE TRIGGER company_keys_generation_insert AFTER INSERT ON company_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
CREATE TRIGGER company_keys_generation_update AFTER UPDATE ON company_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
CREATE TRIGGER company_keys_generation_delete AFTER DELETE ON company_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'companies'; END;
