package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"github.com/enrichd/enrichd/postgres"
	"github.com/jackc/pgx/v5"
)

// MustSchemaURL creates a schema of its own for tb on the server at
// ENRICHD_TEST_POSTGRES_URL, drops it when tb ends, and returns a URL whose
// search_path is that schema. It skips tb when the variable is unset, except
// with CI=true, where a skipped PostgreSQL suite would hide failures.
func MustSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("ENRICHD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("ENRICHD_TEST_POSTGRES_URL must be set when CI=true")
		}
		tb.Skip("ENRICHD_TEST_POSTGRES_URL not set")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("test_store_%016x", rand.Uint64())
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
