package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/jackc/pgx/v5"
)

var (
	_ enrichd.AccountService     = (*AccountService)(nil)
	_ enrichd.IdempotencyService = (*AccountService)(nil)
)

// AccountService implements enrichd.AccountService and
// enrichd.IdempotencyService on PostgreSQL.
//
// NOTE: a charge is one statement: an UPDATE guarded by `balance >= $n`
// feeding the ledger INSERT. Under READ COMMITTED a concurrent UPDATE of the
// same row waits and re-checks the guard against the committed balance, so
// concurrent charges serialise per key and the balance never goes negative;
// the CHECK constraint on api_keys.balance backs this up.
//
// Authenticated keys are cached for AuthCacheTTL, which saves a database
// round trip per request: a revocation or plan change made through this
// service applies at once on this node, and within AuthCacheTTL on the others.
type AccountService struct {
	db  *DB
	now func() time.Time

	auth enrichd.KeyAuthenticator
}

// AuthCacheTTL is how long an authenticated key is reused without a look-up.
const AuthCacheTTL = enrichd.AuthCacheTTL

// NewAccountService returns the account service of an opened db.
func NewAccountService(db *DB) *AccountService {
	return &AccountService{db: db, now: time.Now}
}

// forget drops cached keys so that a change made here applies at once.
func (s *AccountService) forget() {
	s.auth.Forget()
}

const acctKeyColumns = `id, name, prefix, secret_hash, plan, balance, created_at, expires_at, revoked_at`

