package postgres_test

import (
	"context"
	"testing"

	"github.com/enrichd/enrichd/internal/pgtest"
	"github.com/enrichd/enrichd/postgres"
)

// MustSchemaURL returns a URL to a schema of tb's own (see pgtest.SchemaURL).
func MustSchemaURL(tb testing.TB) string {
	tb.Helper()
	return pgtest.SchemaURL(tb, "test_store")
}

// MustOpenDB opens a migrated store in a schema of its own.
func MustOpenDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	db := postgres.NewDB(MustSchemaURL(tb))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
