package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	importbench "github.com/enrichd/enrichd/bench/import"
	"github.com/enrichd/enrichd/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// importCmd runs `enrichd import` in-process with dir as the working directory
// for relative paths.
func importCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = runImportFrom(context.Background(), args, envOf(nil), strings.NewReader(stdin), &o, &e)
	return o.String(), e.String(), err
}

func countPeople(t *testing.T, dsn string) int {
	t.Helper()
	st, err := openStores(context.Background(), dsn, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.People.CountPeople(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunImport_Usage(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "p.csv")
	os.WriteFile(csvPath, []byte("email\na@acme.com\n"), 0o644)
	db := filepath.Join(dir, "u.db")
	xlsx := filepath.Join(dir, "p.xlsx")
	os.WriteFile(xlsx, []byte("PK\x03\x04"), 0o644)
	for _, tt := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"NoFiles", []string{"--db", db}, true, "no input files"},
		{"BadFormat", []string{"--db", db, "--format", "xml", csvPath}, true, "--format"},
		{"BadMap", []string{"--db", db, "--map", "Email=mail", csvPath}, true, "unknown field"},
		{"BadBatch", []string{"--db", db, "--batch", "0", csvPath}, true, "--batch"},
		{"StdinTwice", []string{"--db", db, "-", "-"}, true, "only once"},
		{"RejectsIsInput", []string{"--db", db, "--rejects", csvPath, csvPath}, true, "input file"},
		{"Missing", []string{"--db", db, filepath.Join(dir, "nope.csv")}, false, "no such file"},
		{"UnknownExt", []string{"--db", db, xlsx}, false, "cannot tell the format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := importCmd(t, "", tt.args...)
			var ue usageError
			if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.usage != (errorsAs(err, &ue))) {
				t.Fatalf("err = %v, want usage=%v containing %q", err, tt.usage, tt.want)
			}
		})
	}
	t.Run("Help", func(t *testing.T) {
		_, stderr, err := importCmd(t, "", "--help")
		if err != errHelp || !strings.Contains(stderr, "--map") || !strings.Contains(stderr, "enrichd import") {
			t.Fatalf("err=%v stderr=%s", err, stderr)
		}
	})
}

func errorsAs(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	if ok {
		*ue = u
	}
	return ok
}

func TestRunImport_SQLite(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db := filepath.Join(dir, "s.db")
	people := filepath.Join(dir, "people.csv")
	body := "First Name,Last Name,Email,LinkedIn,Company,Website\n" +
		"Ann,Able,ann@acme.com,linkedin.com/in/ann-able,Acme,acme.com\n" +
		"Bob,Baker,not-an-email,,Acme,acme.com\n" +
		"Cy,Cole,cy@globex.com,,Globex,https://globex.com/\n"
	if err := os.WriteFile(people, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}

	// Ensure the first import creates, rejects the bad row into the default
	// rejects file, and prints the summary.
	out, _, err := importCmd(t, "", "--db", db, people)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "read 3, new 2, merged 0, unchanged 0, rejected 1") || !strings.Contains(out, "people.rejects.csv") {
		t.Fatalf("stdout = %q", out)
	}
	rows := readCSV(t, filepath.Join(dir, "people.rejects.csv"))
	if len(rows) != 2 || rows[1][1] != "3" || !strings.Contains(rows[1][2], "email") || rows[1][3] != "Bob,Baker,not-an-email,,Acme,acme.com" {
		t.Fatalf("rejects = %q", rows)
	}
	if n := countPeople(t, db); n != 2 {
		t.Fatalf("people = %d, want 2", n)
	}

	// Ensure the same import again changes nothing (flags after the file work too).
	out, _, err = importCmd(t, "", people, "--db", db, "--rejects", filepath.Join(dir, "r2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "new 0, merged 0, unchanged 2, rejected 1") {
		t.Fatalf("re-import stdout = %q", out)
	}

	// Ensure an updated export changes only the row that changed.
	updated := strings.Replace(body, "Cy,Cole,cy@globex.com,,Globex", "Cy,Cole-Smith,cy@globex.com,,Globex", 1)
	if err := os.WriteFile(people, []byte(updated), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(people, later, later)
	out, _, err = importCmd(t, "", "--db", db, "--rejects", filepath.Join(dir, "r3.csv"), people)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "read 3, new 0, merged 1, unchanged 1, rejected 1") {
		t.Fatalf("update stdout = %q", out)
	}

	// Ensure stdin JSONL with an update merges exactly one person.
	jsonl := `{"full_name":"Ann Able","title":"CTO","social":{"linkedin_url":"https://www.linkedin.com/in/ann-able/"},"updated_at":"2030-01-01T00:00:00Z"}` + "\n"
	out, _, err = importCmd(t, jsonl, "--db", db, "--format", "jsonl", "--source", "crm", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "read 1, new 0, merged 1, unchanged 0, rejected 0") {
		t.Fatalf("jsonl stdout = %q", out)
	}
	if n := countPeople(t, db); n != 2 {
		t.Fatalf("people = %d, want 2", n)
	}
}

