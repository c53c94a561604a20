// Command bench measures enrichd against what a user would build instead, side
// by side in one run on one machine (issue 6), and rewrites the generated
// block of docs/BENCHMARKS.md:
//
//	bench/run.sh                 # the full set, ≤ 15 minutes
//	bench/run.sh --quick         # CI: a small store, short runs, fails on a large regression
//	go run ./bench --only http   # one part: http, import, fuzzy, scale
//
// Generated CSVs and stores are cached in $ENRICHD_BENCH_CACHE (default
// ~/.cache/enrichd-bench) and reused. PostgreSQL comes from
// $ENRICHD_BENCH_POSTGRES_URL, else $ENRICHD_TEST_POSTGRES_URL, else the local
// default; the runner creates and drops its own schemas.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if file := os.Getenv(ceilingEnv); file != "" {
		if err := serveCeiling(file); err != nil {
			fmt.Fprintln(os.Stderr, "ceiling:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		var re regressionError
		if errors.As(err, &re) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	Quick      bool
	People     int           // people in the HTTP and footprint store
	Queries    int           // distinct queries per look-up kind
	Conns      []int         // connection counts of the HTTP benchmark
	Warmup     time.Duration // per load run, not counted
	Measure    time.Duration // per load run
	ImportRows int           // rows of the import comparison; 0 skips it
	EvalPeople int           // store size of the fuzzy comparison
	EvalQuery  int           // queries per kind of the fuzzy comparison
	Scale      []int         // store sizes of the scale curve
	Budget     time.Duration // time box: stores not cached are built only if they fit
	Only       []string      // parts to run; empty: all
	Docs       string        // file whose generated block is rewritten; empty: none
	PGURL      string
	ProfileDir string
}

func defaultConfig(quick bool) config {
	if quick {
		return config{Quick: true, People: 20_000, Queries: 64, Conns: []int{16}, Warmup: 200 * time.Millisecond,
			Measure: 700 * time.Millisecond, EvalPeople: 5_000, EvalQuery: 40, Budget: 2 * time.Minute}
	}
	return config{People: 1_000_000, Queries: 256, Conns: []int{16, 64}, Warmup: 500 * time.Millisecond,
		Measure: 2500 * time.Millisecond, ImportRows: 1_000_000, EvalPeople: 100_000, EvalQuery: 150,
		Scale: []int{20_000, 100_000, 1_000_000, 5_000_000}, Budget: 15 * time.Minute, Docs: "docs/BENCHMARKS.md"}
}

const usage = `Usage: go run ./bench [--quick] [flags]

Runs enrichd's benchmarks against their baselines and rewrites the generated
block of docs/BENCHMARKS.md (full mode only). --quick runs a small set for CI
and exits 3 when a ratio falls below its floor.

Flags:
`

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	quick := slices.Contains(args, "--quick") || slices.Contains(args, "-quick")
	c := defaultConfig(quick)
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.BoolVar(&c.Quick, "quick", c.Quick, "small store and short runs (CI); fails on a large regression")
	fs.IntVar(&c.People, "people", c.People, "people in the HTTP benchmark store")
	fs.IntVar(&c.Queries, "queries", c.Queries, "distinct queries per look-up kind")
	conns := fs.String("conns", joinInts(c.Conns), "comma-separated connection counts")
	fs.DurationVar(&c.Warmup, "warmup", c.Warmup, "warm-up per load run (not counted)")
	fs.DurationVar(&c.Measure, "duration", c.Measure, "measured time per load run")
	fs.IntVar(&c.ImportRows, "import-rows", c.ImportRows, "rows of the import comparison (0: skip)")
	fs.IntVar(&c.EvalPeople, "fuzzy-people", c.EvalPeople, "people in the fuzzy-matching comparison")
	fs.IntVar(&c.EvalQuery, "fuzzy-queries", c.EvalQuery, "labelled queries per kind in the fuzzy comparison")
	scale := fs.String("scale", joinInts(c.Scale), "comma-separated store sizes of the scale curve")
	fs.DurationVar(&c.Budget, "budget", c.Budget, "time box; a store not yet cached is built only if its projected build time fits")
	only := fs.String("only", "", "comma-separated parts to run: http, import, fuzzy, scale (default all)")
	fs.StringVar(&c.ProfileDir, "profile", "", "directory for CPU profiles (pprof) of the server, one per HTTP case at the highest connection count; go tool pprof -top FILE reads them")
	fs.StringVar(&c.Docs, "docs", c.Docs, "Markdown file whose generated block to rewrite (empty: print only)")
	pg := getenv("ENRICHD_BENCH_POSTGRES_URL")
	if pg == "" {
		pg = getenv("ENRICHD_TEST_POSTGRES_URL")
	}
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	fs.StringVar(&c.PGURL, "postgres", pg, "PostgreSQL URL for the PostgreSQL comparisons (empty: skip them)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.Conns, err = parseInts(*conns); err != nil || len(c.Conns) == 0 {
		return c, fmt.Errorf("--conns %q: want comma-separated positive numbers", *conns)
	}
	if c.Scale, err = parseInts(*scale); err != nil {
		return c, fmt.Errorf("--scale %q: want comma-separated positive numbers", *scale)
	}
	for _, p := range strings.Split(*only, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !slices.Contains([]string{"http", "import", "fuzzy", "scale"}, p) {
			return c, fmt.Errorf("--only: unknown part %q (http, import, fuzzy, scale)", p)
		}
		c.Only = append(c.Only, p)
	}
	switch {
	case c.People < 1000:
		return c, fmt.Errorf("--people must be at least 1000")
	case c.Queries < 1 || c.EvalQuery < 1:
		return c, fmt.Errorf("--queries and --fuzzy-queries must be positive")
	case c.Measure <= 0 || c.Warmup < 0:
		return c, fmt.Errorf("--duration must be positive and --warmup not negative")
	}
	return c, nil
}

