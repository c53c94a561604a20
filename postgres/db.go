// Package postgres implements the enrichd services on PostgreSQL, for
// deployments with several stateless enrichd nodes over one database.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is a PostgreSQL store.
type DB struct {
	pool *pgxpool.Pool
	URL  string // postgres://...
}

// NewDB returns a DB for url; call Open before use.
func NewDB(url string) *DB { return &DB{URL: url} }

// Open connects and, unless noMigrate, applies pending migrations.
func (db *DB) Open(ctx context.Context, noMigrate bool) (err error) {
	cfg, err := pgxpool.ParseConfig(db.URL)
	if err != nil {
		return fmt.Errorf("parse postgres url: %w", err)
	}
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return fmt.Errorf("connect postgres: %w", err)
	}
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("connect postgres: %w", err)
	}
	if noMigrate {
		current, err := db.SchemaCurrent(ctx)
		if err != nil {
			return err
		} else if !current {
			return fmt.Errorf("schema is not current: run `enrichd migrate`")
		}
		return nil
	}
	return db.Migrate(ctx)
}

// Close closes the pool.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
	}
	return nil
}

// Pool returns the connection pool, for the services of this package and tests.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping reports whether the store answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// migrationLock serialises migrations of concurrently starting nodes.
const migrationLock = 7301_2026

// Migrate applies each embedded migration not yet recorded, in name order, one
// transaction each, under an advisory lock so that nodes starting together
// do not race.
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := migrateFile(ctx, conn.Conn(), name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// A bulk load that never reached EndBulk left indexes to re-create.
	return db.finishBulk(ctx)
}

func migrateFile(ctx context.Context, conn *pgx.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// SchemaCurrent reports whether every embedded migration has been applied.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	names, err := migrationNames()
	if err != nil {
		return false, err
	}
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return false, err
	} else if !exists {
		return false, nil
	}
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
		return false, err
	}
	return n >= len(names), nil
}