// importSchemaURL returns a URL to a schema of tb's own (see pgtest.SchemaURL).
func importSchemaURL(tb testing.TB) string {
	tb.Helper()
	return pgtest.SchemaURL(tb, "test_import")
}

func TestRunImport_Postgres(t *testing.T) {
	// Ensure import, re-import and an update behave the same on PostgreSQL.
	dsn := importSchemaURL(t)
	dir := t.TempDir()
	people := filepath.Join(dir, "people.jsonl")
	body := `{"person":{"full_name":"Ann Able","social":{"linkedin_url":"linkedin.com/in/ann-able"}},"company":{"name":"Acme","domain":"acme.com"}}
{"company":{"name":"Globex","domain":"globex.com"}}
{"full_name":"Cy Cole","contact":{"business_emails":[{"address":"cy@globex.com"}]}}
`
	if err := os.WriteFile(people, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"read 3, new 3, merged 0, unchanged 0, rejected 0", "read 3, new 0, merged 0, unchanged 3, rejected 0"} {
		out, _, err := importCmd(t, "", "--db", dsn, people)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("run %d: err=%v stdout=%q, want %q", i+1, err, out, want)
		}
	}
	update := `{"full_name":"Cy Cole","title":"CEO","contact":{"business_emails":[{"address":"CY@globex.com"}]},"updated_at":"2031-01-01T00:00:00Z"}` + "\n"
	out, _, err := importCmd(t, update, "--db", dsn, "-")
	if err != nil || !strings.Contains(out, "read 1, new 0, merged 1") {
		t.Fatalf("update: err=%v stdout=%q", err, out)
	}
	if n := countPeople(t, dsn); n != 2 {
		t.Fatalf("people = %d, want 2", n)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestE2E_ImportKillResume ensures that a kill -9 in the middle of an import,
// then the same import again, leaves a complete store with no duplicates
// (issue 2). It runs the real binary on a generated file.
func TestE2E_ImportKillResume(t *testing.T) {
	for _, bulk := range []string{"off", "on"} {
		t.Run("bulk="+bulk, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "kill.db")
			testImportKillResume(t, dir, db, bulk, func() counter {
				sqldb, err := sql.Open("sqlite3", "file:"+db+"?mode=ro&_busy_timeout=5000")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { sqldb.Close() })
				return counter{
					count:   func(q string) (n int, err error) { return n, sqldb.QueryRow(q).Scan(&n) },
					indexes: `SELECT count(*) FROM sqlite_master WHERE type = 'index'`,
				}
			})
		})
	}
}

