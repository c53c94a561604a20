package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/sqlite"
)

// stores is the opened store of either backend, as root interfaces. The
// choice of backend lives only here.
type stores struct {
	Backend   string // "sqlite" or "postgres"
	People    enrichd.PersonService
	Companies enrichd.CompanyService
	Ingest    enrichd.IngestService
	Accounts  enrichd.AccountService
	Keyer     *match.Keyer

	// Ping reports whether the store answers.
	Ping func(ctx context.Context) error
	// SchemaCurrent reports whether every migration has been applied.
	SchemaCurrent func(ctx context.Context) (bool, error)
	// Close releases the store.
	Close func() error
}

// openStores opens the store at dsn: a postgres:// (or postgresql://) URL
// selects PostgreSQL, anything else is a SQLite file path. With migrate it
// applies pending migrations; without, it refuses an out-of-date schema.
func openStores(ctx context.Context, dsn string, migrate bool) (*stores, error) {
	keyer := match.NewKeyer()
	if isPostgres(dsn) {
		db := postgres.NewDB(dsn)
		if err := db.Open(ctx, !migrate); err != nil {
			return nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
		}
		return &stores{
			Backend:       "postgres",
			People:        postgres.NewPersonService(db),
			Companies:     postgres.NewCompanyService(db),
			Ingest:        postgres.NewIngestService(db, keyer),
			Accounts:      postgres.NewAccountService(db),
			Keyer:         keyer,
			Ping:          db.Ping,
			SchemaCurrent: db.SchemaCurrent,
			Close:         db.Close,
		}, nil
	}

	if err := checkSQLitePath(dsn); err != nil {
		return nil, err
	}
	db := sqlite.NewDB(dsn)
	if err := db.Open(ctx, !migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	return &stores{
		Backend:       "sqlite",
		People:        sqlite.NewPersonService(db),
		Companies:     sqlite.NewCompanyService(db),
		Ingest:        sqlite.NewIngestService(db, keyer),
		Accounts:      sqlite.NewAccountService(db),
		Keyer:         keyer,
		Ping:          db.Ping,
		SchemaCurrent: db.SchemaCurrent,
		Close:         db.Close,
	}, nil
}

// checkSQLitePath turns the driver's terse "unable to open database file"
// into a message that names the problem.
func checkSQLitePath(path string) error {
	if path == ":memory:" || len(path) > 5 && path[:5] == "file:" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--db %s is a directory; give a file path such as %s", path, filepath.Join(path, "enrichd.db"))
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("--db %s: directory %s does not exist", path, dir)
	} else if !fi.IsDir() {
		return fmt.Errorf("--db %s: %s is not a directory", path, dir)
	}
	return nil
}

// ready backs /readyz: the store answers and its schema is current.
func (s *stores) ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return errors.Join(enrichd.Errorf(enrichd.EUNAVAILABLE, "store unreachable"), err)
	}
	ok, err := s.SchemaCurrent(ctx)
	if err != nil {
		return errors.Join(enrichd.Errorf(enrichd.EUNAVAILABLE, "store unreachable"), err)
	} else if !ok {
		return enrichd.Errorf(enrichd.EUNAVAILABLE, "schema is not current: run `enrichd migrate`")
	}
	return nil
}
