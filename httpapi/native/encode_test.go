package native

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/flatjson"
	"github.com/enrichd/enrichd/internal/jsonw"
	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// Ensure every answer that writes itself produces exactly what encoding/json
// produced for it, or fails where encoding/json fails.
func TestAppendJSON_Equivalence(t *testing.T) {
	g := jsonwtest.New(7)
	result := func() personResult {
		r := personResult{Match: g.R.IntN(2) == 0, Person: g.Person(), Confidence: g.F(), MatchedOn: g.S(),
			Evidence: g.Evidence(), Company: g.Company(), CompanyConfidence: g.F(), GuessedEmail: g.GuessedEmail()}
		for range g.R.IntN(3) {
			r.Candidates = append(r.Candidates, candidate{Person: g.Person(), Confidence: g.F(), MatchedOn: g.S(), Evidence: g.Evidence()})
		}
		return r
	}
	fields := func() map[string]string {
		if g.R.IntN(2) == 0 {
			return nil
		}
		m := map[string]string{}
		for range g.R.IntN(4) {
			m[g.S()+"k"] = g.S()
		}
		return m
	}
	cr := func() credits { return credits{Used: int64(g.N()), Remaining: int64(g.N())} }
	for i := range 2000 {
		var values []jsonw.Appender
		values = append(values, &personResponse{RequestID: g.S(), personResult: result(), Credits: cr()})
		batch := &batchResponse{RequestID: g.S(), Credits: cr()}
		if g.R.IntN(5) > 0 {
			batch.Results = []any{}
			for range g.R.IntN(4) {
				if g.R.IntN(2) == 0 {
					r := result()
					batch.Results = append(batch.Results, &r)
				} else {
					batch.Results = append(batch.Results, &itemError{Error: errorBody{Code: g.S(), Message: g.S(), Fields: fields(), RequestID: g.S()}})
				}
			}
		}
		values = append(values, batch,
			errorEnvelope{Error: errorBody{Code: g.S(), Message: g.S(), Fields: fields(), RequestID: g.S()}},
			&companyResponse{RequestID: g.S(), Match: g.R.IntN(2) == 0, Company: g.Company(), Confidence: g.F(), Credits: cr()})
		search := &searchResponse{RequestID: g.S(), Credits: cr()}
		if g.R.IntN(4) > 0 {
			search.People = []*enrichd.Person{}
			for range g.R.IntN(3) {
				search.People = append(search.People, g.Person())
			}
		}
		if s := g.S(); s != "" {
			search.NextCursor = &s
		}
		if n := g.N(); n != 0 {
			search.TotalCount = &n
		}
		values = append(values, search)
		for _, v := range values {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			stdErr := enc.Encode(v)
			var w jsonw.W
			v.AppendJSON(&w)
			w.Byte('\n')
			switch {
			case stdErr != nil && !w.Failed():
				t.Fatalf("case %d %T: encoding/json failed (%v), the writer did not", i, v, stdErr)
			case stdErr == nil && w.Failed():
				t.Fatalf("case %d %T: the writer failed, encoding/json did not: %s", i, v, b.Bytes())
			case stdErr == nil && !bytes.Equal(w.B, b.Bytes()):
				t.Fatalf("case %d %T:\n got %s\nwant %s", i, v, w.B, b.Bytes())
			}
		}
	}
}

// Ensure the fast path of decodeEnrich reads exactly what encoding/json reads.
func FuzzDecodeEnrich_Flat(f *testing.F) {
	for _, s := range []string{`{"email":"a@b.com"}`, `{"linkedin_url":"https://www.linkedin.com/in/x","Email":"e"}`,
		`{"first_name":"Ada","last_name":"L","company_domain":"x.com"}`, `{"email":"a","top_k":2}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast personRequest
		if !flatjson.Scan(data, fast.setString) {
			return
		}
		var body enrichBody
		if err := decodeStrict(data, &body, ""); err != nil {
			t.Fatalf("fast path accepted %q, decodeStrict did not: %v", data, err)
		}
		if body.Requests != nil || !reflect.DeepEqual(body.personRequest, fast) {
			t.Fatalf("%q: fast %+v, decodeStrict %+v", data, fast, body.personRequest)
		}
	})
}