// TestE2E_ImportKillResumePostgres is TestE2E_ImportKillResume on
// PostgreSQL, bulk or not.
func TestE2E_ImportKillResumePostgres(t *testing.T) {
	for _, bulk := range []string{"off", "on"} {
		t.Run("bulk="+bulk, func(t *testing.T) {
			dsn := importSchemaURL(t)
			testImportKillResume(t, t.TempDir(), dsn, bulk, func() counter {
				ctx := context.Background()
				conn, err := pgx.Connect(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { conn.Close(ctx) })
				return counter{
					count:   func(q string) (n int, err error) { return n, conn.QueryRow(ctx, q).Scan(&n) },
					indexes: `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()`,
				}
			})
		})
	}
}

// counter runs counting queries on the store under test while the importer
// runs; indexes counts the store's indexes.
type counter struct {
	count   func(q string) (int, error)
	indexes string
}

// testImportKillResume kills `enrichd import --db db` once 500 people are
// committed, runs the same import again and checks the store: every person
// once, each LinkedIn key on one person, the people counter right, every
// index dropped by a bulk load back; a third run changes nothing. open
// connects to the migrated store.
func testImportKillResume(t *testing.T, dir, db, bulk string, open func() counter) {
	bin := binary(t)
	const rows = 20_000
	path := filepath.Join(dir, "people.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := importbench.Generate(f, rows, 7); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command(bin, "migrate", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	c := open()
	count := func(q string) int {
		n, err := c.count(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	wantIndexes := count(c.indexes)

	cmd := exec.Command(bin, "import", "--db", db, "--bulk", bulk, "--batch", "500", path)
	cmd.Dir, cmd.Env = dir, cleanEnv()
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a few batches are committed, while the import is under way.
	// NOTE: a read may fail while the importer holds the store; poll again.
	deadline := time.Now().Add(2 * time.Minute)
	committed := 0
	for committed < 500 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress: %d people after 2 minutes; stderr: %s", committed, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		if n, err := c.count(`SELECT count(*) FROM people`); err == nil {
			committed = n
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	committed = count(`SELECT count(*) FROM people`)
	if committed >= rows {
		t.Fatalf("the import finished (%d people) before it was killed: make the file larger", committed)
	}
	t.Logf("killed with %d of %d people committed, %d of %d indexes", committed, rows, count(c.indexes), wantIndexes)

	// The same import again completes the store.
	out, errOut, code := runBin(t, dir, nil, "import", "--db", db, "--bulk", bulk, "--batch", "500", path)
	if code != 0 {
		t.Fatalf("re-run: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "rejected 0") {
		t.Fatalf("re-run summary: %s", out)
	}
	people := count(`SELECT count(*) FROM people`)
	counted := count(`SELECT n FROM counters WHERE name = 'people'`)
	keys := count(`SELECT count(*) FROM person_keys WHERE key LIKE 'li:%'`)
	dupKeys := count(`SELECT count(*) FROM (SELECT key FROM person_keys WHERE key LIKE 'li:%' OR key LIKE 'em:%'
		GROUP BY key HAVING count(DISTINCT person_id) > 1) d`)
	dupIDs := count(`SELECT count(*) FROM (SELECT person_id FROM person_keys WHERE key LIKE 'li:%'
		GROUP BY person_id HAVING count(*) > 1) d`)
	if people != rows || counted != rows || keys != rows || dupKeys != 0 || dupIDs != 0 {
		t.Fatalf("people=%d counter=%d li-keys=%d shared keys=%d people with 2 li keys=%d, want %d, %d, %d, 0, 0",
			people, counted, keys, dupKeys, dupIDs, rows, rows, rows)
	}
	if got, pending := count(c.indexes), count(`SELECT count(*) FROM bulk_indexes`); got != wantIndexes || pending != 0 {
		t.Fatalf("indexes=%d, pending in bulk_indexes=%d; want %d, 0", got, pending, wantIndexes)
	}
	// And once more: nothing changes.
	out, _, code = runBin(t, dir, nil, "import", "--db", db, "--bulk", bulk, path)
	if code != 0 || !strings.Contains(out, "new 0, merged 0, unchanged 20000") {
		t.Fatalf("third run: exit %d: %s", code, out)
	}
}
