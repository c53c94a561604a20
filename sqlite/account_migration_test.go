package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
)

// Ensure 0004_ledger_time_ids keeps a store's old ledger rows (sequential
// ids, times out of order and tied) in their order and found by date, and
// that new rows follow them.
func TestMigrate_LedgerTimeIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := sqlite.NewDB(path)
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	k, _, err := sqlite.NewAccountService(db).CreateAPIKey(ctx, "old", enrichd.DefaultPlan(), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Undo 0004 and write the ledger as a store before it did: ids 1…n, one
	// time earlier than its predecessor's and one tie (concurrent charges).
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	at := []time.Duration{0, time.Hour, time.Hour - time.Microsecond, time.Hour, 2 * time.Hour, 48 * time.Hour}
	for _, q := range []string{
		`DELETE FROM credit_ledger`,
		`CREATE INDEX credit_ledger_created ON credit_ledger (created_at)`,
		`DELETE FROM migrations WHERE name LIKE '%0004_ledger_time_ids.sql'`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range at {
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO credit_ledger (id, key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at) VALUES (?, ?, ?, 'native', 'person/enrich', 'match', 1, 0, '', ?)`,
			i+1, k.ID, string(rune('a'+i)), base.Add(d).UnixMicro()); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	db = sqlite.NewDB(path)
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var indexes int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'credit_ledger_created'`).Scan(&indexes); err != nil || indexes != 0 {
		t.Fatalf("created_at index: %d, %v; want dropped", indexes, err)
	}
	var bad int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM credit_ledger WHERE id < created_at`).Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows with id < created_at, %v", bad, err)
	}
	s := sqlite.NewAccountService(db)
	if _, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "new", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		since time.Time
		want  string // request ids, in ledger order
	}{
		{"All", time.Time{}, "abcdefnew"},
		{"FromFirst", base, "abcdefnew"},
		{"AfterFirst", base.Add(time.Microsecond), "bcdefnew"},
		{"OutOfOrderRow", base.Add(time.Hour - time.Microsecond), "bcdefnew"},
		{"TiedRows", base.Add(time.Hour), "bdefnew"},
		{"Later", base.Add(time.Hour + time.Microsecond), "efnew"},
		{"LastOld", base.Add(48 * time.Hour), "fnew"},
		{"NewOnly", base.Add(48*time.Hour + time.Microsecond), "new"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, key := range []string{"", k.ID} {
				entries, err := s.Usage(ctx, key, tt.since)
				if err != nil {
					t.Fatal(err)
				}
				var got string
				for _, e := range entries {
					got += e.RequestID
				}
				if got != tt.want {
					t.Fatalf("Usage(%q, %v) = %q, want %q", key, tt.since, got, tt.want)
				}
			}
		})
	}
}
