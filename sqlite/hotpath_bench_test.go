package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
)

// BenchmarkMatchCharge measures the store's part of a served identifier
// look-up: the person read by one identity key and a one-credit charge, from
// 16 goroutines at once, as the HTTP server runs them. Sub-benchmarks compare
// the match readers and the charge connection in one shared cache (the
// default) with private connections, whose page caches every charge commit
// resets (docs/BENCHMARKS.md, 2026-12-03 afternoon), and the group-commit
// linger on and off. cpu-µs/op is the process's CPU time per look-up.
//
// "private/accounts-file" is the probe of a second file: private connections,
// the charges in a store file of their own (not the product's layout).
//
// The store is a fresh one of min(benchPeople(), 20,000) people, or the file
// named by ENRICHD_BENCH_DB (for example the 1,000,000-person store that
// go run ./bench caches), opened in place: charges add ledger rows to it.
func BenchmarkMatchCharge(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("ENRICHD_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "hot.db")
		db := MustOpenDB(b, path)
		ing := sqlite.NewIngestService(db, match.NewKeyer())
		n := min(benchPeople(), 20_000)
		g := benchGenerator(n)
		for i := 0; i < n; i += benchBatch {
			if _, err := ing.Ingest(ctx, g.Batch(i, benchBatch)); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
	}
	for _, bm := range []struct {
		name         string
		private      bool
		linger       bool
		accountsFile bool
	}{
		{"shared-cache/linger", false, true, false},
		{"shared-cache/no-linger", false, false, false},
		{"private/no-linger", true, false, false},
		{"private/accounts-file", true, false, true},
	} {
		b.Run(bm.name, func(b *testing.B) {
			db := sqlite.NewDB(path)
			if bm.private {
				sqlite.SetPrivateCache(db)
			}
			if err := db.Open(ctx, false); err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			keys := identityKeys(b, db, 256)
			people := sqlite.NewPersonService(db)
			accounts := sqlite.NewAccountService(db)
			if bm.accountsFile {
				accounts = sqlite.NewAccountService(MustOpenDB(b, filepath.Join(b.TempDir(), "accounts.db")))
			}
			if !bm.linger {
				sqlite.SetChargeLinger(accounts, 0)
			}
			k, _, err := accounts.CreateAPIKey(ctx, "bench", enrichd.DefaultPlan(), 1<<50, nil)
			if err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism(8) // 16 goroutines on 2 cores
			report := measureCPU(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					key := keys[int(next.Add(1))%len(keys)]
					got, err := people.FindPeopleByKeys(ctx, []string{key}, 0)
					if err != nil {
						b.Fatal(err)
					} else if len(got[key]) == 0 {
						b.Fatalf("no one under %s", key)
					}
					if _, err := accounts.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "bench", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			report()
		})
	}
}

// identityKeys returns up to n LinkedIn keys of people in db, spread over the store.
func identityKeys(tb testing.TB, db *sqlite.DB, n int) []string {
	tb.Helper()
	rows, err := db.SQL().Query(`SELECT key FROM person_keys WHERE key >= 'li:' AND key < 'li;' ORDER BY key LIMIT ?`, 50*n)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for i := 0; rows.Next(); i++ {
		var k string
		if err := rows.Scan(&k); err != nil {
			tb.Fatal(err)
		}
		if i%50 == 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		tb.Fatal("no LinkedIn keys in the store")
	}
	return keys
}
