// Package sqlite implements the enrichd services on an embedded SQLite file.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // NOTE: cgo driver: fastest point look-ups and bulk inserts here (docs/DECISIONS.md)
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open SQLite store.
type DB struct {
	db  *sql.DB
	DSN string // file path, or ":memory:"

	// stmts caches prepared read statements by query text: preparing costs
	// as much as a point look-up itself.
	stmts sync.Map // string → *sql.Stmt

	readers *readers // reserved connections for match reads; nil in memory

	// hot holds the connections of the request path, match readers and the
	// charge connection, which share one page cache (see sharedCacheDSN);
	// nil in memory.
	hot *sql.DB

	privateCache bool // set before Open (tests): the request path on the pool, without a shared cache

	keyCaches     []*keyCache   // company and person docs by key, each at its generation
	keyCacheLease time.Duration // how long a generation read is trusted (KeyCacheLease)
	docsSQL       docsSQLCache  // statements of findDocsByKeysCached by shape
}

// stmt returns the prepared statement of query, preparing it on first use.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// NewDB returns a DB for the SQLite file at dsn; call Open before use.
func NewDB(dsn string) *DB {
	return &DB{DSN: dsn, keyCaches: newKeyCaches(), keyCacheLease: KeyCacheLease}
}

// KeyCacheLease is how long a generation read by a look-up is trusted for
// the look-ups after it in this process, which then skip the statement.
//
// NOTE: writes by this process end every lease at once (keyCachesWritten);
// a write by another process on the file is seen at most this much later.
// Each statement, however small, is a read transaction (~8-15 µs with its
// locks); a name match needed three only to read generations, about a
// third of its server CPU through HTTP in a profile.
const KeyCacheLease = 2 * time.Millisecond

// keyCachesWritten ends the key caches' leases: called after every write
// of this process to people, companies or their keys.
func (db *DB) keyCachesWritten() {
	now := time.Now()
	for _, c := range db.keyCaches {
		c.written(now)
	}
}

// Open opens the file and, unless noMigrate, applies pending migrations.
func (db *DB) Open(ctx context.Context, noMigrate bool) (err error) {
	if db.DSN == "" {
		return fmt.Errorf("dsn required")
	}
	dsn := db.DSN
	// NOTE: an in-memory database is private to its connection, so tests using
	// ":memory:" get one connection; a file gets WAL and a pool.
	memory := dsn == ":memory:"
	if memory {
		dsn = "file::memory:"
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + "_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_cache_size=-65536"
	if err := enableQPSG(); err != nil {
		return err
	}
	db.db = sql.OpenDB(connector{dsn: dsn, drv: &sqlite3.SQLiteDriver{}})
	if memory {
		db.db.SetMaxOpenConns(1)
	} else {
		// NOTE: database/sql keeps 2 idle connections by default, so under
		// concurrent requests most queries opened a fresh SQLite connection
		// (open, PRAGMAs, schema parse, re-prepared statements) and closed it:
		// 20-30% of the server's CPU per request. More than 8 idle ones only
		// add resident memory; they close after a quiet spell.
		db.db.SetMaxIdleConns(8)
		db.db.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("open sqlite %s: %w", db.DSN, err)
	}
	if !memory && db.privateCache {
		db.readers = newReaders(db.db)
	} else if !memory {
		// NOTE: after the ping, so that the file is in WAL mode (persistent)
		// before any shared-cache connection opens.
		hot, err := sharedCacheDSN(db.DSN)
		if err != nil {
			return err
		}
		db.hot = sql.OpenDB(connector{dsn: hot, drv: &sqlite3.SQLiteDriver{}})
		db.readers = newReaders(db.hot)
		db.hot.SetMaxIdleConns(db.readers.max + 1)
		db.hot.SetConnMaxIdleTime(0)
	}
	if noMigrate {
		current, err := db.SchemaCurrent(ctx)
		if err != nil {
			return err
		} else if !current {
			return fmt.Errorf("schema of %s is not current: run `enrichd migrate`", db.DSN)
		}
		return nil
	}
	return db.Migrate(ctx)
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	if db.readers != nil {
		db.readers.Close()
	}
	db.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		db.stmts.Delete(k)
		return true
	})
	if db.hot != nil {
		db.hot.Close()
	}
	return db.db.Close()
}

