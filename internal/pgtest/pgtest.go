// Package pgtest gives tests a PostgreSQL schema of their own on the server
// named by ENRICHD_TEST_POSTGRES_URL, so that test packages running in
// parallel never see each other's tables.
package pgtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// SchemaURL creates a schema named prefix_<random> for tb, drops it when tb
// ends, and returns a URL whose search_path is that schema. It skips tb when
// ENRICHD_TEST_POSTGRES_URL is unset, except with CI=true, where a skipped
// PostgreSQL suite would hide failures, so it fails instead.
func SchemaURL(tb testing.TB, prefix string) string {
	tb.Helper()
	base := os.Getenv("ENRICHD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("ENRICHD_TEST_POSTGRES_URL must be set when CI=true")
		}
		tb.Skip("ENRICHD_TEST_POSTGRES_URL not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	schema := fmt.Sprintf("%s_%016x", prefix, rand.Uint64())
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			c.Close(context.Background())
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
