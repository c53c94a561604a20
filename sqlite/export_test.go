package sqlite

import "time"

// SetPrivateCache makes db, before Open, read and charge on its pool of
// private connections (the layout before the shared cache), for comparisons.
func SetPrivateCache(db *DB) { db.privateCache = true }

// SetChargeLinger replaces ChargeLinger for s.
func SetChargeLinger(s *AccountService, d time.Duration) { s.linger = d }

// ExecRaw runs a statement on db's pool, past every service: a write by
// tooling that knows nothing of the caches.
func ExecRaw(db *DB, query string, args ...any) error {
	_, err := db.db.Exec(query, args...)
	return err
}

// DisableKeyCaches makes db read every look-up past its key caches (for
// fresh reads to compare the cached ones with).
func DisableKeyCaches(db *DB) { db.keyCaches = nil }

// SetKeyCacheLease replaces KeyCacheLease for db.
func SetKeyCacheLease(db *DB, d time.Duration) { db.keyCacheLease = d }
