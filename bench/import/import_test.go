package importbench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/importer"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
)

// benchRows is the file size of the benchmarks: ENRICHD_BENCH_ROWS, default
// 50,000 (run.sh uses 1,000,000 through the real binary).
func benchRows(tb testing.TB) int {
	if s := os.Getenv("ENRICHD_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			tb.Fatalf("ENRICHD_BENCH_ROWS=%q: want a positive number", s)
		}
		return n
	}
	return 50_000
}

// mustGenerate writes a generated CSV of rows people into dir.
func mustGenerate(tb testing.TB, dir string, rows int) string {
	tb.Helper()
	path := filepath.Join(dir, "people.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := Generate(f, rows, 1); err != nil {
		tb.Fatal(err)
	}
	return path
}

func importFile(tb testing.TB, ing enrichd.IngestService, path string) importer.Summary {
	tb.Helper()
	return importFileWith(tb, ing, path, importer.Config{})
}

// importFileWith imports path with cfg (its Rejects discarded).
func importFileWith(tb testing.TB, ing enrichd.IngestService, path string, cfg importer.Config) importer.Summary {
	tb.Helper()
	cfg.Rejects = importer.NewRejects(nopWriter{})
	im, err := importer.New(ing, match.NewKeyer(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	in, f, err := importer.OpenFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sum, err := im.Import(context.Background(), []*importer.Input{in})
	if err != nil {
		tb.Fatal(err)
	}
	return sum
}

// cpuTime is the process's user+system CPU time: on a shared machine, wall
// time depends on the neighbours and CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report adds rows/s and CPU µs per row.
func report(b *testing.B, rows int, cpu0 time.Duration) {
	n := float64(rows * b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/n, "cpu-µs/row")
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// discard is an IngestService that stores nothing: it isolates the cost of
// reading, parsing and normalising.
type discard struct{}

func (discard) Ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	out := make([]enrichd.IngestResult, len(batch))
	for i := range out {
		out[i].PersonOutcome = enrichd.OutcomeNew
	}
	return out, nil
}

// TestGenerate_AllAccepted ensures every generated row imports: a benchmark
// whose rows are rejected measures nothing.
func TestGenerate_AllAccepted(t *testing.T) {
	path := mustGenerate(t, t.TempDir(), 5000)
	sum := importFile(t, discard{}, path)
	if sum.Read != 5000 || sum.Rejected != 0 {
		t.Fatalf("summary %s", sum)
	}
}

// BenchmarkParse measures the importer alone (read, parse, normalise, key check).
func BenchmarkParse(b *testing.B) {
	rows := benchRows(b)
	path := mustGenerate(b, b.TempDir(), rows)
	cpu0 := cpuTime()
	for b.Loop() {
		importFile(b, discard{}, path)
	}
	report(b, rows, cpu0)
}

// BenchmarkImportSQLite measures a whole import into a fresh SQLite store,
// as `enrichd import` runs it (sub-benchmark bulk: a bulk load in batches of
// importer.DefaultBulkBatchSize, the --bulk auto choice for a fresh store) and
// without a bulk load (batch: DefaultBatchSize, as into a large store).
func BenchmarkImportSQLite(b *testing.B) {
	b.Run("bulk", func(b *testing.B) {
		benchImportSQLite(b, importer.Config{Bulk: true, BatchSize: importer.DefaultBulkBatchSize})
	})
	b.Run("batch", func(b *testing.B) { benchImportSQLite(b, importer.Config{}) })
}

func benchImportSQLite(b *testing.B, cfg importer.Config) {
	rows := benchRows(b)
	dir := b.TempDir()
	path := mustGenerate(b, dir, rows)
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		db := sqlite.NewDB(filepath.Join(dir, "bench"+strconv.Itoa(i)+".db"))
		if err := db.Open(context.Background(), false); err != nil {
			b.Fatal(err)
		}
		sum := importFileWith(b, sqlite.NewIngestService(db, match.NewKeyer()), path, cfg)
		if sum.New != rows {
			b.Fatalf("summary %s", sum)
		}
		db.Close()
	}
	report(b, rows, cpu0)
}