func acctScanKey(row pgx.Row) (*enrichd.APIKey, []byte, error) {
	var (
		k    enrichd.APIKey
		hash []byte
		plan []byte
	)
	if err := row.Scan(&k.ID, &k.Name, &k.Prefix, &hash, &plan, &k.Balance, &k.CreatedAt, &k.ExpiresAt, &k.RevokedAt); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(plan, &k.Plan); err != nil {
		return nil, nil, fmt.Errorf("decode plan of key %s: %w", k.ID, err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	if k.ExpiresAt != nil {
		*k.ExpiresAt = k.ExpiresAt.UTC()
	}
	if k.RevokedAt != nil {
		*k.RevokedAt = k.RevokedAt.UTC()
	}
	return &k, hash, nil
}

const acctLedgerInsert = `INSERT INTO credit_ledger (key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// CreateAPIKey creates a key and returns it with its secret, which is not
// stored and cannot be shown again. A zero Plan means enrichd.DefaultPlan.
// The initial credits are recorded in the ledger as a grant.
func (s *AccountService) CreateAPIKey(ctx context.Context, name string, plan enrichd.Plan, credits int64, expiresAt *time.Time) (*enrichd.APIKey, string, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	k, secret, hash, err := enrichd.PrepareAPIKey(name, plan, credits, expiresAt, now)
	if err != nil {
		return nil, "", err
	}
	planJSON, err := json.Marshal(k.Plan)
	if err != nil {
		return nil, "", fmt.Errorf("encode plan: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.db.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO api_keys (`+acctKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)`,
			k.ID, k.Name, k.Prefix, hash, string(planJSON), k.Balance, now, k.ExpiresAt); err != nil {
			return err
		}
		if credits > 0 {
			if _, err := tx.Exec(ctx, acctLedgerInsert, k.ID, "", enrichd.LedgerAPIAdmin, enrichd.LedgerEndpointGrant, enrichd.OutcomeGrant, -credits, credits, "initial credits", now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	return k, secret, nil
}

// Authenticate returns the key whose secret is secret: EUNAUTHORIZED if it
// is unknown, revoked or expired.
func (s *AccountService) Authenticate(ctx context.Context, secret string) (*enrichd.APIKey, error) {
	return s.auth.Authenticate(secret, s.now(), func(hash []byte) (*enrichd.APIKey, []byte, error) {
		k, got, err := acctScanKey(s.db.Pool().QueryRow(ctx, `SELECT `+acctKeyColumns+` FROM api_keys WHERE secret_hash = $1`, hash))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil, enrichd.ErrInvalidAPIKey()
		} else if err != nil {
			return nil, nil, fmt.Errorf("authenticate: %w", FormatError(err))
		}
		return k, got, nil
	})
}

// Charge atomically debits c.Credits and records c; EPAYMENT, writing
// nothing, when the balance is smaller. Returns the balance after the charge.
func (s *AccountService) Charge(ctx context.Context, c enrichd.Charge) (int64, error) {
	if err := enrichd.ValidateCharge(&c); err != nil {
		return 0, err
	}
	var balance int64
	err := s.db.Pool().QueryRow(ctx, `
		WITH u AS (
			UPDATE api_keys SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance
		)
		INSERT INTO credit_ledger (key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at)
		SELECT $1, $3, $4, $5, $6, $2, u.balance, $7, $8 FROM u
		RETURNING balance_after`,
		c.KeyID, c.Credits, c.RequestID, c.API, c.Endpoint, c.Outcome, c.Note, s.now()).Scan(&balance)
	if errors.Is(err, pgx.ErrNoRows) {
		// Either no such key, or not enough credits: tell which.
		var have int64
		if err := s.db.Pool().QueryRow(ctx, `SELECT balance FROM api_keys WHERE id = $1`, c.KeyID).Scan(&have); errors.Is(err, pgx.ErrNoRows) {
			return 0, enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", c.KeyID)
		} else if err != nil {
			return 0, fmt.Errorf("charge: %w", err)
		}
		return have, enrichd.ErrInsufficientCredits(c.Credits, have)
	} else if err != nil {
		return 0, fmt.Errorf("charge: %w", FormatError(err))
	}
	return balance, nil
}

// Grant adds credits to a key (a negative amount takes them back, but never
// below zero: EINVALID then). The ledger records it as a negative charge.
func (s *AccountService) Grant(ctx context.Context, keyID string, credits int64, note string) (int64, error) {
	if err := enrichd.ValidateGrant(keyID, credits); err != nil {
		return 0, err
	}
	var balance int64
	err := s.db.Pool().QueryRow(ctx, `
		WITH u AS (
			UPDATE api_keys SET balance = balance + $2 WHERE id = $1 AND balance + $2 >= 0 RETURNING balance
		)
		INSERT INTO credit_ledger (key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at)
		SELECT $1, '', $3, $4, $5, -$2::bigint, u.balance, $6, $7 FROM u
		RETURNING balance_after`,
		keyID, credits, enrichd.LedgerAPIAdmin, enrichd.LedgerEndpointGrant, enrichd.OutcomeGrant, note, s.now()).Scan(&balance)
	if errors.Is(err, pgx.ErrNoRows) {
		var have int64
		if err := s.db.Pool().QueryRow(ctx, `SELECT balance FROM api_keys WHERE id = $1`, keyID).Scan(&have); errors.Is(err, pgx.ErrNoRows) {
			return 0, enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", keyID)
		} else if err != nil {
			return 0, fmt.Errorf("grant: %w", err)
		}
		return have, enrichd.Errorf(enrichd.EINVALID, "Cannot take back %d credits: the balance is %d.", -credits, have)
	} else if err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	return balance, nil
}

// FindAPIKeys lists every key, oldest first.
func (s *AccountService) FindAPIKeys(ctx context.Context) ([]*enrichd.APIKey, error) {
	rows, err := s.db.Pool().Query(ctx, `SELECT `+acctKeyColumns+` FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	defer rows.Close()
	keys := []*enrichd.APIKey{}
	for rows.Next() {
		k, _, err := acctScanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("find api keys: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	return keys, nil
}

// FindAPIKeyByID returns the key; ENOTFOUND if there is none.
func (s *AccountService) FindAPIKeyByID(ctx context.Context, id string) (*enrichd.APIKey, error) {
	k, _, err := acctScanKey(s.db.Pool().QueryRow(ctx, `SELECT `+acctKeyColumns+` FROM api_keys WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	return k, nil
}

// RevokeAPIKey revokes the key at once; revoking twice keeps the first time.
// ENOTFOUND if there is no such key.
func (s *AccountService) RevokeAPIKey(ctx context.Context, id string) error {
	defer s.forget()
	tag, err := s.db.Pool().Exec(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`, id, s.now())
	if err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	} else if tag.RowsAffected() == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	}
	return nil
}

// UpdatePlan replaces the key's plan; EINVALID if the plan is invalid,
// ENOTFOUND if there is no such key.
func (s *AccountService) UpdatePlan(ctx context.Context, id string, plan enrichd.Plan) error {
	if err := plan.Validate(); err != nil {
		return err
	}
	buf, err := json.Marshal(plan)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	defer s.forget()
	tag, err := s.db.Pool().Exec(ctx, `UPDATE api_keys SET plan = $2 WHERE id = $1`, id, string(buf))
	if err != nil {
		return fmt.Errorf("update plan: %w", err)
	} else if tag.RowsAffected() == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	}
	return nil
}

