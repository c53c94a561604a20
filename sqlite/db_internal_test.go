package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// mustOpenFile opens a migrated store in a new file of the test's temporary
// directory, closed when the test ends.
func mustOpenFile(tb testing.TB) *DB {
	tb.Helper()
	db := NewDB(filepath.Join(tb.TempDir(), "s.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
