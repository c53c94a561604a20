package postgres_test

import (
	"context"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Stores {
		db := MustOpenDB(tb)
		return storetest.Stores{
			People:    postgres.NewPersonService(db),
			Companies: postgres.NewCompanyService(db),
			Ingest:    postgres.NewIngestService(db, storetest.NewKeyer()),
		}
	})
}

// Ensure the suite also passes during a bulk load (indexes dropped, old keys
// derived from docs, asynchronous commits) and with every batch written as a
// retried one is (INSERT … ON CONFLICT instead of COPY).
func TestStore_Modes(t *testing.T) {
	t.Run("Bulk", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) storetest.Stores {
			db := MustOpenDB(tb)
			ingest := postgres.NewIngestService(db, storetest.NewKeyer())
			if err := ingest.BeginBulk(context.Background()); err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() {
				if err := ingest.EndBulk(context.Background()); err != nil {
					tb.Error(err)
				}
			})
			return storetest.Stores{People: postgres.NewPersonService(db), Companies: postgres.NewCompanyService(db), Ingest: ingest}
		})
	})
	t.Run("NoCopy", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) storetest.Stores {
			db := MustOpenDB(tb)
			ingest := postgres.NewIngestService(db, storetest.NewKeyer())
			ingest.DisableCopy()
			return storetest.Stores{People: postgres.NewPersonService(db), Companies: postgres.NewCompanyService(db), Ingest: ingest}
		})
	})
}

// Ensure migrations apply on a fresh schema, are not applied again on
// reopen, and that SchemaCurrent tells an old schema from a current one.
func TestDB_Migrate(t *testing.T) {
	ctx := context.Background()
	u := MustSchemaURL(t)

	db := postgres.NewDB(u)
	if err := db.Open(ctx, true); err == nil {
		t.Fatal("Open with noMigrate on an empty schema: want an error")
	}
	db.Close()

	db = postgres.NewDB(u)
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
		t.Fatalf("SchemaCurrent after Open = %v, %v; want true", ok, err)
	}
	var applied int
	if err := db.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewIngestService(db, storetest.NewKeyer()).Ingest(ctx, []enrichd.IngestRecord{{Person: storetest.NewPerson(1)}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2 := postgres.NewDB(u)
	if err := db2.Open(ctx, true); err != nil {
		t.Fatalf("reopen with noMigrate: %v", err)
	}
	defer db2.Close()
	if err := db2.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	var again int
	if err := db2.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&again); err != nil {
		t.Fatal(err)
	}
	if again != applied {
		t.Fatalf("migrations %d → %d after reopen", applied, again)
	}
	if n, err := postgres.NewPersonService(db2).CountPeople(ctx); err != nil || n != 1 {
		t.Fatalf("CountPeople after reopen = %d, %v", n, err)
	}
	if _, err := db2.Pool().Exec(ctx, `DELETE FROM migrations WHERE name = (SELECT MAX(name) FROM migrations)`); err != nil {
		t.Fatal(err)
	}
	if ok, err := db2.SchemaCurrent(ctx); err != nil || ok {
		t.Fatalf("SchemaCurrent with a migration missing = %v, %v; want false", ok, err)
	}
}

// Ensure text PostgreSQL cannot store (a NUL character) is refused as
// EINVALID, so that the importer rejects the record instead of stopping.
func TestIngest_NUL(t *testing.T) {
	db := MustOpenDB(t)
	p := storetest.NewPerson(1)
	p.Headline = "bad\x00text"
	_, err := postgres.NewIngestService(db, storetest.NewKeyer()).Ingest(context.Background(), []enrichd.IngestRecord{{Person: p}})
	if enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("err=%v, want EINVALID", err)
	}
}

// Ensure a bulk load drops the secondary indexes of people, that EndBulk
// re-creates them, and that an interrupted one is finished by the next Open.
func TestIngestService_Bulk(t *testing.T) {
	ctx := context.Background()
	u := MustSchemaURL(t)
	db := postgres.NewDB(u)
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	indexes := func(db *postgres.DB) int {
		var n int
		if err := db.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'people' AND indexdef NOT LIKE 'CREATE UNIQUE%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := indexes(db)
	ing := postgres.NewIngestService(db, storetest.NewKeyer())
	for i := 0; i < 2; i++ {
		if err := ing.BeginBulk(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := indexes(db); n != 0 || before < 2 {
		t.Fatalf("indexes before=%d during=%d", before, n)
	}
	if _, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: storetest.NewPerson(1)}}); err != nil {
		t.Fatal(err)
	}
	if err := ing.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if n := indexes(db); n != before {
		t.Fatalf("%d indexes after EndBulk, want %d", n, before)
	}
	if err := ing.BeginBulk(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2 := postgres.NewDB(u)
	if err := db2.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if n := indexes(db2); n != before {
		t.Fatalf("%d indexes after reopening an interrupted bulk load, want %d", n, before)
	}
}
