package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve the ceiling when started as one (the
// runner re-executes its own binary for it).
func TestMain(m *testing.M) {
	if file := os.Getenv(ceilingEnv); file != "" {
		if err := serveCeiling(file); err != nil {
			fmt.Fprintln(os.Stderr, "ceiling:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestQuick runs `bench --quick` (a 20,000-person store, short runs; under 2
// minutes) and fails on a large regression of a ratio to its baseline. It
// runs only when ENRICHD_BENCH_QUICK=1, so that `go test ./...` stays fast:
//
//	ENRICHD_BENCH_QUICK=1 go test -count=1 -run TestQuick -timeout 5m ./bench
func TestQuick(t *testing.T) {
	if os.Getenv("ENRICHD_BENCH_QUICK") != "1" {
		t.Skip("set ENRICHD_BENCH_QUICK=1 to run the quick benchmarks")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"--quick"}, os.Getenv, &stdout, &stderr)
	t.Log(stderr.String())
	t.Log(stdout.String())
	var re regressionError
	switch {
	case errors.As(err, &re):
		t.Fatalf("benchmark regression: %v", err)
	case err != nil:
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "HTTP enrichment against a ceiling") {
		t.Fatal("the report has no HTTP section")
	}
}

// TestReadResponse checks the load generator's response parser on the
// framings net/http uses.
func TestReadResponse(t *testing.T) {
	for _, tt := range []struct {
		name       string
		in         string
		wantStatus int
		wantKeep   bool
	}{
		{"ContentLength", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, true},
		{"Chunked", "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 404, true},
		{"Close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 200, false},
		{"UntilEOF", "HTTP/1.1 200 OK\r\n\r\nbody", 200, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			br := bufioReader(tt.in + "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
			status, keep, err := readResponse(br)
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus || keep != tt.wantKeep {
				t.Fatalf("status=%d keep=%v, want %d %v", status, keep, tt.wantStatus, tt.wantKeep)
			}
			if keep { // the next response must start right after the body
				if status, _, err := readResponse(br); err != nil || status != 204 {
					t.Fatalf("next response: status=%d err=%v", status, err)
				}
			}
		})
	}
}

// TestRewriteBlock checks that only the generated block changes.
func TestRewriteBlock(t *testing.T) {
	path := t.TempDir() + "/BENCHMARKS.md"
	if err := os.WriteFile(path, []byte("# Benchmarks\n\n## Import\n\nhand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, md := range []string{"first figures", "second figures"} {
		if err := rewriteBlock(path, md); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	s := string(b)
	if strings.Contains(s, "first figures") || !strings.Contains(s, "second figures") {
		t.Fatalf("block not replaced:\n%s", s)
	}
	if !strings.HasPrefix(s, "# Benchmarks\n\n"+beginMarker) || !strings.HasSuffix(s, "## Import\n\nhand-written\n") {
		t.Fatalf("hand-written sections moved or lost:\n%s", s)
	}
	if strings.Count(s, beginMarker) != 1 || strings.Count(s, endMarker) != 1 {
		t.Fatalf("markers duplicated:\n%s", s)
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

// TestSQLiteImportTarget checks that the figures are read out of
// bench/import/run.sh's Markdown.
func TestSQLiteImportTarget(t *testing.T) {
	md := "| what (50000 rows, 14 MB CSV) | wall s | rows/s | CPU s | CPU µs/row | on disk |\n" +
		"|---|---:|---:|---:|---:|---:|\n" +
		"| `enrichd import` into a fresh SQLite store | 20.31 | 2462 | 17.20 | 344.0 | 167 MB |\n\n" +
		"enrichd / sqlite3 ratio: **30.31** in wall time (target ≤ 3), 31.27 in CPU time.\n"
	if got, want := sqliteImportTarget(md)[1], "2462 rows/s, 30.31×"; got != want {
		t.Fatalf("measured=%q, want %q", got, want)
	}
	if got, want := sqliteImportTarget("no table")[2], "see above"; got != want {
		t.Fatalf("met=%q, want %q", got, want)
	}
}

// TestLoadGenPaced checks the open-loop mode: it sends at the offered rate,
// and a server slower than that rate shows in the latencies (counted from
// the scheduled send), not only in fewer requests.
func TestLoadGenPaced(t *testing.T) {
	for _, tt := range []struct {
		name    string
		delay   time.Duration
		rate    float64
		minReqs int
		maxReqs int
		minP99  time.Duration
	}{
		// 4 connections at 200 req/s over 0.5 s: ~100 requests, answered at once.
		{"KeepsRate", 0, 200, 75, 125, 0},
		// 2 connections offered 100 req/s (one each 20 ms) by a server taking
		// 40 ms: a queue builds, so late requests wait far longer than 40 ms.
		{"ShowsQueueing", 40 * time.Millisecond, 100, 1, 30, 100 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				time.Sleep(tt.delay)
				w.Write([]byte("ok"))
			}))
			defer srv.Close()
			conns := 4
			if tt.delay > 0 {
				conns = 2
			}
			g := loadGen{Addr: strings.TrimPrefix(srv.URL, "http://"), Conns: conns, Warmup: 100 * time.Millisecond, Duration: 500 * time.Millisecond, Rate: tt.rate}
			res, err := g.Run(context.Background(), [][]byte{rawRequest("/", nil, []byte("{}"))})
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests < tt.minReqs || res.Requests > tt.maxReqs {
				t.Errorf("requests in the window = %d, want %d–%d", res.Requests, tt.minReqs, tt.maxReqs)
			}
			if res.P99 < tt.minP99 {
				t.Errorf("p99 = %v, want ≥ %v", res.P99, tt.minP99)
			}
			if res.Non2xx+res.Errors > 0 {
				t.Errorf("%d non-2xx, %d errors", res.Non2xx, res.Errors)
			}
		})
	}
}
