package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// countIDs returns the ids under key through db's match read path.
func countIDs(tb testing.TB, db *DB, key string) int {
	tb.Helper()
	got, err := db.findIDsByKeys(context.Background(), "person_keys", "person_id", []string{key}, 100)
	if err != nil {
		tb.Fatal(err)
	}
	return len(got[key])
}

// Ensure the reserved read connections answer like database/sql, see every
// committed write at once (no snapshot kept between statements), survive a
// failed statement and many concurrent callers, and refuse work once closed.
func TestReaders(t *testing.T) {
	for _, dsn := range []string{"file", ":memory:"} {
		t.Run(dsn, func(t *testing.T) {
			ctx := context.Background()
			if dsn == "file" {
				dsn = filepath.Join(t.TempDir(), "r.db")
			}
			db := NewDB(dsn)
			db.keyCacheLease = 0 // raw writes below, past the ingest service
			if err := db.Open(ctx, false); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got, want := db.readers != nil, dsn != ":memory:"; got != want {
				t.Fatalf("reserved readers %v, want %v", got, want)
			}
			insert := func(key, id string) {
				t.Helper()
				if _, err := db.SQL().ExecContext(ctx, `INSERT INTO person_keys (key, person_id) VALUES (?, ?)`, key, id); err != nil {
					t.Fatal(err)
				}
			}
			for i := 0; i < 3; i++ {
				insert("k", fmt.Sprint("p", i))
			}
			tests := []struct {
				name string
				run  func(t *testing.T)
			}{
				{"reads", func(t *testing.T) {
					if n := countIDs(t, db, "k"); n != 3 {
						t.Fatalf("%d ids, want 3", n)
					}
				}},
				{"sees writes at once", func(t *testing.T) {
					for i := 3; i < 6; i++ {
						insert("k", fmt.Sprint("p", i))
						if n := countIDs(t, db, "k"); n != i+1 {
							t.Fatalf("%d ids after insert %d, want %d", n, i, i+1)
						}
					}
				}},
				{"failed statement", func(t *testing.T) {
					err := db.readRows(ctx, `SELECT no_such_column FROM person_keys`, nil, func([]driver.Value) error { return nil })
					if err == nil {
						t.Fatal("want an error")
					}
					if n := countIDs(t, db, "k"); n != 6 {
						t.Fatalf("%d ids after a failure, want 6", n)
					}
				}},
				{"row error stops", func(t *testing.T) {
					stop := fmt.Errorf("stop")
					rows := 0
					err := db.readRows(ctx, `SELECT person_id FROM person_keys`, nil, func([]driver.Value) error { rows++; return stop })
					if err != stop || rows != 1 {
						t.Fatalf("err %v after %d rows, want stop after 1", err, rows)
					}
				}},
				{"concurrent", func(t *testing.T) {
					var wg sync.WaitGroup
					errs := make(chan error, 32)
					for g := 0; g < 32; g++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for i := 0; i < 20; i++ {
								got, err := db.findIDsByKeys(ctx, "person_keys", "person_id", []string{"k", "x"}, 2)
								if err == nil && len(got["k"]) != 2 {
									err = fmt.Errorf("%d ids, want 2", len(got["k"]))
								}
								if err != nil {
									errs <- err
									return
								}
							}
						}()
					}
					wg.Wait()
					close(errs)
					for err := range errs {
						t.Fatal(err)
					}
					if r := db.readers; r != nil && (r.open > r.max || r.open < 1) {
						t.Fatalf("%d reserved connections open, max %d", r.open, r.max)
					}
				}},
			}
			for _, tt := range tests {
				t.Run(tt.name, tt.run)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if db.readers != nil {
				if _, err := db.findIDsByKeys(ctx, "person_keys", "person_id", []string{"k"}, 1); err == nil {
					t.Fatal("read after Close: want an error")
				}
				if db.readers.open != 0 {
					t.Fatalf("%d reserved connections open after Close", db.readers.open)
				}
			}
		})
	}
}
