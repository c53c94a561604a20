package postgres_test

import (
	"context"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/storetest"
)

func TestAccountService(t *testing.T) {
	storetest.RunAccounts(t, func(tb testing.TB) enrichd.AccountService {
		return postgres.NewAccountService(MustOpenDB(tb))
	})
}

func BenchmarkAccountService(b *testing.B) {
	ctx := context.Background()
	s := postgres.NewAccountService(MustOpenDB(b))
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
