-- Time-ordered ledger ids (issue 4): every row gets id >= created_at, ids
-- still increasing in ledger order, so a report since t reads the rowid range
-- from t and the created_at index, one more page written to the WAL by every
-- charge, goes. New rows get id = max(created_at, last id + 1)
-- (sqlite/account.go, acctLedgerInsert); old rows get the same rule applied
-- in id order, which in closed form is
--   new_n = max over i <= n of (created_at_i - i), plus n.

CREATE TEMP TABLE ledger_ids AS
SELECT old, MAX(created_at - n) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) + n AS new
FROM (SELECT id AS old, created_at, ROW_NUMBER() OVER (ORDER BY id) AS n FROM credit_ledger);

-- Negate first so that no new id collides with an old one not yet rewritten.
UPDATE credit_ledger SET id = -id;
UPDATE credit_ledger SET id = ledger_ids.new FROM ledger_ids WHERE credit_ledger.id = -ledger_ids.old;
DROP TABLE ledger_ids;

DROP INDEX credit_ledger_created;