// Usage returns the ledger entries of keyID (every key when "") since t, oldest first.
func (s *AccountService) Usage(ctx context.Context, keyID string, since time.Time) ([]enrichd.Charge, error) {
	const cols = `SELECT key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at FROM credit_ledger`
	var (
		rows pgx.Rows
		err  error
	)
	if keyID == "" {
		rows, err = s.db.Pool().Query(ctx, cols+` WHERE created_at >= $1 ORDER BY id`, since)
	} else {
		rows, err = s.db.Pool().Query(ctx, cols+` WHERE key_id = $1 AND created_at >= $2 ORDER BY id`, keyID, since)
	}
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	defer rows.Close()
	out := []enrichd.Charge{}
	for rows.Next() {
		var c enrichd.Charge
		if err := rows.Scan(&c.KeyID, &c.RequestID, &c.API, &c.Endpoint, &c.Outcome, &c.Credits, &c.BalanceAfter, &c.Note, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("usage: %w", err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	return out, nil
}

// ReserveIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) ReserveIdempotencyKey(ctx context.Context, keyID, idemKey, fingerprint string, lease time.Duration) (*enrichd.IdempotentResponse, error) {
	now := s.now()
	var out *enrichd.IdempotentResponse
	err := pgx.BeginFunc(ctx, s.db.Pool(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (key_id, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			keyID, idemKey, fingerprint, now)
		if err != nil {
			return err
		} else if tag.RowsAffected() == 1 {
			return nil // reserved
		}
		var (
			rec    enrichd.IdempotencyRecord
			status int
			header []byte
			body   []byte
		)
		if err := tx.QueryRow(ctx, `SELECT fingerprint, done, status, header, body, created_at FROM idempotency_keys WHERE key_id = $1 AND idem_key = $2 FOR UPDATE`, keyID, idemKey).
			Scan(&rec.Fingerprint, &rec.Done, &status, &header, &body, &rec.CreatedAt); err != nil {
			return err
		}
		resp, takeOver, err := rec.Decide(fingerprint, now, lease)
		if err != nil {
			return err
		}
		if !takeOver {
			resp.Status, resp.Body = status, body
			if err := json.Unmarshal(header, &resp.Header); err != nil {
				return fmt.Errorf("decode stored headers: %w", err)
			}
			out = resp
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE idempotency_keys SET fingerprint = $3, done = FALSE, status = 0, header = '{}', body = NULL, created_at = $4 WHERE key_id = $1 AND idem_key = $2`,
			keyID, idemKey, fingerprint, now)
		return err
	})
	if err != nil {
		if enrichd.AsError(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("reserve idempotency key: %w", err)
	}
	return out, nil
}

// CompleteIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) CompleteIdempotencyKey(ctx context.Context, keyID, idemKey string, resp enrichd.IdempotentResponse) error {
	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	buf, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("encode headers: %w", err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	tag, err := s.db.Pool().Exec(ctx, `UPDATE idempotency_keys SET done = TRUE, status = $3, header = $4, body = $5, created_at = $6 WHERE key_id = $1 AND idem_key = $2`,
		keyID, idemKey, resp.Status, string(buf), body, s.now())
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	} else if tag.RowsAffected() == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "Idempotency key %q is not reserved.", idemKey)
	}
	return nil
}

// ReleaseIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) ReleaseIdempotencyKey(ctx context.Context, keyID, idemKey string) error {
	if _, err := s.db.Pool().Exec(ctx, `DELETE FROM idempotency_keys WHERE key_id = $1 AND idem_key = $2 AND NOT done`, keyID, idemKey); err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// PurgeIdempotencyKeys implements enrichd.IdempotencyService.
func (s *AccountService) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.db.Pool().Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return tag.RowsAffected(), nil
}
