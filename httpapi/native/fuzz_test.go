package native_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd"
)

// addSeeds adds every golden request body as a fuzz seed.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.request.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var gr goldenRequest
		if err := json.Unmarshal(data, &gr); err != nil {
			f.Fatal(err)
		}
		if gr.RawBody != nil {
			f.Add(gr.Path, []byte(*gr.RawBody))
		} else {
			f.Add(gr.Path, []byte(gr.Body))
		}
	}
	f.Add("/v1/person/enrich", []byte(`{"requests":[{"email":1e999}]}`))
	f.Add("/v1/person/search", []byte(`{"filters":{"op":"and","conditions":[{"op":"or","conditions":[{}]}]}}`))
	f.Add("/v1/company/enrich", []byte("{\"name\":\"\xff\xfe\"}"))
}

// FuzzHandler sends arbitrary bodies to every endpoint: the answer is always
// valid JSON, never a panic, and never a 5xx, since the mocks never fail.
func FuzzHandler(f *testing.F) {
	addSeeds(f)
	env := NewEnv(f, true)
	env.Matcher.MatchPersonFn = func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
		if req.Email != "" {
			return &enrichd.Match{Candidates: []enrichd.Candidate{{Person: Jane(), Confidence: 0.9}}}, nil
		}
		return &enrichd.Match{}, nil
	}
	paths := map[string]bool{"/v1/person/enrich": true, "/v1/company/enrich": true, "/v1/person/search": true}
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if !paths[path] {
			path = "/v1/person/enrich"
		}
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+keyGood)
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("invalid JSON for %q: %q", body, rec.Body)
		}
		if rec.Code != 200 {
			var env struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Error.Code == "" || env.Error.Message == "" {
				t.Fatalf("status %d without an error envelope: %s", rec.Code, rec.Body)
			}
		}
	})
}
