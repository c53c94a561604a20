package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newTestServer returns a Server whose routes are replaced by h (nil keeps the real ones).
func newTestServer(tb testing.TB, cfg Config, h http.Handler, ready func(context.Context) error) (*Server, *syncBuffer) {
	tb.Helper()
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s := &kit.Services{Kit: &kit.Kit{Accounts: &mock.AccountService{}}, Logger: cfg.Logger}
	srv := NewServer(cfg, s, ready)
	if s.Kit.Metrics != srv.Metrics() {
		tb.Fatal("NewServer did not install its metrics on the kit")
	}
	if h != nil {
		srv.handler = srv.middleware(h)
		srv.http.Handler = srv.handler
	}
	return srv, logs
}

func TestServer_Endpoints(t *testing.T) {
	notReady := func(context.Context) error { return enrichd.Errorf(enrichd.EUNAVAILABLE, "schema is not current") }
	down := func(context.Context) error { return errors.New("dial tcp 10.0.0.1:5432: secret detail") }
	for _, tt := range []struct {
		Name         string
		Method, URL  string
		Ready        func(context.Context) error
		WantStatus   int
		WantContains string
		WantAbsent   string
	}{
		{Name: "Healthz", Method: "GET", URL: "/healthz", WantStatus: 200, WantContains: `"status":"ok"`},
		{Name: "HealthzHead", Method: "HEAD", URL: "/healthz", WantStatus: 200},
		{Name: "HealthzPost", Method: "POST", URL: "/healthz", WantStatus: 405, WantContains: `"code":"method_not_allowed"`},
		{Name: "ReadyzOK", Method: "GET", URL: "/readyz", WantStatus: 200, WantContains: `"status":"ready"`},
		{Name: "ReadyzSchema", Method: "GET", URL: "/readyz", Ready: notReady, WantStatus: 503, WantContains: "schema is not current"},
		{Name: "ReadyzDown", Method: "GET", URL: "/readyz", Ready: down, WantStatus: 503, WantContains: "store unreachable", WantAbsent: "secret"},
		{Name: "Index", Method: "GET", URL: "/", WantStatus: 200, WantContains: `"name":"enrichd"`},
		{Name: "Unknown", Method: "GET", URL: "/nope", WantStatus: 404, WantContains: `"code":"not_found"`},
		{Name: "Metrics", Method: "GET", URL: "/metrics", WantStatus: 200, WantContains: "go_goroutines"},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			srv, _ := newTestServer(t, Config{}, nil, tt.Ready)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest(tt.Method, tt.URL, nil))
			if got, want := w.Code, tt.WantStatus; got != want {
				t.Fatalf("status=%d, want %d; body %s", got, want, w.Body)
			}
			if !strings.Contains(w.Body.String(), tt.WantContains) {
				t.Fatalf("body %q does not contain %q", w.Body, tt.WantContains)
			}
			if tt.WantAbsent != "" && strings.Contains(w.Body.String(), tt.WantAbsent) {
				t.Fatalf("body %q leaks %q", w.Body, tt.WantAbsent)
			}
			if w.Header().Get("X-Request-Id") == "" {
				t.Fatal("no X-Request-Id")
			}
		})
	}
}

func TestServer_RequestID(t *testing.T) {
	var seen string
	srv, logs := newTestServer(t, Config{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = kit.RequestID(r.Context())
	}), nil)
	for _, tt := range []struct {
		Name, In string
		Keep     bool
	}{
		{"Sane", "abc-123_x.y:z", true},
		{"Missing", "", false},
		{"Unsafe", "a b\"c", false},
		{"TooLong", strings.Repeat("a", 129), false},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/x", nil)
			if tt.In != "" {
				r.Header.Set("X-Request-Id", tt.In)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			got := w.Header().Get("X-Request-Id")
			if got != seen {
				t.Fatalf("header %q, context %q", got, seen)
			}
			if tt.Keep && got != tt.In {
				t.Fatalf("id=%q, want %q kept", got, tt.In)
			}
			if !tt.Keep && (got == tt.In || len(got) != 16) {
				t.Fatalf("id=%q, want a fresh 16-character id", got)
			}
			if !strings.Contains(logs.String(), `"request_id":"`+got+`"`) {
				t.Fatalf("access log lacks the request id: %s", logs)
			}
		})
	}
}

func TestServer_Panic(t *testing.T) {
	srv, logs := newTestServer(t, Config{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom: password=hunter2")
	}), nil)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if got, want := w.Code, 500; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	if strings.Contains(w.Body.String(), "hunter2") || !strings.Contains(w.Body.String(), `"Internal error."`) {
		t.Fatalf("body %s", w.Body)
	}
	if !strings.Contains(logs.String(), "panic serving request") || !strings.Contains(logs.String(), "hunter2") {
		t.Fatalf("panic not logged: %s", logs)
	}
	if got := counterValue(t, srv.Metrics().requests.WithLabelValues("unmatched", "500")); got != 1 {
		t.Fatalf("500 counted %v times, want 1", got)
	}
}

