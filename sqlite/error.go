package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/enrichd/enrichd"
	"github.com/mattn/go-sqlite3"
)

// FormatError translates a driver error into an application error where one
// applies (unique violation → ECONFLICT, no rows → ENOTFOUND, locked or busy →
// EUNAVAILABLE) and returns other errors unchanged. The driver error stays in
// the chain for logs; only the application message reaches clients.
func FormatError(err error) error {
	if err == nil {
		return nil
	}
	if enrichd.AsError(err) != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errors.Join(enrichd.Errorf(enrichd.ENOTFOUND, "Not found."), err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey:
			return errors.Join(enrichd.Errorf(enrichd.ECONFLICT, "The record already exists."), err)
		case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
			return errors.Join(enrichd.Errorf(enrichd.EUNAVAILABLE, "The store is busy; retry shortly."), err)
		}
	}
	return err
}
