package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// importReport is the import comparison: bench/import/run.sh's SQLite table
// (owned by the import engineer, called as is) and the PostgreSQL pair.
type importReport struct {
	Rows     int
	SQLiteMD string // run.sh's Markdown
	PG       *pgImport
	PGNote   string // why the PostgreSQL pair is missing
}

// pgImport is `enrichd import` into PostgreSQL against COPY of the same file.
type pgImport struct {
	EnrichdSecs, EnrichdCPU float64 // wall and CPU (user+system) of the enrichd process
	CopySecs                float64
	EnrichdMB, CopyMB       float64 // on-disk size of the schema's tables and indexes
	PGVersion               string
}

func (e *env) runImport(ctx context.Context, rows int, pgURL string) (*importReport, error) {
	rep := &importReport{Rows: rows}
	e.Logf("import: bench/import/run.sh %d (enrichd import vs sqlite3 .import)", rows)
	cmd := exec.CommandContext(ctx, filepath.Join(e.Root, "bench/import/run.sh"), fmt.Sprint(rows))
	cmd.Dir = e.Root
	cmd.Env = append(os.Environ(), "BENCH_DIR=") // its own temporary directory, removed at its end
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("bench/import/run.sh: %w", err)
	}
	rep.SQLiteMD = strings.TrimSpace(string(out))

	if pgURL == "" {
		rep.PGNote = "skipped: no PostgreSQL URL (--postgres)"
		return rep, nil
	}
	csvFile, _, err := e.csvPath(rows)
	if err != nil {
		return nil, err
	}
	if rep.PG, err = e.pgImport(ctx, pgURL, csvFile); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return rep, nil
}

// pgSchema creates a throw-away schema and returns a URL whose search_path
// is that schema (then public, where pg_trgm lives), and a drop function.
func pgSchema(ctx context.Context, base, prefix string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("connect %s: %w", redact(base), err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("%s_%d", prefix, rand.Uint32())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	drop := func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	}
	return u.String(), drop, nil
}

// pgPing checks that PostgreSQL answers at url and has pg_trgm available.
func pgPing(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect %s: %w", redact(url), err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'").Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("the pg_trgm extension is not available (Debian: postgresql-contrib)")
	}
	return nil
}

// redact hides a URL's password.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// schemaMB is the on-disk size of the tables (with indexes and TOAST) of the
// first schema on conn's search_path.
func schemaMB(ctx context.Context, conn *pgx.Conn) (float64, error) {
	var b int64
	err := conn.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&b)
	return float64(b) / (1 << 20), err
}

func (e *env) pgImport(ctx context.Context, base, csvFile string) (*pgImport, error) {
	res := &pgImport{}
	// enrichd: the real CLI into a fresh, migrated schema.
	u, drop, err := pgSchema(ctx, base, "bench_import")
	if err != nil {
		return nil, err
	}
	defer drop()
	if out, err := exec.CommandContext(ctx, e.Binary, "migrate", "--db", u).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("enrichd migrate: %w: %s", err, tail(out, 1000))
	}
	e.Logf("import: enrichd import into PostgreSQL")
	start := time.Now()
	cmd := exec.CommandContext(ctx, e.Binary, "import", "--db", u, "--rejects", filepath.Join(e.Work, "pg-rejects.csv"), csvFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("enrichd import: %w: %s", err, tail(out, 2000))
	}
	res.EnrichdSecs = time.Since(start).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.EnrichdCPU = tvSecs(ru.Utime) + tvSecs(ru.Stime)
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if res.EnrichdMB, err = schemaMB(ctx, conn); err != nil {
		return nil, err
	}
	conn.QueryRow(ctx, "SHOW server_version").Scan(&res.PGVersion)

	// Baseline: COPY of the raw file into one table with the same unique
	// indexes as the sqlite3 baseline (LinkedIn URL and email), as a user
	// would do by hand.
	u2, drop2, err := pgSchema(ctx, base, "bench_copy")
	if err != nil {
		return nil, err
	}
	defer drop2()
	c2, err := pgx.Connect(ctx, u2)
	if err != nil {
		return nil, err
	}
	defer c2.Close(ctx)
	if _, err := c2.Exec(ctx, `CREATE TABLE people (first_name TEXT, last_name TEXT, email TEXT, linkedin_url TEXT, title TEXT,
		seniority TEXT, company TEXT, website TEXT, company_linkedin_url TEXT, industry TEXT,
		employees TEXT, city TEXT, country TEXT, phone TEXT, skills TEXT);
		CREATE UNIQUE INDEX people_linkedin ON people (linkedin_url);
		CREATE UNIQUE INDEX people_email ON people (email)`); err != nil {
		return nil, err
	}
	f, err := os.Open(csvFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e.Logf("import: COPY into PostgreSQL")
	start = time.Now()
	if _, err := c2.PgConn().CopyFrom(ctx, f, "COPY people FROM STDIN WITH (FORMAT csv, HEADER true)"); err != nil {
		return nil, fmt.Errorf("COPY: %w", err)
	}
	res.CopySecs = time.Since(start).Seconds()
	if res.CopyMB, err = schemaMB(ctx, c2); err != nil {
		return nil, err
	}
	return res, nil
}

func tvSecs(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }
