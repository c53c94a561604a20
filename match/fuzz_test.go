package match

import (
	"net"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for every parser of outside input: run with
// `go test ./match -fuzz FuzzCanonicalLinkedInURL` (one target at a time).
// Each checks that the parser never panics and that its output is a fixed
// point: normalising a normalised value changes nothing.

func FuzzCanonicalLinkedInURL(f *testing.F) {
	for _, s := range []string{"https://www.linkedin.com/in/jdoe", "linkedin.com/in/JDoe/en?x=1#y", "https://www.linkedin.com/pub/a/1/2/3", "https://www.linkedin.com/in/jos%C3%A9", "https://www.linkedin.com/company/acme/about", "%", "linkedin.com/in/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if u, ok := CanonicalLinkedInURL(s); ok {
			if !strings.HasPrefix(u, "https://www.linkedin.com/in/") {
				t.Fatalf("%q -> %q", s, u)
			}
			if u2, ok2 := CanonicalLinkedInURL(u); !ok2 || u2 != u {
				t.Fatalf("not idempotent: %q -> %q -> %q,%v", s, u, u2, ok2)
			}
		}
		if u, ok := CanonicalCompanyLinkedInURL(s); ok {
			if u2, ok2 := CanonicalCompanyLinkedInURL(u); !ok2 || u2 != u {
				t.Fatalf("company not idempotent: %q -> %q -> %q,%v", s, u, u2, ok2)
			}
		}
	})
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"Jane.Doe+x@Gmail.com", "mailto:a@b.co", "A <a@b.co>", "a@bücher.de", "@", "a@@b", "a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e, ok := NormalizeEmail(s); ok {
			if e2, ok2 := NormalizeEmail(e); !ok2 || e2 != e {
				t.Fatalf("not idempotent: %q -> %q -> %q,%v", s, e, e2, ok2)
			}
			if strings.Count(e, "@") != 1 || !utf8.ValidString(e) {
				t.Fatalf("bad output %q", e)
			}
		}
		if c, ok := CleanEmail(s); ok {
			if c2, ok2 := CleanEmail(c); !ok2 || c2 != c {
				t.Fatalf("clean not idempotent: %q -> %q -> %q", s, c, c2)
			}
		}
		_ = IsFreeEmail(s)
		_ = IsDisposableEmail(s)
	})
}

func FuzzRegistrableDomain(f *testing.F) {
	for _, s := range []string{"https://www.acme.com/", "ACME.CO.UK", "a@b.acme.io", "http://[::1]:80/", "co.uk", "xn--bcher-kva.de", "bücher.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := RegistrableDomain(s); ok {
			if d2, ok2 := RegistrableDomain(d); !ok2 || d2 != d {
				t.Fatalf("not idempotent: %q -> %q -> %q,%v", s, d, d2, ok2)
			}
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+45 32 12 34 56", "(415) 555-2671", "0044 20 7946 0018", "tel:+1", "++", "0"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		if p, ok := NormalizePhone(s, region); ok {
			if !strings.HasPrefix(p, "+") {
				t.Fatalf("%q -> %q", s, p)
			}
			if p2, ok2 := NormalizePhone(p, ""); !ok2 || p2 != p {
				t.Fatalf("not idempotent: %q -> %q -> %q,%v", s, p, p2, ok2)
			}
		}
	})
}

func FuzzNames(f *testing.F) {
	for _, s := range []string{"Dr. Jane A. Doe-Smith, PhD", "Doe, Jane", "William 'Bill' Gates III", "José García Márquez", "(", "\"", ",", "Acme, Inc.", "The Coca-Cola Company"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		for _, part := range []string{n.First, n.Middle, n.Last} {
			if !utf8.ValidString(part) && utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 from %q: %+v", s, n)
			}
		}
		fs := Fold(s)
		if Fold(fs) != fs {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, fs, Fold(fs))
		}
		c := NormalizeCompanyName(s)
		_ = companyNameKey(c)
		_ = Soundex(fs)
		_ = JaroWinkler(fs, c)
		_ = InferSeniority(s)
		_ = InferDepartments(s)
		_ = CleanGivenName(s)
		_ = CleanFamilyName(s)
	})
}

// FuzzMayBeIP pins the pre-check that spares host names net.ParseIP: it
// may only say no when the parse would fail.
func FuzzMayBeIP(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "[::1]", "::ffff:1.2.3.4", "acme.com", "123.com", "a.1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if !mayBeIP(h) && net.ParseIP(strings.Trim(h, "[]")) != nil {
			t.Fatalf("mayBeIP(%q) = false, but it parses as an IP", h)
		}
	})
}
