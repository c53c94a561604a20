package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	importbench "github.com/enrichd/enrichd/bench/import"
)

// env is what every step needs: where the repository, the cache and the
// binary are, and how to log progress.
type env struct {
	Root   string // repository root
	Cache  string // generated files kept between runs
	Work   string // this run's scratch directory, removed at the end
	Binary string // the enrichd binary built from Root
	// ProfileDir, when set, receives a CPU profile (pprof) of the server for
	// each HTTP case at the highest connection count.
	ProfileDir string
	Logf       func(format string, args ...any)
	rate       float64 // see buildRate
}

// cacheDir is $ENRICHD_BENCH_CACHE, else <user cache dir>/enrichd-bench: the
// generated CSVs and stores are large and slow to build, so they are kept
// outside the repository and reused.
func cacheDir() (string, error) {
	if d := os.Getenv("ENRICHD_BENCH_CACHE"); d != "" {
		return d, os.MkdirAll(d, 0o755)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (set ENRICHD_BENCH_CACHE): %w", err)
	}
	d := filepath.Join(base, "enrichd-bench")
	return d, os.MkdirAll(d, 0o755)
}

// findRoot walks up from the working directory to enrichd's go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/enrichd/enrichd\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run from inside the enrichd repository (no go.mod of github.com/enrichd/enrichd above %s)", dir)
		}
		dir = parent
	}
}

// buildBinary builds cmd/enrichd into the scratch directory.
func (e *env) buildBinary(ctx context.Context) error {
	e.Binary = filepath.Join(e.Work, "enrichd")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", e.Binary, "./cmd/enrichd")
	cmd.Dir = e.Root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/enrichd: %w\n%s", err, out)
	}
	return nil
}

// storeInfo describes a cached store: how it was built and how long it took.
type storeInfo struct {
	People      int     `json:"people"`
	Companies   int     `json:"companies"` // importbench.Companies(People) when it was built
	CSV         string  `json:"csv"`
	DB          string  `json:"db"`
	GenSeconds  float64 `json:"gen_seconds"`    // writing the CSV
	LoadSeconds float64 `json:"import_seconds"` // `enrichd import` of it into a fresh SQLite store
	DiskMB      float64 `json:"disk_mb"`        // the SQLite file right after the import
	Built       string  `json:"built"`
	Cached      bool    `json:"-"` // true when this run reused it
}

// csvPath returns the cached people CSV of n rows, writing it if absent.
// The rows are importbench.Generate's with seed 1, the same file
// bench/import/run.sh and gencsv write.
func (e *env) csvPath(n int) (string, float64, error) {
	// The company count is in the name: a generator that shares employers
	// differently writes another file.
	path := filepath.Join(e.Cache, fmt.Sprintf("people-%d-c%d.csv", n, importbench.Companies(n)))
	if _, err := os.Stat(path); err == nil {
		return path, 0, nil
	}
	start := time.Now()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", 0, err
	}
	if err := importbench.Generate(f, n, 1); err != nil {
		f.Close()
		return "", 0, fmt.Errorf("generate %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", 0, err
	}
	return path, time.Since(start).Seconds(), os.Rename(tmp, path)
}

// store returns the cached SQLite store of n people, building it when absent
// through the real import path (`enrichd import`: importer → IngestService).
func (e *env) store(ctx context.Context, n int) (storeInfo, error) {
	if info, err := e.storeIfCached(n); err == nil {
		// A store from an older build may not open with this one (a schema
		// change without a migration): rebuild it rather than fail later.
		out, err := exec.CommandContext(ctx, e.Binary, "migrate", "--db", info.DB).CombinedOutput()
		if err == nil {
			return info, nil
		}
		e.Logf("the cached %d-person store does not open with this build (%s); rebuilding it", n, strings.TrimSpace(tail(out, 300)))
	}
	meta := filepath.Join(e.Cache, fmt.Sprintf("store-%d.json", n))
	var info storeInfo
	csvFile, genSecs, err := e.csvPath(n)
	if err != nil {
		return info, err
	}
	db := filepath.Join(e.Cache, fmt.Sprintf("people-%d.db", n))
	tmp := db + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", db, db + "-wal", db + "-shm"} {
		os.Remove(p)
	}
	e.Logf("building the %d-person store (enrichd import; cached for later runs)", n)
	start := time.Now()
	cmd := exec.CommandContext(ctx, e.Binary, "import", "--db", tmp, "--rejects", filepath.Join(e.Work, "rejects.csv"), csvFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		return info, fmt.Errorf("enrichd import %d people: %w\n%s", n, err, tail(out, 2000))
	}
	info = storeInfo{People: n, Companies: importbench.Companies(n), CSV: csvFile, DB: db, GenSeconds: genSecs, LoadSeconds: time.Since(start).Seconds(),
		Built: time.Now().UTC().Format(time.RFC3339)}
	// The store is closed cleanly, so its WAL is folded in: one file to move.
	for _, sfx := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(tmp + sfx); err == nil {
			if err := os.Rename(tmp+sfx, db+sfx); err != nil {
				return info, err
			}
		}
	}
	if err := os.Rename(tmp, db); err != nil {
		return info, err
	}
	info.DiskMB = fileMB(db, db+"-wal")
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(meta, b, 0o644); err != nil {
		return info, err
	}
	e.Logf("built %d people in %.1f s (%.0f rows/s)", n, info.LoadSeconds, float64(n)/info.LoadSeconds)
	return info, nil
}

