-- 0006_person_generation: the company generation's counterpart for people
-- (0005): a number that grows with every write to people or person_keys, by
-- any connection or process. A match reads it in the same statement (so the
-- same snapshot) as its other look-ups, and uses the person documents it
-- read earlier under the same identifier keys while it is unchanged, instead
-- of reading them again (sqlite/keycache.go).
INSERT INTO generations (name, n) VALUES ('people', 0);

CREATE TRIGGER people_generation_insert AFTER INSERT ON people
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER people_generation_update AFTER UPDATE ON people
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER people_generation_delete AFTER DELETE ON people
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER person_keys_generation_insert AFTER INSERT ON person_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER person_keys_generation_update AFTER UPDATE ON person_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER person_keys_generation_delete AFTER DELETE ON person_keys
BEGIN UPDATE generations SET n = n + 1 WHERE name = 'people'; END;