// hotConn returns a connection of the shared page cache of the request path
// (see sharedCacheDSN), or of the pool in memory.
func (db *DB) hotConn(ctx context.Context) (*sql.Conn, error) {
	if db.hot != nil {
		return db.hot.Conn(ctx)
	}
	return db.db.Conn(ctx)
}

// hotBegin runs begin (BEGIN IMMEDIATE, prepared on a connection of the
// shared cache) and returns once the write transaction is open.
//
// NOTE: the connections of a shared cache share its read transaction: while
// any match read runs, the cache keeps the snapshot it started on. When a
// connection outside the cache (ingest, an admin change, another process)
// committed since, SQLite cannot start a write on that snapshot and fails
// BEGIN at once with SQLITE_BUSY (BUSY_SNAPSHOT), without the busy timeout,
// and so it does while another process holds the write lock. Then begin runs
// again with the match readers held off (readers.exclusive): with no read
// transaction in the cache, BEGIN starts on the newest snapshot and waits for
// the write lock as any connection does (match reads wait meanwhile; while
// another process holds the write lock every request waits for its charge
// anyway). The charge's commit then moves the
// cache's snapshot to the newest, so match reads see such writes at the
// latest one charge later; the cache of pages is kept either way.
// Two AccountServices on one DB share the cache's single writer: the second
// gets SQLITE_LOCKED, which the busy timeout does not cover, and retries.
func (db *DB) hotBegin(ctx context.Context, begin *sql.Stmt) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 50 * time.Microsecond; ; wait = min(2*wait, 5*time.Millisecond) {
		_, err := begin.ExecContext(ctx)
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || db.readers == nil {
			return err
		}
		switch se.Code {
		case sqlite3.ErrBusy:
			err = db.readers.exclusive(func() error {
				_, err := begin.ExecContext(ctx)
				return err
			})
			if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrLocked {
				return err
			}
		case sqlite3.ErrLocked:
		default:
			return err
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
	}
}

// SQL returns the underlying handle, for the services of this package and tests.
func (db *DB) SQL() *sql.DB { return db.db }

// Ping reports whether the store answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies each embedded migration not yet recorded, in name order, one
// transaction each.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// A bulk load that never reached EndBulk left indexes to re-create.
	return db.finishBulk(ctx)
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaCurrent reports whether every embedded migration has been applied.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	names, err := migrationNames()
	if err != nil {
		return false, err
	}
	var n int
	err = db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return false, nil
		}
		return false, err
	}
	return n >= len(names), nil
}

// sharedCacheDSN returns the DSN of the request path's connections (match
// readers, the charge connection) to the file of dsn: the same settings, in
// SQLite's shared-cache mode.
//
// NOTE: in WAL mode, a commit by one connection makes every other connection
// of the file discard its whole page cache at its next read transaction
// (pager_reset when the WAL changed). With a charge committed per request,
// every match read re-read its b-tree pages from the OS (pread, page-cache
// allocations): a match plus a charge on one file cost 180-234 µs of CPU
// against ~70 µs with the charge in another file. Connections in one shared
// cache use one pager: a commit by one of them updates the pages everyone
// reads instead of invalidating them, and the store stays one file.
// Shared-cache mode locks tables, not the file, within the cache: the charge
// connection is its only writer and writes only api_keys and credit_ledger,
// which no match reads, so readers never meet SQLITE_LOCKED; every other
// write (ingest, idempotency, admin) goes through the private pool. See
// hotBegin for what a commit by a private connection means for the cache.
func sharedCacheDSN(dsn string) (string, error) {
	path, params, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if !strings.HasPrefix(dsn, "file:") {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", fmt.Errorf("sqlite %s: %w", dsn, err)
		}
		path = (&url.URL{Path: abs}).EscapedPath()
	}
	if params != "" {
		params += "&"
	}
	// No _journal_mode: the file is already in WAL mode, and setting it
	// needs a lock a busy shared cache may not grant at once.
	return "file:" + path + "?" + params + "cache=shared&_synchronous=NORMAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_cache_size=-65536", nil
}

// connector opens connections with the DSN's settings without registering a
// driver name globally.
// NOTE: no PRAGMA mmap_size. Every commit (a charge per request) makes each
// reading connection drop its view of the file on its next read; with the file
// mapped, that cost page faults and kernel time on every request: a served
// look-up used ~1.6-2x the CPU with mmap on (docs/DECISIONS.md).
type connector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }
