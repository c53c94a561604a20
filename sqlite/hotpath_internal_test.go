package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// Ensure that with the match readers and the charge connection in one shared
// cache, charges neither fail nor lose or double a credit while match reads
// run without a pause and other connections of the file commit writes (which
// leave the cache on an old snapshot: see DB.hotBegin), while a second
// AccountService on the same DB charges too (one writer per shared cache),
// and that the readers see those writes once the traffic stops.
func TestDB_sharedCache(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
	if db.hot == nil {
		t.Fatal("no shared cache on a file store")
	}
	a, b := NewAccountService(db), NewAccountService(db)
	const credits, charges = 300, 400
	k, _, err := a.CreateAPIKey(ctx, "k", enrichd.DefaultPlan(), credits, nil)
	if err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var bg sync.WaitGroup
	var written atomic.Int64
	fail := make(chan error, 64)
	bg.Add(1)
	go func() { // outside writes, on the private pool
		defer bg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO person_keys (key, person_id) VALUES ('w', ?)`, fmt.Sprintf("p%06d", i)); err != nil {
				fail <- err
				return
			}
			written.Store(int64(i + 1))
			time.Sleep(200 * time.Microsecond)
		}
	}()
	for g := 0; g < 8; g++ { // match reads, back to back
		bg.Add(1)
		go func() {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.findIDsByKeys(ctx, "person_keys", "person_id", []string{"w"}, 5); err != nil {
					fail <- err
					return
				}
			}
		}()
	}

	var ok, poor atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if g%2 == 1 {
				s = b
			}
			for i := 0; i < charges/32+1; i++ {
				if g*(charges/32+1)+i >= charges {
					return
				}
				_, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "r", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1})
				switch {
				case err == nil:
					ok.Add(1)
				case enrichd.ErrorCode(err) == enrichd.EPAYMENT:
					poor.Add(1)
				default:
					fail <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	bg.Wait()
	close(fail)
	for err := range fail {
		t.Fatal(err)
	}
	if got, want := ok.Load(), int64(credits); got != want {
		t.Fatalf("%d charges applied, want %d", got, want)
	}
	if got, want := poor.Load(), int64(charges-credits); got != want {
		t.Fatalf("%d charges refused, want %d", got, want)
	}
	key, err := a.FindAPIKeyByID(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	} else if key.Balance != 0 {
		t.Fatalf("balance %d, want 0", key.Balance)
	}
	var rows int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM credit_ledger WHERE key_id = ? AND credits = 1`, k.ID).Scan(&rows); err != nil {
		t.Fatal(err)
	} else if rows != credits {
		t.Fatalf("%d ledger rows, want %d", rows, credits)
	}
	got, err := db.findIDsByKeys(ctx, "person_keys", "person_id", []string{"w"}, 1_000_000)
	if err != nil {
		t.Fatal(err)
	} else if n := int64(len(got["w"])); n != written.Load() {
		t.Fatalf("readers see %d of %d rows written", n, written.Load())
	}
}

// Ensure hotBegin opens the write transaction once the cache's other writer
// commits (SQLITE_LOCKED, not covered by the busy timeout), and, when a
// commit outside the cache left the cache's read transaction on an old
// snapshot (SQLITE_BUSY at once), once the match readers are held off.
func TestDB_hotBegin(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
	conn := func() *sql.Conn {
		t.Helper()
		c, err := db.hotConn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	begin := func(c *sql.Conn) <-chan error {
		st, err := c.PrepareContext(ctx, `BEGIN IMMEDIATE`)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- db.hotBegin(ctx, st) }()
		return done
	}
	waiting := func(done <-chan error) {
		t.Helper()
		select {
		case err := <-done:
			t.Fatalf("hotBegin returned %v, want it to wait", err)
		case <-time.After(50 * time.Millisecond):
		}
	}

	t.Run("other writer", func(t *testing.T) {
		c1, c2 := conn(), conn()
		if _, err := c1.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			t.Fatal(err)
		}
		done := begin(c2)
		waiting(done)
		if _, err := c1.ExecContext(ctx, `COMMIT`); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if _, err := c2.ExecContext(ctx, `COMMIT`); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("old snapshot", func(t *testing.T) {
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO person_keys (key, person_id) VALUES ('s', 'p1'), ('s', 'p2')`); err != nil {
			t.Fatal(err)
		}
		reading, release := make(chan struct{}), make(chan struct{})
		read := make(chan error, 1)
		go func() { // a match read that stays in its statement
			first := true
			read <- db.readRows(ctx, `SELECT person_id FROM person_keys WHERE key = 's'`, nil, func([]driver.Value) error {
				if first {
					first = false
					close(reading)
					<-release
				}
				return nil
			})
		}()
		<-reading
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO person_keys (key, person_id) VALUES ('s', 'p3')`); err != nil {
			t.Fatal(err)
		}
		c := conn()
		done := begin(c)
		waiting(done)
		close(release)
		if err := <-read; err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		var n int
		if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_keys WHERE key = 's'`).Scan(&n); err != nil {
			t.Fatal(err)
		} else if n != 3 {
			t.Fatalf("the write transaction sees %d rows, want 3", n)
		}
		if _, err := c.ExecContext(ctx, `ROLLBACK`); err != nil {
			t.Fatal(err)
		}
	})
}
