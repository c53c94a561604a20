package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

func TestPersonService_SearchPeople(t *testing.T) {
	storetest.RunSearch(t, func(tb testing.TB) storetest.SearchStores {
		tb.Helper()
		db := sqlite.NewDB(filepath.Join(tb.TempDir(), "search.db"))
		if err := db.Open(context.Background(), false); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return storetest.SearchStores{
			Ingest: sqlite.NewIngestService(db, match.NewKeyer()),
			People: sqlite.NewPersonService(db),
		}
	})
}
