package match

import (
	"testing"

	"github.com/enrichd/enrichd"
)

// TestQueryEmailDomain checks that newQuery's business email domain, read
// from the cleaned address's domain, is what IsFreeEmail, IsDisposableEmail
// and RegistrableDomain of the address say.
func TestQueryEmailDomain(t *testing.T) {
	for _, s := range []string{"Jane@Acme.com", "a/b@acme.com", "x?y@acme.co.uk", "a#b@x.org", "j@googlemail.com",
		"j.d+x@gmail.com", "a@mailinator.com", "a@sub.acme.io", "mailto:A@B.COM", "a@b.local", "a@bücher.example.de"} {
		e, ok := NormalizeEmail(s)
		if !ok {
			t.Fatalf("%s: not an address", s)
		}
		var want string
		if !IsFreeEmail(e) && !IsDisposableEmail(e) {
			want, _ = RegistrableDomain(e)
		}
		q, err := newQuery(enrichd.MatchRequest{Email: s})
		if err != nil {
			t.Fatal(err)
		}
		if q.emailDomain != want {
			t.Errorf("%s: email domain %q, want %q", s, q.emailDomain, want)
		}
	}
}
