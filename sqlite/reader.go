package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// readers is a small pool of connections reserved for the short read
// statements of matching, each with its statements prepared on the driver
// connection itself.
//
// NOTE: a hot identifier match is one indexed statement of ~10 µs in SQLite;
// going through database/sql (connection and statement locks, per-statement
// connection look-up, driver.NamedValue conversion, Rows wrapping, Scan's
// conversions and copies) added ~4-6 µs to it. Each connection stays a plain
// autocommit connection: every statement is its own read transaction, so it
// sees every write committed before it started, as before, except that the
// connections share one page cache with the charge connection (DB.hot, see
// sharedCacheDSN), and so one read transaction while their statements
// overlap: a write committed outside that cache meanwhile shows from the next
// charge on, or once the statements stop overlapping (DB.hotBegin). Each keeps at most
// a few hundred prepared statements (one per query text: per table and number
// of keys or ids).
type readers struct {
	db   *sql.DB
	max  int
	idle chan *readConn

	mu     sync.Mutex
	open   int
	closed bool

	// gate is read-held from get to put, for the life of one statement, and
	// held exclusively by exclusive: see DB.hotBegin. A row callback must not
	// read through the readers again (none does), or it could wait forever.
	gate sync.RWMutex
}

// exclusive runs f while no reserved connection runs a statement.
func (r *readers) exclusive(f func() error) error {
	r.gate.Lock()
	defer r.gate.Unlock()
	return f()
}

// readConn is one reserved connection and its prepared statements.
type readConn struct {
	conn  *sql.Conn
	stmts map[string]*sqlite3.SQLiteStmt // used only inside conn.Raw
}

func newReaders(db *sql.DB) *readers {
	n := min(max(2*runtime.GOMAXPROCS(0), 2), 8)
	return &readers{db: db, max: n, idle: make(chan *readConn, n)}
}

// get returns an idle reserved connection, opening one while fewer than max
// are open, else waiting for one.
func (r *readers) get(ctx context.Context) (rc *readConn, err error) {
	r.gate.RLock()
	defer func() {
		if err != nil {
			r.gate.RUnlock()
		}
	}()
	select {
	case rc := <-r.idle:
		return rc, nil
	default:
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, errors.New("sqlite: store closed")
	}
	if r.open < r.max {
		r.open++
		r.mu.Unlock()
		conn, err := r.db.Conn(ctx)
		if err != nil {
			r.mu.Lock()
			r.open--
			r.mu.Unlock()
			return nil, err
		}
		return &readConn{conn: conn, stmts: map[string]*sqlite3.SQLiteStmt{}}, nil
	}
	r.mu.Unlock()
	select {
	case rc := <-r.idle:
		return rc, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// put returns rc to the pool, or closes it when it failed (its state is
// then unknown) or the pool is closed.
func (r *readers) put(rc *readConn, failed bool) {
	defer r.gate.RUnlock()
	r.mu.Lock()
	closed := r.closed
	if failed || closed {
		r.open--
	}
	r.mu.Unlock()
	if failed || closed {
		rc.close()
		return
	}
	r.idle <- rc // never blocks: at most max are open
}

func (rc *readConn) close() {
	rc.conn.Raw(func(any) error {
		for _, st := range rc.stmts {
			st.Close()
		}
		return nil
	})
	rc.conn.Close()
}

// Close closes the idle connections; busy ones close when they are put back.
func (r *readers) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	for {
		select {
		case rc := <-r.idle:
			r.mu.Lock()
			r.open--
			r.mu.Unlock()
			rc.close()
		default:
			return
		}
	}
}

// query runs query with args on a reserved connection and calls row with
// each result row. TEXT columns are strings and integers int64, as through
// database/sql with *any destinations; row must not keep the slice.
func (r *readers) query(ctx context.Context, query string, args []driver.Value, row func([]driver.Value) error) error {
	rc, err := r.get(ctx)
	if err != nil {
		return err
	}
	var rowErr error // from row: the connection is fine
	err = rc.conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("sqlite: driver connection is %T", dc)
		}
		st := rc.stmts[query]
		if st == nil {
			s, err := c.Prepare(query)
			if err != nil {
				return err
			}
			st = s.(*sqlite3.SQLiteStmt)
			rc.stmts[query] = st
		}
		rows, err := st.Query(args)
		if err != nil {
			return err
		}
		dest := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(dest); err == io.EOF {
				break
			} else if err != nil {
				rows.Close()
				return err
			}
			if rowErr = row(dest); rowErr != nil {
				break
			}
		}
		return rows.Close()
	})
	r.put(rc, err != nil)
	if err != nil {
		return err
	}
	return rowErr
}

// readRows runs one short read statement (see readers) and calls row with
// each result row. An in-memory store has a single connection, which cannot
// be reserved, so it goes through database/sql with the same value types.
func (db *DB) readRows(ctx context.Context, query string, args []driver.Value, row func([]driver.Value) error) error {
	if db.readers != nil {
		return FormatError(db.readers.query(ctx, query, args, row))
	}
	ctx = pointRead(ctx)
	st, err := db.stmt(ctx, query)
	if err != nil {
		return FormatError(err)
	}
	anyArgs := make([]any, len(args))
	for i, a := range args {
		anyArgs[i] = a
	}
	rows, err := st.QueryContext(ctx, anyArgs...)
	if err != nil {
		return FormatError(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	dest := make([]driver.Value, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			dest[i] = v
		}
		if err := row(dest); err != nil {
			return err
		}
	}
	return FormatError(rows.Err())
}
