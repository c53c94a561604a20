package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

// MustOpenDB opens a migrated store at dsn and closes it when tb ends.
func MustOpenDB(tb testing.TB, dsn string) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(dsn)
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func stores(db *sqlite.DB) storetest.Stores {
	return storetest.Stores{
		People:    sqlite.NewPersonService(db),
		Companies: sqlite.NewCompanyService(db),
		Ingest:    sqlite.NewIngestService(db, storetest.NewKeyer()),
	}
}

func TestStore(t *testing.T) {
	t.Run("File", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) storetest.Stores {
			return stores(MustOpenDB(tb, filepath.Join(tb.TempDir(), "enrichd.db")))
		})
	})
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) storetest.Stores {
			return stores(MustOpenDB(tb, ":memory:"))
		})
	})
}

// Ensure migrations apply on a fresh file, are not applied again on reopen,
// and that SchemaCurrent tells an old schema from a current one.
func TestDB_Migrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")

	db := sqlite.NewDB(path)
	if err := db.Open(ctx, true); err == nil {
		t.Fatal("Open with noMigrate on an empty file: want an error")
	}
	db.Close()

	db = MustOpenDB(t, path)
	if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
		t.Fatalf("SchemaCurrent after Open = %v, %v; want true", ok, err)
	}
	var applied int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied < 1 {
		t.Fatalf("applied=%d", applied)
	}
	// Data written before a reopen survives it: no migration runs twice.
	if _, err := sqlite.NewIngestService(db, storetest.NewKeyer()).Ingest(ctx, []enrichd.IngestRecord{{Person: storetest.NewPerson(1)}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2 := sqlite.NewDB(path)
	if err := db2.Open(ctx, true); err != nil {
		t.Fatalf("reopen with noMigrate: %v", err)
	}
	defer db2.Close()
	if err := db2.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	var again int
	if err := db2.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&again); err != nil {
		t.Fatal(err)
	}
	if again != applied {
		t.Fatalf("migrations %d → %d after reopen", applied, again)
	}
	if n, err := sqlite.NewPersonService(db2).CountPeople(ctx); err != nil || n != 1 {
		t.Fatalf("CountPeople after reopen = %d, %v", n, err)
	}

	// A store missing a migration is not current.
	if _, err := db2.SQL().ExecContext(ctx, `DELETE FROM migrations WHERE name = (SELECT MAX(name) FROM migrations)`); err != nil {
		t.Fatal(err)
	}
	if ok, err := db2.SchemaCurrent(ctx); err != nil || ok {
		t.Fatalf("SchemaCurrent with a migration missing = %v, %v; want false", ok, err)
	}
}

// Ensure person_terms follows a person's changes: removed values go, new ones come.
func TestIngest_TermsReplaced(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t, ":memory:")
	ing := sqlite.NewIngestService(db, storetest.NewKeyer())
	p := storetest.NewPerson(1)
	res, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: p}})
	if err != nil {
		t.Fatal(err)
	}
	terms := func() map[string]bool {
		rows, err := db.SQL().QueryContext(ctx, `SELECT field || '=' || value FROM person_terms WHERE person_id = ?`, res[0].PersonID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out[s] = true
		}
		return out
	}
	if got := terms(); !got["skill=go"] || !got["title=engineer"] || !got["company=acme inc"] {
		t.Fatalf("terms=%v", got)
	}
	// A newer record moves the person to another job: the old one becomes past.
	q := storetest.NewPerson(1)
	q.Employment = []enrichd.Employment{{CompanyName: "Globex", Title: "CTO", Current: true}}
	q.Sources[0].RecordID = "other:1"
	q.Sources[0].SeenAt = q.Sources[0].SeenAt.AddDate(0, 1, 0)
	if _, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: q}}); err != nil {
		t.Fatal(err)
	}
	got := terms()
	for _, want := range []string{"company=globex", "title=cto", "past_company=acme inc", "past_title=engineer", "skill=go"} {
		if !got[want] {
			t.Fatalf("terms=%v, missing %s", got, want)
		}
	}
	var col string
	if err := db.SQL().QueryRowContext(ctx, `SELECT company_name FROM people WHERE id = ?`, res[0].PersonID).Scan(&col); err != nil || col != "globex" {
		t.Fatalf("company_name=%q, %v", col, err)
	}
}

// Ensure driver errors become application errors in one place.
func TestFormatError(t *testing.T) {
	db := MustOpenDB(t, ":memory:")
	_, dup := db.SQL().Exec(`INSERT INTO counters (name, n) VALUES ('people', 0)`)
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"NoRows", sql.ErrNoRows, enrichd.ENOTFOUND},
		{"Unique", dup, enrichd.ECONFLICT},
		{"AppErrorKept", enrichd.Errorf(enrichd.EINVALID, "x"), enrichd.EINVALID},
		{"Other", errors.New("boom"), enrichd.EINTERNAL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := enrichd.ErrorCode(sqlite.FormatError(tt.err)); got != tt.want {
				t.Fatalf("code=%q, want %q (err %v)", got, tt.want, tt.err)
			}
		})
	}
	if sqlite.FormatError(nil) != nil {
		t.Fatal("FormatError(nil) != nil")
	}
}

// Ensure a bulk load drops the secondary indexes of people, that EndBulk
// re-creates them, and that an interrupted bulk load is finished by the next
// Open.
func TestIngestService_Bulk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulk.db")
	db := MustOpenDB(t, path)
	indexes := func(db *sqlite.DB) int {
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := indexes(db)
	if before < 2 {
		t.Fatalf("people has %d secondary indexes", before)
	}
	ing := sqlite.NewIngestService(db, storetest.NewKeyer())
	for i := 0; i < 2; i++ { // twice: harmless
		if err := ing.BeginBulk(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := indexes(db); n != 0 {
		t.Fatalf("%d indexes left during bulk load", n)
	}
	res, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: storetest.NewPerson(1), Company: storetest.NewCompany()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ing.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if n := indexes(db); n != before {
		t.Fatalf("%d indexes after EndBulk, want %d", n, before)
	}
	if err := ing.EndBulk(ctx); err != nil {
		t.Fatalf("second EndBulk: %v", err)
	}
	var id string
	if err := db.SQL().QueryRowContext(ctx, `SELECT id FROM people INDEXED BY people_company_id_idx WHERE company_id = ?`, res[0].CompanyID).Scan(&id); err != nil || id != res[0].PersonID {
		t.Fatalf("index look-up: %q, %v", id, err)
	}

	// Interrupted: the process ends between BeginBulk and EndBulk.
	if err := ing.BeginBulk(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2 := MustOpenDB(t, path)
	if n := indexes(db2); n != before {
		t.Fatalf("%d indexes after reopening an interrupted bulk load, want %d", n, before)
	}
}

// Ensure a merge during a bulk load (no person_id index on person_keys: old
// keys derived from the stored doc) leaves the same key rows as outside one.
func TestIngestService_BulkMergeKeys(t *testing.T) {
	ctx := context.Background()
	keysAfter := func(bulk bool) []string {
		db := MustOpenDB(t, filepath.Join(t.TempDir(), "k.db"))
		defer db.Close()
		ing := sqlite.NewIngestService(db, storetest.NewKeyer())
		if bulk {
			if err := ing.BeginBulk(ctx); err != nil {
				t.Fatal(err)
			}
		}
		p := storetest.NewPerson(1)
		if _, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: p, Company: storetest.NewCompany()}}); err != nil {
			t.Fatal(err)
		}
		// The same person, seen later, renamed and moved: keys change.
		q := storetest.NewPerson(1)
		q.LastName, q.FullName, q.Location.City = "Zhou", "Ann1 Zhou", "Lyon"
		q.Employment = []enrichd.Employment{{CompanyName: "Globex", CompanyDomain: "globex.com", Title: "CTO", Start: "2024", Current: true}}
		q.Sources[0].SeenAt = q.Sources[0].SeenAt.Add(time.Hour)
		res, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: q}})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].PersonOutcome != enrichd.OutcomeMerged {
			t.Fatalf("outcome %q, want merged", res[0].PersonOutcome)
		}
		if bulk {
			if err := ing.EndBulk(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.SQL().QueryContext(ctx, `SELECT key FROM person_keys WHERE person_id = ? ORDER BY key`, res[0].PersonID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var keys []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		return keys
	}
	plain, bulk := keysAfter(false), keysAfter(true)
	if len(plain) == 0 || !slices.Equal(plain, bulk) {
		t.Fatalf("keys after a bulk merge:\n%q\nwant\n%q", bulk, plain)
	}
}
