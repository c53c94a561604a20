package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// Ensure a group-committed batch decides each charge in arrival order per
// key, reports unknown keys and unaffordable charges individually, and
// writes one ledger row per successful charge.
func TestAccountService_commitCharges(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
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

// TestAccountService_chargeConnFailure checks that a charge whose
// transaction fails on the charge connection applies nothing (the guarded
// UPDATE is rolled back with the failed ledger INSERT) and that the next
// charge runs on a fresh connection.
func TestAccountService_chargeConnFailure(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
	s := NewAccountService(db)
	k, _, err := s.CreateAPIKey(ctx, "k", enrichd.DefaultPlan(), 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	charge := func() (int64, error) {
		return s.Charge(ctx, enrichd.Charge{KeyID: k.ID, API: "native", Endpoint: "e", Outcome: "match", Credits: 1})
	}
	if bal, err := charge(); err != nil || bal != 4 {
		t.Fatalf("first charge: %d, %v", bal, err)
	}
	if _, err := db.SQL().ExecContext(ctx, `ALTER TABLE credit_ledger RENAME TO credit_ledger_away`); err != nil {
		t.Fatal(err)
	}
	if _, err := charge(); err == nil {
		t.Fatal("charge without a ledger: want an error")
	}
	if s.cconn != nil {
		t.Fatal("the failed charge connection was kept")
	}
	if _, err := db.SQL().ExecContext(ctx, `ALTER TABLE credit_ledger_away RENAME TO credit_ledger`); err != nil {
		t.Fatal(err)
	}
	if bal, err := charge(); err != nil || bal != 3 {
		t.Fatalf("charge after the failure: %d, %v (want 3: the failed one applied nothing)", bal, err)
	}
	s.forget()
	got, err := s.FindAPIKeyByID(ctx, k.ID)
	if err != nil || got.Balance != 3 {
		t.Fatalf("balance %v, %v; want 3", got, err)
	}
	entries, err := s.Usage(ctx, k.ID, k.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range entries {
		sum += e.Credits
	}
	if sum != 2-5 { // two charges and the grant of 5 at creation
		t.Fatalf("ledger sum %d, want -3", sum)
	}
}

// TestAccountService_takeBatch checks the linger: a batch that follows one of
// n charges commits as soon as it holds n (not at the deadline), one that
// never fills commits at the deadline, and a charge alone never waits.
func TestAccountService_takeBatch(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
	s := NewAccountService(db)
	k, _, err := s.CreateAPIKey(ctx, "k", enrichd.DefaultPlan(), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	charge := enrichd.Charge{KeyID: k.ID, API: "native", Endpoint: "e", Outcome: "match", Credits: 1}
	// take runs takeBatch as the committer does, over one queued charge,
	// and sends arriving charges through Charge once it lingers.
	take := func(lastBatch, arriving int, linger time.Duration) ([]*acctChargeReq, time.Duration) {
		t.Helper()
		s.qmu.Lock()
		s.flushing, s.lastBatch, s.linger = true, lastBatch, linger
		s.queue = append(s.queue, &acctChargeReq{c: charge, done: make(chan struct{})})
		s.qmu.Unlock()
		start := time.Now()
		batches := make(chan []*acctChargeReq)
		go func() {
			s.qmu.Lock()
			batch := s.takeBatch()
			s.flushing = false
			s.qmu.Unlock()
			batches <- batch
		}()
		errs := make(chan error, arriving)
		if arriving > 0 {
			for lingering := false; !lingering; time.Sleep(time.Millisecond) {
				s.qmu.Lock()
				lingering = s.waitFor > 0
				s.qmu.Unlock()
			}
			for range arriving {
				go func() { _, err := s.Charge(ctx, charge); errs <- err }()
			}
		}
		batch := <-batches
		took := time.Since(start)
		s.commitCharges(ctx, batch)
		for range arriving {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		return batch, took
	}
	if b, took := take(3, 2, time.Hour); len(b) != 3 || took > 10*time.Second {
		t.Fatalf("full batch: %d charges after %v, want 3 at once", len(b), took)
	}
	if b, took := take(3, 0, 50*time.Millisecond); len(b) != 1 || took < 50*time.Millisecond {
		t.Fatalf("short batch: %d charges after %v, want 1 at the deadline", len(b), took)
	}
	if b, took := take(1, 0, time.Hour); len(b) != 1 || took > 10*time.Second {
		t.Fatalf("after a single charge: %d charges after %v, want 1 at once", len(b), took)
	}
}
