-- Accounts: API keys with their plan and balance, the credit ledger, and
-- Idempotency-Key records (issue 4). Times are unix microseconds (UTC).

CREATE TABLE api_keys (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	prefix      TEXT NOT NULL,
	secret_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the secret; the secret itself is never stored
	plan        TEXT NOT NULL,        -- enrichd.Plan as JSON
	balance     INTEGER NOT NULL CHECK (balance >= 0),
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER,
	revoked_at  INTEGER
);

CREATE TABLE credit_ledger (
	id            INTEGER PRIMARY KEY,
	key_id        TEXT NOT NULL REFERENCES api_keys (id),
	request_id    TEXT NOT NULL,
	api           TEXT NOT NULL,
	endpoint      TEXT NOT NULL,
	outcome       TEXT NOT NULL,
	credits       INTEGER NOT NULL, -- positive debits, negative grants
	balance_after INTEGER NOT NULL,
	note          TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);
-- NOTE: one index only. Every charge writes each index's page to the WAL, and
-- a second index (key_id, created_at) cost a third more per charge; reports
-- of one key scan the period's rows instead (admin reports, not the hot path).
CREATE INDEX credit_ledger_created ON credit_ledger (created_at);

CREATE TABLE idempotency_keys (
	key_id      TEXT NOT NULL,
	idem_key    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	done        INTEGER NOT NULL DEFAULT 0,
	status      INTEGER NOT NULL DEFAULT 0,
	header      TEXT NOT NULL DEFAULT '{}',
	body        BLOB,
	created_at  INTEGER NOT NULL, -- reservation time, renewed on completion
	PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
