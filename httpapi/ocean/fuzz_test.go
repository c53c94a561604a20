package ocean_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd/httpapi/ocean"
)

// FuzzEnrich feeds arbitrary bodies to the request decoder through the whole
// handler: never a panic, never a 5xx, always a JSON body, and every 422 is
// a well-formed FastAPI validation list.
func FuzzEnrich(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.request.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"person": {"name": "\u0000"}, "revealEmails": {"includeEmails": 1e400}}`))
	f.Add([]byte(`{"person": {"id": "e9447c74eafa8a19"}, "revealPhones": {"includePhones": -0}}`))
	f.Add([]byte(`{"person": null, "company": [], "revealEmails": "yes"}`))
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, ocean.EnrichPath, bytes.NewReader(body))
		r.Header.Set("x-api-token", keyOK)
		w := httptest.NewRecorder()
		h.H.ServeHTTP(w, r)
		if w.Code >= 500 && !bytes.Contains(body, []byte("boom@example.com")) {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer for %q: %s", body, w.Body)
		}
		if w.Code == http.StatusUnprocessableEntity {
			var v struct {
				Detail []struct {
					Type string `json:"type"`
					Loc  []any  `json:"loc"`
					Msg  string `json:"msg"`
				} `json:"detail"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || len(v.Detail) == 0 {
				t.Fatalf("malformed 422 for %q: %s", body, w.Body)
			}
			for _, d := range v.Detail {
				if d.Type == "" || d.Msg == "" || len(d.Loc) == 0 {
					t.Fatalf("incomplete 422 item for %q: %s", body, w.Body)
				}
			}
		}
	})
}