// storeIfCached returns the cached store of n people, or an error when
// there is none.
func (e *env) storeIfCached(n int) (storeInfo, error) {
	var info storeInfo
	b, err := os.ReadFile(filepath.Join(e.Cache, fmt.Sprintf("store-%d.json", n)))
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, err
	}
	if want := importbench.Companies(n); info.Companies != want {
		return info, fmt.Errorf("the cached %d-person store has %d companies, the generator now makes %d", n, info.Companies, want)
	}
	if _, err := os.Stat(info.DB); err != nil {
		return info, err
	}
	if _, err := os.Stat(info.CSV); err != nil {
		return info, err
	}
	info.Cached = true
	return info, nil
}

// probeRows is the size of the import that measures the current import rate.
const probeRows = 20_000

// buildRate returns the rate (rows/s) at which a large store would build, the
// basis of every "does it fit in the time box" projection: a fresh import of
// probeRows in this run (the code may have changed since the cached stores
// were built), slowed down by how much the largest cached store's rate fell
// below its own probe-sized build (the cost per row grows with the store).
func (e *env) buildRate(ctx context.Context) float64 {
	if e.rate > 0 {
		return e.rate
	}
	csvFile, _, err := e.csvPath(probeRows)
	if err != nil {
		return 0
	}
	db := filepath.Join(e.Work, "probe.db")
	start := time.Now()
	out, err := exec.CommandContext(ctx, e.Binary, "import", "--db", db, "--rejects", filepath.Join(e.Work, "probe-rejects.csv"), csvFile).CombinedOutput()
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(p)
	}
	if err != nil {
		e.Logf("import rate probe failed: %v: %s", err, tail(out, 500))
		return 0
	}
	e.rate = probeRows / time.Since(start).Seconds()
	slowdown := 1.0
	small, errSmall := e.storeIfCached(probeRows)
	if sizes := e.cachedSizes(); errSmall == nil && small.LoadSeconds > 0 && len(sizes) > 0 && sizes[0] > probeRows {
		big, _ := e.storeIfCached(sizes[0])
		if big.LoadSeconds > 0 {
			slowdown = max(1, (float64(probeRows)/small.LoadSeconds)/(float64(big.People)/big.LoadSeconds))
		}
	}
	e.rate /= slowdown
	e.Logf("import rate probe: %d rows; projected rate for large stores %.0f rows/s (slowdown with size ×%.1f)", probeRows, e.rate, slowdown)
	return e.rate
}

// fits reports whether building n people at rate, times factor, ends
// before deadline; with no rate known it assumes it does.
func fits(n int, rate, factor float64, deadline time.Time) (bool, time.Duration) {
	if rate <= 0 {
		return true, 0
	}
	d := time.Duration(float64(n) / rate * factor * float64(time.Second))
	return time.Now().Add(d).Before(deadline), d
}

// cachedSizes lists the sizes of the cached stores, largest first.
func (e *env) cachedSizes() []int {
	metas, _ := filepath.Glob(filepath.Join(e.Cache, "store-*.json"))
	var sizes []int
	for _, m := range metas {
		var n int
		if _, err := fmt.Sscanf(filepath.Base(m), "store-%d.json", &n); err == nil {
			if _, err := e.storeIfCached(n); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	slices.Sort(sizes)
	slices.Reverse(sizes)
	return sizes
}

// warmFile reads a file once so that the OS page cache holds it, as it does
// for a server that has been running for a while; without it the first
// measurements after a build or a reboot read from disk.
func warmFile(paths ...string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// row is one sampled person of a generated CSV.
type row struct {
	First, Last, Email, LinkedIn, Company, Domain string
}

// sampleRows reads count rows spread evenly over a generated CSV. Generated
// fields never contain newlines, so a line is a record and only the sampled
// lines are parsed.
func sampleRows(path string, rows, count int) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	step := max(1, rows/count)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []row
	for i := -1; sc.Scan() && len(out) < count; i++ {
		if i < 0 || (i%step) != step/2 {
			continue // the header, or not sampled
		}
		rec, err := csv.NewReader(strings.NewReader(sc.Text())).Read()
		if err != nil || len(rec) < 9 {
			return nil, fmt.Errorf("%s line %d: %v", path, i+2, err)
		}
		out = append(out, row{First: rec[0], Last: rec[1], Email: rec[2], LinkedIn: rec[3], Company: rec[6], Domain: bareDomain(rec[7])})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no rows sampled", path)
	}
	return out, nil
}

// bareDomain turns "https://www.acme.com/" into "acme.com".
func bareDomain(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	return strings.TrimSuffix(s, "/")
}

// tail returns the last n bytes of b, for error messages.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
