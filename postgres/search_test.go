package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/storetest"
	"github.com/jackc/pgx/v5"
)

// mustOpenSearchDB opens a migrated store in a schema of its own, dropped
// after the test, so that parallel test packages never collide.
func mustOpenSearchDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	base := os.Getenv("ENRICHD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("ENRICHD_TEST_POSTGRES_URL must be set in CI")
		}
		tb.Skip("ENRICHD_TEST_POSTGRES_URL not set")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("test_search_%d", rand.Uint64())
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
	db := postgres.NewDB(u.String())
	if err := db.Open(ctx, false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestPersonService_SearchPeople(t *testing.T) {
	storetest.RunSearch(t, func(tb testing.TB) storetest.SearchStores {
		db := mustOpenSearchDB(tb)
		return storetest.SearchStores{
			Ingest: postgres.NewIngestService(db, match.NewKeyer()),
			People: postgres.NewPersonService(db),
		}
	})
}
