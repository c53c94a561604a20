package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// Ensure a group-committed batch decides each charge in arrival order per
// key, reports unknown keys and unaffordable charges individually, and
// writes one ledger row per successful charge.
func TestAccountService_commitCharges(t *testing.T) {
	ctx := context.Background()
	db := NewDB(filepath.Join(t.TempDir(), "batch.db"))
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewAccountService(db)
	a, _, err := s.CreateAPIKey(ctx, "a", enrichd.DefaultPlan(), 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.CreateAPIKey(ctx, "b", enrichd.DefaultPlan(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	charge := func(id string, n int64) *acctChargeReq {
		return &acctChargeReq{c: enrichd.Charge{KeyID: id, API: "native", Endpoint: "e", Outcome: "match", Credits: n, CreatedAt: time.Now()}, done: make(chan struct{})}
	}
	batch := []*acctChargeReq{
		charge(a.ID, 2),               // a: 5 → 3
		charge(b.ID, 2),               // b: 1, cannot afford
		charge(a.ID, 3),               // a: 3 → 0
		charge("0000000000000000", 1), // unknown
		charge(a.ID, 1),               // a: 0, cannot afford
		charge(b.ID, 1),               // b: 1 → 0
		charge(a.ID, 0),               // a: free miss
	}
	s.commitCharges(ctx, batch)
	want := []struct {
		balance int64
		code    string
	}{{3, ""}, {1, enrichd.EPAYMENT}, {0, ""}, {0, enrichd.ENOTFOUND}, {0, enrichd.EPAYMENT}, {0, ""}, {0, ""}}
	for i, r := range batch {
		select {
		case <-r.done:
		default:
			t.Fatalf("charge %d not done", i)
		}
		if r.balance != want[i].balance || enrichd.ErrorCode(r.err) != want[i].code {
			t.Fatalf("charge %d: balance=%d err=%v, want %d %q", i, r.balance, r.err, want[i].balance, want[i].code)
		}
	}
	for _, k := range []*enrichd.APIKey{a, b} {
		got, err := s.FindAPIKeyByID(ctx, k.ID)
		if err != nil || got.Balance != 0 {
			t.Fatalf("key %s: balance=%d err=%v", k.Name, got.Balance, err)
		}
		entries, _ := s.Usage(ctx, k.ID, got.CreatedAt)
		var sum int64
		for _, e := range entries {
			sum += e.Credits
		}
		if sum != 0 {
			t.Fatalf("key %s: ledger sum=%d, want 0", k.Name, sum)
		}
	}
	if entries, _ := s.Usage(ctx, a.ID, a.CreatedAt); len(entries) != 4 || entries[1].BalanceAfter != 3 || entries[2].BalanceAfter != 0 {
		t.Fatalf("ledger of a: %+v", entries)
	}
}
