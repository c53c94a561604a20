package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	importbench "github.com/enrichd/enrichd/bench/import"
	"github.com/jackc/pgx/v5"
)

// TestE2E_ImportKillResumePostgres ensures that on PostgreSQL too a kill -9
// in the middle of an import (bulk or not), then the same import again,
// leaves a complete store with no duplicates and every index in place.
func TestE2E_ImportKillResumePostgres(t *testing.T) {
	for _, bulk := range []string{"off", "on"} {
		t.Run("bulk="+bulk, func(t *testing.T) { testImportKillResumePostgres(t, bulk) })
	}
}

func testImportKillResumePostgres(t *testing.T, bulk string) {
	bin := binary(t)
	dsn := importSchemaURL(t)
	ctx := context.Background()
	dir := t.TempDir()
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
	if out, err := exec.Command(bin, "migrate", "--db", dsn).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	indexes := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	wantIndexes := indexes()
	count := func(q string) int {
		var n int
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	cmd := exec.Command(bin, "import", "--db", dsn, "--bulk", bulk, "--batch", "500", path)
	cmd.Dir, cmd.Env = dir, cleanEnv()
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a few batches are committed, while the import is under way.
	deadline := time.Now().Add(2 * time.Minute)
	committed := 0
	for committed < 500 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress: %d people after 2 minutes; stderr: %s", committed, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		committed = count(`SELECT count(*) FROM people`)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	committed = count(`SELECT count(*) FROM people`)
	if committed >= rows {
		t.Fatalf("the import finished (%d people) before it was killed: make the file larger", committed)
	}
	t.Logf("killed with %d of %d people committed, %d of %d indexes", committed, rows, indexes(), wantIndexes)

	// The same import again completes the store.
	out, errOut, code := runBin(t, dir, nil, "import", "--db", dsn, "--bulk", bulk, "--batch", "500", path)
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
	if got, pending := indexes(), count(`SELECT count(*) FROM bulk_indexes`); got != wantIndexes || pending != 0 {
		t.Fatalf("indexes=%d, pending in bulk_indexes=%d; want %d, 0", got, pending, wantIndexes)
	}
	// And once more: nothing changes.
	out, _, code = runBin(t, dir, nil, "import", "--db", dsn, "--bulk", bulk, path)
	if code != 0 || !strings.Contains(out, "new 0, merged 0, unchanged 20000") {
		t.Fatalf("third run: exit %d: %s", code, out)
	}
}
