package match

import (
	"testing"

	"github.com/enrichd/enrichd"
)

// TestQueryEmailDomain checks newQuery's business email domain: the
// registrable domain after the @, none for free and disposable providers.
func TestQueryEmailDomain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Jane@Acme.com", "acme.com"},
		{"a/b@acme.com", "acme.com"}, // a / ? # in the local part is no URL
		{"x?y@acme.co.uk", "acme.co.uk"},
		{"a#b@x.org", "x.org"},
		{"a@sub.acme.io", "acme.io"},
		{"mailto:A@B.COM", "b.com"},
		{"a@bücher.example.de", "example.de"},
		{"a@b.local", ""},
		{"j@googlemail.com", ""},
		{"j.d+x@gmail.com", ""},
		{"a@mailinator.com", ""},
	} {
		q, err := newQuery(enrichd.MatchRequest{Email: tt.in})
		if err != nil {
			t.Fatal(err)
		}
		if q.emailDomain != tt.want {
			t.Errorf("%s: email domain %q, want %q", tt.in, q.emailDomain, tt.want)
		}
	}
}
