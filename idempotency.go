package enrichd

import (
	"context"
	"net/http"
	"time"
)

// IdempotencyTTL is how long a completed response stays replayable under its
// Idempotency-Key.
const IdempotencyTTL = 24 * time.Hour

// IdempotentResponse is a stored answer, replayed verbatim to a retry that
// carries the same Idempotency-Key.
type IdempotentResponse struct {
	Status    int         `json:"status"`
	Header    http.Header `json:"header"`
	Body      []byte      `json:"body"`
	CreatedAt time.Time   `json:"created_at"`
}

// IdempotencyService reserves Idempotency-Key values per API key and stores
// the responses given under them. Implemented by sqlite.AccountService and
// postgres.AccountService, so that a retry reaching any node sees the same
// record.
//
// NOTE: a key is reserved before the request runs, so that two concurrent
// duplicates can never both run (and both be charged); the loser sees the
// reservation and waits for, or is refused, the winner's answer.
type IdempotencyService interface {
	// ReserveIdempotencyKey claims (keyID, idemKey) for a request whose
	// method, path and body hash to fingerprint. It returns (nil, nil) when the
	// caller now holds the reservation and must later Complete or Release it;
	// the stored response when one completed within IdempotencyTTL; ECONFLICT
	// when another request holds a reservation younger than lease; EINVALID
	// when the key was used for a request with another fingerprint.
	// Reservations older than lease are taken over (their holder died).
	ReserveIdempotencyKey(ctx context.Context, keyID, idemKey, fingerprint string, lease time.Duration) (*IdempotentResponse, error)
	// CompleteIdempotencyKey stores the response of a reserved key.
	CompleteIdempotencyKey(ctx context.Context, keyID, idemKey string, resp IdempotentResponse) error
	// ReleaseIdempotencyKey drops a reservation whose request must be allowed
	// to run again (it failed before doing anything billable).
	ReleaseIdempotencyKey(ctx context.Context, keyID, idemKey string) error
	// PurgeIdempotencyKeys deletes records created before t and returns how many.
	PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error)
}

// IdempotencyRecord is what a store holds under an Idempotency-Key, minus
// the response itself.
type IdempotencyRecord struct {
	Fingerprint string
	Done        bool
	CreatedAt   time.Time
}

// Decide applies the reservation rules of
// IdempotencyService.ReserveIdempotencyKey to an existing record, so that
// every store decides alike. It returns a non-nil response (to be filled
// with the stored status, headers and body) when the completed answer must be
// replayed; takeOver when the caller may overwrite the record with a new
// reservation; or an error.
func (r IdempotencyRecord) Decide(fingerprint string, now time.Time, lease time.Duration) (resp *IdempotentResponse, takeOver bool, err error) {
	switch {
	case r.Done && now.Sub(r.CreatedAt) >= IdempotencyTTL:
		return nil, true, nil // expired: the key may be used afresh
	case !r.Done && now.Sub(r.CreatedAt) >= lease:
		return nil, true, nil // the holder died without completing
	case r.Fingerprint != fingerprint:
		return nil, false, Errorf(EINVALID, "This Idempotency-Key was already used for a different request; use a new key.")
	case r.Done:
		return &IdempotentResponse{CreatedAt: r.CreatedAt}, false, nil
	default:
		return nil, false, Errorf(ECONFLICT, "A request with this Idempotency-Key is still in progress; retry later.")
	}
}