func (c config) runs(part string) bool { return len(c.Only) == 0 || slices.Contains(c.Only, part) }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad number %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// results gathers every part's outcome for the report.
type results struct {
	Machine machine
	Started time.Time
	Elapsed time.Duration
	LoadEnd string
	HTTP    *httpReport
	Import  *importReport
	Fuzzy   *fuzzyReport
	Scale   *scaleReport
	Notes   []string // what was skipped or scaled down, and why
}

// run is the whole benchmark; see the package documentation.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	root, err := findRoot()
	if err != nil {
		return err
	}
	cache, err := cacheDir()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "enrichd-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	start := time.Now()
	if cfg.ProfileDir != "" {
		if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
			return err
		}
	}
	e := &env{Root: root, Cache: cache, Work: work, ProfileDir: cfg.ProfileDir, Logf: func(format string, args ...any) {
		fmt.Fprintf(stderr, "[%5.0fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}}
	res := &results{Machine: describeMachine(ctx), Started: start}
	e.Logf("machine: %s; load average %s; cache %s", res.Machine.summary(), res.Machine.Load, cache)
	if err := e.buildBinary(ctx); err != nil {
		return err
	}
	deadline := start.Add(cfg.Budget)
	if cfg.PGURL != "" && (cfg.runs("import") || cfg.runs("fuzzy")) {
		if err := pgPing(ctx, cfg.PGURL); err != nil {
			if getenv("CI") == "true" {
				return fmt.Errorf("PostgreSQL comparisons: %w", err)
			}
			res.Notes = append(res.Notes, fmt.Sprintf("PostgreSQL comparisons skipped: %v.", err))
			e.Logf("PostgreSQL unreachable, its comparisons are skipped: %v", err)
			cfg.PGURL = ""
		}
	}

	if cfg.runs("http") {
		people := e.fitHTTPStore(ctx, cfg, deadline, res)
		if res.HTTP, err = e.runHTTP(ctx, people, cfg.Queries, cfg.Conns, cfg.Warmup, cfg.Measure); err != nil {
			return fmt.Errorf("http: %w", err)
		}
	}
	if cfg.runs("import") && cfg.ImportRows > 0 {
		rows := e.fitImport(ctx, cfg, deadline, res)
		if res.Import, err = e.runImport(ctx, rows, cfg.PGURL); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	if cfg.runs("fuzzy") {
		if res.Fuzzy, err = e.runFuzzy(ctx, cfg.EvalPeople, cfg.EvalQuery, cfg.PGURL); err != nil {
			return fmt.Errorf("fuzzy: %w", err)
		}
	}
	if cfg.runs("scale") && len(cfg.Scale) > 0 {
		if res.Scale, err = e.runScale(ctx, cfg.Scale, deadline); err != nil {
			return fmt.Errorf("scale: %w", err)
		}
	}
	res.Elapsed = time.Since(start)
	res.LoadEnd = loadAverage()

	md := res.markdown(cfg)
	fmt.Fprintln(stdout, md)
	if cfg.Docs != "" {
		path := cfg.Docs
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		if err := rewriteBlock(path, md); err != nil {
			return err
		}
		e.Logf("rewrote the generated block of %s", path)
	}
	e.Logf("done in %v", res.Elapsed.Round(time.Second))
	if cfg.Quick {
		return checkFloors(res)
	}
	return nil
}

// fitHTTPStore returns the size of the HTTP benchmark's store: cfg.People
// when cached or when its build, projected from the cached stores' import
// rate, takes at most a third of the time box; else the largest cached store
// (noted in the report).
func (e *env) fitHTTPStore(ctx context.Context, cfg config, deadline time.Time, res *results) int {
	if _, err := e.storeIfCached(cfg.People); err == nil {
		return cfg.People
	}
	rate := e.buildRate(ctx)
	third := time.Now().Add(time.Until(deadline) / 3)
	ok, d := fits(cfg.People, rate, 1, third)
	if ok {
		return cfg.People
	}
	for _, n := range e.cachedSizes() {
		if n < cfg.People {
			res.Notes = append(res.Notes, fmt.Sprintf("HTTP and footprint ran on %s people, not %s: building that store through `enrichd import` would take about %v at the %.0f rows/s projected from this run's import probe, over a third of the time box. Build it once with `go run ./bench --only http --people %d --budget 3h`; later runs reuse it.",
				humanInt(n), humanInt(cfg.People), d.Round(time.Second), rate, cfg.People))
			return n
		}
	}
	return cfg.People
}

// fitImport returns the rows of the import comparison: cfg.ImportRows, or
// the largest of a few smaller sizes whose three imports (SQLite, its
// re-import, PostgreSQL), projected from the cached stores' rate, fit in a
// third of what is left of the time box.
func (e *env) fitImport(ctx context.Context, cfg config, deadline time.Time, res *results) int {
	rate := e.buildRate(ctx)
	third := time.Now().Add(time.Until(deadline) / 3)
	if ok, _ := fits(cfg.ImportRows, rate, 3, third); ok {
		return cfg.ImportRows
	}
	_, d := fits(cfg.ImportRows, rate, 1, third)
	for _, n := range []int{500_000, 200_000, 100_000, 50_000, 20_000} {
		if ok, _ := fits(n, rate, 3, third); ok && n < cfg.ImportRows {
			res.Notes = append(res.Notes, fmt.Sprintf("The import comparison ran on %s rows, not %s: one `enrichd import` of %s rows would take about %v at the %.0f rows/s projected from this run's import probe, and it runs three times (SQLite, re-import, PostgreSQL).",
				humanInt(n), humanInt(cfg.ImportRows), humanInt(cfg.ImportRows), d.Round(time.Second), rate))
			return n
		}
	}
	res.Notes = append(res.Notes, "The import comparison ran on 20,000 rows: nothing larger fits the time box at the measured import rate.")
	return 20_000
}
