package crustdata_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enrichd/enrichd/httpapi/crustdata"
)

// BenchmarkPersonEnrich measures the handler alone (mock engine, accounts
// and store), so that its own cost — decoding, normalising, rendering,
// charging — is visible apart from the HTTP stack and the engine.
func BenchmarkPersonEnrich(b *testing.B) {
	batch := make([]string, 25)
	for i := range batch {
		batch[i] = `"https://www.linkedin.com/in/dvdhsu/"`
		if i%2 == 1 {
			batch[i] = fmt.Sprintf(`"https://www.linkedin.com/in/nobody-%d"`, i)
		}
	}
	for _, bb := range []struct{ name, body string }{
		{"URL", `{"professional_network_profile_urls":["https://www.linkedin.com/in/abhilashchowdhary/"]}`},
		{"EmailAllSections", `{"business_emails":["abhilash@crustdata.com"],"fields":["basic_profile","professional_network","social_handles","experience","education","skills","contact","certifications","honors","dev_platform_profiles"]}`},
		{"DotPaths", `{"professional_network_profile_urls":["https://www.linkedin.com/in/abhilashchowdhary/"],"fields":["basic_profile.name","contact.business_emails","experience.employment_details.current.name"]}`},
		{"Batch25", `{"professional_network_profile_urls":[` + strings.Join(batch, ",") + `]}`},
	} {
		b.Run(bb.name, func(b *testing.B) {
			h := newHarness(b)
			h.balances[keyOK] = 1 << 62
			body := []byte(bb.body)
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/person/enrich", bytes.NewReader(body))
				r.Header.Set("Authorization", "Bearer "+keyOK)
				r.Header.Set("x-api-version", crustdata.APIVersion)
				w := httptest.NewRecorder()
				h.handler.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("status=%d: %s", w.Code, w.Body)
				}
				h.charges = h.charges[:0]
			}
		})
	}
}
