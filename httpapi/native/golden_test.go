package native_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.response.golden.json")

// goldenRequest is a testdata/<case>.request.json file.
type goldenRequest struct {
	Note                 string            `json:"note"`
	Method               string            `json:"method"`
	Path                 string            `json:"path"`
	Headers              map[string]string `json:"headers"`
	Body                 json.RawMessage   `json:"body"`
	RawBody              *string           `json:"raw_body"` // sent verbatim, for malformed JSON
	SearchNotImplemented bool              `json:"search_not_implemented"`
}

// goldenResponse is a testdata/<case>.response.golden.json file.
type goldenResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// goldenHeaders are the response headers the API promises; others are noise.
var goldenHeaders = []string{
	"Content-Type", "Allow", "WWW-Authenticate", "Retry-After", "X-Credits-Used", "X-Credits-Remaining",
	"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
}

// Ensure every request in testdata gets exactly its golden response.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.request.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden requests: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".request.json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var gr goldenRequest
			if err := json.Unmarshal(data, &gr); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			body := []byte(gr.Body)
			if gr.RawBody != nil {
				body = []byte(*gr.RawBody)
			}
			env := NewEnv(t, !gr.SearchNotImplemented)
			req := httptest.NewRequest(gr.Method, gr.Path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range gr.Headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			env.Handler.ServeHTTP(rec, req)

			got := goldenResponse{Status: rec.Code, Headers: map[string]string{}}
			for _, h := range goldenHeaders {
				if v := rec.Header().Get(h); v != "" {
					got.Headers[h] = v
				}
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("response is not JSON: %q", rec.Body.String())
			}
			got.Body = rec.Body.Bytes()
			gotJSON := indent(t, got)

			golden := "testdata/" + name + ".response.golden.json"
			if *update {
				if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(gotJSON, want) {
				t.Errorf("response differs from %s\ngot:\n%s\nwant:\n%s", golden, gotJSON, want)
			}
			if got.Status >= 500 && got.Status != http.StatusNotImplemented && !strings.HasPrefix(name, "error_internal") && !strings.HasPrefix(name, "error_unavailable") {
				t.Errorf("status %d for a client-side case", got.Status)
			}
		})
	}
}

func indent(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(b, '\n')
}
