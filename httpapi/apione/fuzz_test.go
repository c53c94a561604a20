package apione_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd/httpapi/apione"
)

// FuzzEnrich feeds arbitrary bodies to the request decoder through the whole
// handler: never a panic, never a 5xx, always a JSON body.
func FuzzEnrich(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.request.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"email": null, "first_name": "\u0000", "last_name": "x", "domain": "y"}`))
	f.Add([]byte(`{"first_name": "a", "last_name": "b", "domain": {"x": 1}}`))
	f.Add([]byte(`"just a string"`))
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, apione.EnrichPath, bytes.NewReader(body))
		r.Header.Set("X-API-Key", keyOK)
		w := httptest.NewRecorder()
		h.H.ServeHTTP(w, r)
		if w.Code >= 500 && !bytes.Contains(body, []byte("boom@example.com")) {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer for %q: %s", body, w.Body)
		}
	})
}
