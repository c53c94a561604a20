package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/storetest"
	"github.com/jackc/pgx/v5"
)

// mustOpenAccountDB opens a migrated store in a fresh schema of its own, so
// that parallel test packages never collide; the schema is dropped after.
func mustOpenAccountDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	base := os.Getenv("ENRICHD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("ENRICHD_TEST_POSTGRES_URL must be set in CI")
		}
		tb.Skip("ENRICHD_TEST_POSTGRES_URL not set")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("test_accounts_%d", rand.Uint64())
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

func TestAccountService(t *testing.T) {
	storetest.RunAccounts(t, func(tb testing.TB) enrichd.AccountService {
		return postgres.NewAccountService(mustOpenAccountDB(tb))
	})
}

func BenchmarkAccountService(b *testing.B) {
	ctx := context.Background()
	s := postgres.NewAccountService(mustOpenAccountDB(b))
	k, secret, err := s.CreateAPIKey(ctx, "bench", enrichd.DefaultPlan(), 1<<50, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Authenticate", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Authenticate(ctx, secret); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Charge", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "bench", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
