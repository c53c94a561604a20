package crustdata_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds adds every golden request body of the endpoint's cases.
func fuzzSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"fields":[""],"professional_network_profile_urls":[""]}`))
}

// FuzzPersonEnrich ensures that no body, however malformed, panics the
// enrich handler or gets a 500: bad input is always the caller's 400.
func FuzzPersonEnrich(f *testing.F) {
	fuzzSeeds(f, "*.request.json")
	h := newHarness(f)
	h.fixture.boom = "" // no deliberate engine failure here
	f.Fuzz(func(t *testing.T, body []byte) {
		w := h.do(http.MethodPost, "/person/enrich", keyOK, "", body)
		if w.Code >= 500 {
			t.Fatalf("status=%d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// FuzzPersonSearch does the same for the search decoder and the filter
// language behind it.
func FuzzPersonSearch(f *testing.F) {
	fuzzSeeds(f, "*search*.request.json")
	f.Add([]byte(`{"filters":{"op":"or","conditions":[{"field":"metadata.updated_at","type":"in","value":["2024-01-01",1e300]}]}}`))
	f.Add([]byte(`{"filters":{"field":"crustdata_person_id","type":"=","value":-1},"limit":0}`))
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := h.do(http.MethodPost, "/person/search", keyOK, "", body)
		if w.Code >= 500 {
			t.Fatalf("status=%d for %q: %s", w.Code, body, w.Body)
		}
	})
}
