package crustdata

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/enrichd/enrichd/internal/flatjson"
	"github.com/enrichd/enrichd/internal/jsonw"
	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// Ensure the enrich and search answers write exactly what encoding/json
// wrote for them, or fail where encoding/json fails.
func TestAppendJSON_Equivalence(t *testing.T) {
	g := jsonwtest.New(11)
	sections := []string{"basic_profile", "professional_network", "social_handles", "experience", "education", "skills",
		"contact", "certifications", "honors", "dev_platform_profiles", "metadata"}
	for i := range 2000 {
		sel := &selection{sections: map[string]bool{}, whole: map[string]bool{}}
		for _, s := range sections {
			if g.R.IntN(2) == 0 {
				sel.sections[s], sel.whole[s] = true, true
			}
		}
		companies := companyInfo{}
		var results []enrichResult
		if g.R.IntN(8) > 0 {
			results = []enrichResult{}
		}
		for range g.R.IntN(3) {
			r := enrichResult{MatchedOn: g.S(), MatchType: g.S()}
			if g.R.IntN(6) > 0 {
				r.Matches = []enrichHit{}
			}
			for range g.R.IntN(3) {
				p := g.Person()
				if p == nil {
					r.Matches = append(r.Matches, enrichHit{ConfidenceScore: g.F()})
					continue
				}
				if p.Extra == nil && g.R.IntN(3) == 0 {
					p.Extra = map[string]json.RawMessage{"crustdata.open_to_cards": json.RawMessage(`[ {"a": 1} ]`),
						"crustdata.dev_platform_profiles": json.RawMessage(`[{"username":"x"}, {"b":[1, 2]}]`)}
				}
				for j := range p.Employment {
					if c := g.Company(); c != nil && p.Employment[j].CompanyID != "" {
						companies[p.Employment[j].CompanyID] = c
					}
				}
				r.Matches = append(r.Matches, enrichHit{ConfidenceScore: g.F(), PersonData: buildPersonData(p, sel, companies)})
			}
			results = append(results, r)
		}
		search := searchResponse{}
		if g.R.IntN(5) > 0 {
			search.Profiles = []any{}
		}
		for range g.R.IntN(3) {
			if p := g.Person(); p != nil {
				search.Profiles = append(search.Profiles, buildPersonData(p, sel, companies))
			}
		}
		if s := g.S(); s != "" {
			search.NextCursor = &s
		}
		if n := g.N(); n != 0 {
			search.TotalCount = &n
		}
		for _, c := range []struct {
			v     any
			write func(w *jsonw.W)
		}{
			{results, func(w *jsonw.W) { enrichResults(results).AppendJSON(w) }},
			{search, func(w *jsonw.W) { search.AppendJSON(w) }},
		} {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			stdErr := enc.Encode(c.v)
			var w jsonw.W
			c.write(&w)
			w.Byte('\n')
			switch {
			case stdErr != nil && !w.Failed():
				t.Fatalf("case %d %T: encoding/json failed (%v), the writer did not", i, c.v, stdErr)
			case stdErr == nil && w.Failed():
				t.Fatalf("case %d %T: the writer failed, encoding/json did not: %s", i, c.v, b.Bytes())
			case stdErr == nil && !bytes.Equal(w.B, b.Bytes()):
				t.Fatalf("case %d %T:\n got %s\nwant %s", i, c.v, w.B, b.Bytes())
			}
		}
	}
}

// Ensure a projected (dot-path) answer falls back to encoding/json.
func TestAppendJSON_ProjectedFails(t *testing.T) {
	var w jsonw.W
	enrichResults([]enrichResult{{Matches: []enrichHit{{PersonData: map[string]any{"a": 1}}}}}).AppendJSON(&w)
	if !w.Failed() {
		t.Fatal("a projected map did not fail the writer")
	}
}

// Ensure the fast path of decodeBody reads what encoding/json reads.
func FuzzDecode_Lists(f *testing.F) {
	for _, s := range []string{`{"business_emails":["a@b.com"]}`, `{"professional_network_profile_urls":["x"],"fields":[]}`,
		`{"Business_Emails":["x"]}`, `{"business_emails":["a"],"preview":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast enrichRequest
		if !flatjson.ScanLists(data, fast.setList) {
			return
		}
		var want enrichRequest
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json did not: %v", data, err)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", data, fast, want)
		}
	})
}
