package native

import (
	"testing"

	"github.com/enrichd/enrichd"
)

// FuzzDecode checks that the request decoders never panic and fail only with
// a client error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.c"}`, `{"requests":[{"email":"a@b.c"},{"full_name":"x"}],"top_k":2}`, `{"requests":[null]}`,
		`{"domain":"acme.com"}`, `{"filters":{"field":"a","type":"in","value":[1,"x"]},"limit":3}`, `[]`, `null`, `"x"`, ``,
		`{"fields":["id"],"linkedin_url":"u","min_confidence":0.3}`, `{"requests":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error) {
			if err != nil && enrichd.ErrorCode(err) != enrichd.EINVALID {
				t.Fatalf("error %v (code %s) for %q", err, enrichd.ErrorCode(err), data)
			}
		}
		reqs, _, err := decodeEnrich(data)
		check(err)
		if err == nil && (len(reqs) == 0 || len(reqs) > MaxBatch) {
			t.Fatalf("%d requests for %q", len(reqs), data)
		}
		_, err = decodeCompany(data)
		check(err)
		_, err = decodeSearch(data)
		check(err)
	})
}