func TestServer_BodyLimit(t *testing.T) {
	srv, _ := newTestServer(t, Config{MaxBodyBytes: 10}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		switch {
		case err == nil:
			w.Write([]byte("read"))
		case enrichd.ErrorCode(err) == enrichd.EINVALID && errors.As(err, &mbe):
			Error(w, r, err)
		default:
			t.Errorf("err=%v, want EINVALID wrapping MaxBytesError", err)
		}
	}), nil)
	for _, tt := range []struct {
		Name       string
		Body       string
		WantStatus int
	}{
		{"Under", "0123456789", 200},
		{"Over", "0123456789A", 400},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("POST", "/x", strings.NewReader(tt.Body)))
			if w.Code != tt.WantStatus {
				t.Fatalf("status=%d, want %d: %s", w.Code, tt.WantStatus, w.Body)
			}
		})
	}
}

func TestServer_MetricsByPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/person/{id}", func(w http.ResponseWriter, r *http.Request) {})
	inner := http.NewServeMux()
	inner.Handle("/d/", http.NewServeMux()) // a dialect mux inside the outer one
	srv, _ := newTestServer(t, Config{}, mux, nil)
	for _, p := range []string{"/v1/person/a", "/v1/person/b", "/v1/person/c"} {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	srv.Metrics().ObserveMatch("native", "person/enrich", "match")
	srv.Metrics().ObserveCredits("native", "person/enrich", 3)
	srv.Metrics().ObserveCredits("native", "person/enrich", -5) // a grant: ignored

	m := srv.Metrics()
	if got := counterValue(t, m.requests.WithLabelValues("GET /v1/person/{id}", "200")); got != 3 {
		t.Fatalf("requests=%v, want 3 under the pattern", got)
	}
	if got := counterValue(t, m.matches.WithLabelValues("native", "person/enrich", "match")); got != 1 {
		t.Fatalf("matches=%v", got)
	}
	if got := counterValue(t, m.credits.WithLabelValues("native", "person/enrich")); got != 3 {
		t.Fatalf("credits=%v", got)
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`enrichd_http_requests_total{route="GET /v1/person/{id}",status="200"} 3`,
		`enrichd_http_request_duration_seconds_bucket{route="GET /v1/person/{id}"`,
		`enrichd_match_outcomes_total{api="native",endpoint="person/enrich",outcome="match"} 1`,
		`enrichd_credits_charged_total{api="native",endpoint="person/enrich"} 3`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(w.Body.String(), `/v1/person/a"`) {
		t.Error("raw path used as a label")
	}
}

// Ensure Shutdown lets an in-flight request finish and then returns.
func TestServer_GracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	srv, _ := newTestServer(t, Config{Addr: "127.0.0.1:0"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		w.Write([]byte("finished"))
	}), nil)
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + srv.Addr() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	time.Sleep(50 * time.Millisecond) // Shutdown is now waiting on the request
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v before the request finished", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v", r.body, r.err)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
}

func TestError_Envelope(t *testing.T) {
	w := httptest.NewRecorder()
	w.Header().Set("X-Request-Id", "rid")
	e := enrichd.InvalidFields("Invalid request.", map[string]string{"email": "is not an address"})
	Error(w, httptest.NewRequest("GET", "/", nil), e)
	var body struct {
		Error struct {
			Code, Message string
			RequestID     string `json:"request_id"`
			Fields        map[string]string
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if w.Code != 400 || body.Error.Fields["email"] == "" || body.Error.RequestID != "rid" {
		t.Fatalf("status %d body %s", w.Code, w.Body)
	}
}

// discardWriter is a minimal ResponseWriter so that benchmarks measure the
// middleware, not httptest.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkMiddleware compares a bare handler with the same handler behind
// the middleware, on a mux route like the API's.
func BenchmarkMiddleware(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 1500)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/person/enrich", func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	srv, _ := newTestServer(b, Config{}, mux, nil)
	srv.cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	for _, bb := range []struct {
		name string
		h    http.Handler
	}{{"Bare", mux}, {"Middleware", srv}} {
		b.Run(bb.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/v1/person/enrich", nil)
			b.ReportAllocs()
			for b.Loop() {
				bb.h.ServeHTTP(&discardWriter{h: http.Header{}}, r)
			}
		})
	}
}

// counterValue reads a counter without the testutil package (one less dependency).
func counterValue(tb testing.TB, c prometheus.Counter) float64 {
	tb.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		tb.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
