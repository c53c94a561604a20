package postgres

import (
	"context"
	"errors"

	"github.com/enrichd/enrichd"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// FormatError translates a driver error into an application error where one
// applies (unique violation → ECONFLICT, no rows → ENOTFOUND, serialization
// failure, deadlock or lost connection → EUNAVAILABLE) and returns other
// errors unchanged. The driver error stays in the chain for logs; only the
// application message reaches clients.
func FormatError(err error) error {
	if err == nil {
		return nil
	}
	if enrichd.AsError(err) != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errors.Join(enrichd.Errorf(enrichd.ENOTFOUND, "Not found."), err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return errors.Join(enrichd.Errorf(enrichd.ECONFLICT, "The record already exists."), err)
		case "22021", "22P05": // character_not_in_repertoire, untranslatable_character: a NUL in text or JSON
			return errors.Join(enrichd.Errorf(enrichd.EINVALID, "Text contains a character PostgreSQL cannot store (NUL)."), err)
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return errors.Join(enrichd.Errorf(enrichd.EUNAVAILABLE, "The store is busy; retry shortly."), err)
		}
		return err
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return errors.Join(enrichd.Errorf(enrichd.EUNAVAILABLE, "The store is unavailable; retry shortly."), err)
	}
	return err
}

// retryable reports whether a failed ingest transaction may succeed if run
// again: a concurrent batch inserted the same record, or the server aborted
// the transaction to break a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" || pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}
