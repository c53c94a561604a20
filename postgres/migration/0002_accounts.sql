-- Accounts: API keys with their plan and balance, the credit ledger, and
-- Idempotency-Key records (issue 4).

CREATE TABLE api_keys (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	prefix      TEXT NOT NULL,
	secret_hash BYTEA NOT NULL UNIQUE, -- SHA-256 of the secret; the secret itself is never stored
	plan        JSONB NOT NULL,
	balance     BIGINT NOT NULL CHECK (balance >= 0),
	created_at  TIMESTAMPTZ NOT NULL,
	expires_at  TIMESTAMPTZ,
	revoked_at  TIMESTAMPTZ
);

CREATE TABLE credit_ledger (
	id            BIGSERIAL PRIMARY KEY,
	key_id        TEXT NOT NULL REFERENCES api_keys (id),
	request_id    TEXT NOT NULL,
	api           TEXT NOT NULL,
	endpoint      TEXT NOT NULL,
	outcome       TEXT NOT NULL,
	credits       BIGINT NOT NULL, -- positive debits, negative grants
	balance_after BIGINT NOT NULL,
	note          TEXT NOT NULL DEFAULT '',
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_ledger_key_created ON credit_ledger (key_id, created_at);
CREATE INDEX credit_ledger_created ON credit_ledger (created_at);

CREATE TABLE idempotency_keys (
	key_id      TEXT NOT NULL,
	idem_key    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	done        BOOLEAN NOT NULL DEFAULT FALSE,
	status      INTEGER NOT NULL DEFAULT 0,
	header      JSONB NOT NULL DEFAULT '{}',
	body        BYTEA,
	created_at  TIMESTAMPTZ NOT NULL, -- reservation time, renewed on completion
	PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
