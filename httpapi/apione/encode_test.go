package apione

import (
	"testing"

	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// Ensure the success envelope writes exactly what encoding/json wrote.
func TestAppendJSON_Equivalence(t *testing.T) {
	g := jsonwtest.New(3)
	s := func() *string {
		if g.R.IntN(3) == 0 {
			return nil
		}
		v := g.S()
		return &v
	}
	for range 2000 {
		r := &enrichResponse{Status: g.S(), RequestID: g.S(), CreditsUsed: int64(g.N())}
		if g.R.IntN(5) > 0 {
			r.Data = &personData{FullName: s(), Email: s(), Title: s(), Seniority: s(), Department: s(),
				CompanyName: s(), CompanyDomain: s(), LinkedInURL: s(), Location: s(), Confidence: g.F()}
		}
		jsonwtest.CheckSame(t, r)
	}
}

// Ensure the fast path of decodeRequest reads what encoding/json reads.
func FuzzDecode_Flat(f *testing.F) {
	for _, s := range []string{`{"email":"a@b.com"}`, `{"first_name":"A","last_name":"B","domain":"x.com"}`, `{"Email":"x"}`, `{"email":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		jsonwtest.CheckFlat(t, data, func() (*enrichRequest, func([]byte, string) bool) {
			var q enrichRequest
			return &q, q.setString
		})
	})
}
