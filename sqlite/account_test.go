package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

// mustOpenAccountDB opens a migrated SQLite file (not :memory:, so that
// concurrency runs through a real connection pool and WAL).
func mustOpenAccountDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "accounts.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestAccountService(t *testing.T) {
	storetest.RunAccounts(t, func(tb testing.TB) enrichd.AccountService {
		return sqlite.NewAccountService(mustOpenAccountDB(tb))
	})
}

// Ensure the secret itself is nowhere in the database file, only its hash.
func TestAccountService_SecretNotStored(t *testing.T) {
	db := mustOpenAccountDB(t)
	s := sqlite.NewAccountService(db)
	_, secret := storetest.MustCreateAPIKey(t, s, "a", 1)
	rows, err := db.SQL().Query(`SELECT id, name, prefix, secret_hash, plan FROM api_keys`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, prefix, plan string
		var hash []byte
		if err := rows.Scan(&id, &name, &prefix, &hash, &plan); err != nil {
			t.Fatal(err)
		}
		for _, v := range [][]byte{[]byte(id), []byte(name), []byte(prefix), hash, []byte(plan)} {
			if bytes.Contains(v, []byte(secret)) {
				t.Fatal("secret stored in clear")
			}
		}
		if !bytes.Equal(hash, enrichd.HashAPIKeySecret(secret)) {
			t.Fatal("stored hash differs")
		}
	}
}

// Ensure the suite also passes on ":memory:", whose pool has one connection
// (a statement prepared inside a transaction would deadlock there).
func TestAccountService_Memory(t *testing.T) {
	storetest.RunAccounts(t, func(tb testing.TB) enrichd.AccountService {
		db := sqlite.NewDB(":memory:")
		if err := db.Open(context.Background(), false); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return sqlite.NewAccountService(db)
	})
}
