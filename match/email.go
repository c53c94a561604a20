package match

import (
	"net"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// plusProviders deliver "user+tag@" to "user@"; gmailDomains also ignore dots
// in the local part. Only these providers get those equivalences: elsewhere a
// dot or a plus may name a different mailbox.
var (
	gmailDomains  = map[string]bool{"gmail.com": true, "googlemail.com": true}
	plusProviders = map[string]bool{
		"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true,
		"live.com": true, "msn.com": true, "icloud.com": true, "me.com": true, "mac.com": true,
		"fastmail.com": true, "fastmail.fm": true, "protonmail.com": true, "proton.me": true,
		"pm.me": true, "yandex.ru": true, "yandex.com": true,
	}
)

// CleanEmail returns the address in s in its display form, with surrounding
// spaces, "mailto:" and a "Name <addr>" wrapper removed and lower case, and
// true; or "", false when s is not a plausible address.
func CleanEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		s = strings.TrimSpace(s[i+1 : len(s)-1])
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
		if i := strings.IndexByte(s, '?'); i >= 0 {
			s = s[:i]
		}
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 254 {
		return "", false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return "", false
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("()<>[]\\,;:\"", c) >= 0 {
			return "", false
		}
	}
	d, ok := cleanHost(domain)
	if !ok || !strings.Contains(d, ".") {
		return "", false
	}
	if d == domain {
		return s, true // already clean: no copy
	}
	return local + "@" + d, true
}

// NormalizeEmail returns the identity form of an address, used for keys and
// comparison: CleanEmail plus the equivalences its provider applies (Gmail
// ignores dots and "+tags" and treats googlemail.com as gmail.com; Outlook,
// iCloud, Fastmail and Proton ignore "+tags"). It returns "", false when s is
// not a plausible address.
func NormalizeEmail(s string) (string, bool) {
	e, ok := CleanEmail(s)
	if !ok {
		return "", false
	}
	local, domain, _ := strings.Cut(e, "@")
	changed := false
	if plusProviders[domain] {
		if i := strings.IndexByte(local, '+'); i > 0 {
			local, changed = local[:i], true
		}
	}
	if gmailDomains[domain] {
		local = strings.ReplaceAll(local, ".", "")
		domain, changed = "gmail.com", true
		if local == "" {
			return "", false
		}
	}
	if !changed {
		return e, true
	}
	return local + "@" + domain, true
}

// EmailDomain returns the lower-case domain of an address, or "".
func EmailDomain(email string) string {
	e, ok := CleanEmail(email)
	if !ok {
		return ""
	}
	return e[strings.IndexByte(e, '@')+1:]
}

// IsFreeEmail reports whether the address (or bare domain) is at a free,
// personal mailbox provider such as gmail.com, so that it is a personal
// rather than a business email.
func IsFreeEmail(s string) bool {
	return isFreeDomain(emailOrDomain(s))
}

// isFreeDomain is IsFreeEmail for a clean domain (as CleanEmail leaves it).
func isFreeDomain(d string) bool {
	if d == "" {
		return false
	}
	rd := loadRefData()
	if rd.free[d] {
		return true
	}
	r, ok := RegistrableDomain(d)
	return ok && rd.free[r]
}

// IsDisposableEmail reports whether the address (or bare domain) is at a
// disposable, throw-away mailbox provider.
func IsDisposableEmail(s string) bool {
	return isDisposableDomain(emailOrDomain(s))
}

// isDisposableDomain is IsDisposableEmail for a clean domain.
func isDisposableDomain(d string) bool {
	if d == "" {
		return false
	}
	rd := loadRefData()
	if rd.disposable[d] {
		return true
	}
	r, ok := RegistrableDomain(d)
	return ok && rd.disposable[r]
}

func emailOrDomain(s string) string {
	if strings.Contains(s, "@") {
		return EmailDomain(s)
	}
	d, _ := cleanHost(s)
	return d
}

// IsBusinessEmail reports whether the address is plausible and neither free
// nor disposable.
func IsBusinessEmail(s string) bool {
	_, ok := CleanEmail(s)
	return ok && !IsFreeEmail(s) && !IsDisposableEmail(s)
}

// RegistrableDomain returns the registrable domain ("eTLD+1", lower case,
// IDNA ASCII form) of a URL, email address or bare host: "https://www.acme.com/about",
// "ACME.COM", "jane@mail.acme.co.uk" → "acme.co.uk". It returns "", false for
// input with no registrable domain (an IP address, "localhost", a bare public
// suffix such as "co.uk").
func RegistrableDomain(s string) (string, bool) {
	r := registrable.get(s)
	return r.d, r.ok
}

// registrable memoises RegistrableDomain: each answer is a host clean-up, an
// IDNA pass and two public-suffix look-ups (~0.5 µs; ~15% of a name match in
// memory before the memo).
var registrable = newMemo(func(s string) registrableResult {
	d, ok := registrableDomain(s)
	return registrableResult{d, ok}
})

type registrableResult struct {
	d  string
	ok bool
}

func registrableDomain(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") && !strings.Contains(s, "/") {
		s = EmailDomain(s)
	}
	host, ok := cleanHost(hostOf(s))
	if !ok || !strings.Contains(host, ".") {
		return "", false
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	// An unlisted suffix (".local", ".internal") is not a public domain.
	if suf, icann := publicsuffix.PublicSuffix(d); !icann && !strings.Contains(suf, ".") {
		return "", false
	}
	return d, true
}

// hostOf strips a scheme, user info, path, query and port from a URL-ish string.
func hostOf(s string) string {
	if i := strings.Index(s, "://"); i >= 0 && i < 10 {
		s = s[i+3:]
	} else if strings.HasPrefix(s, "//") {
		s = s[2:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	return s
}

// mayBeIP reports whether net.ParseIP could accept h (trimmed of brackets):
// an IPv6 address has a colon, an IPv4 one ends in a number, and no host
// name's top-level label is numeric. It spares host names the parse.
func mayBeIP(h string) bool {
	if strings.ContainsAny(h, ":[]") {
		return true
	}
	last := h[strings.LastIndexByte(h, '.')+1:]
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// cleanHost lower-cases and IDNA-encodes a host name and checks its syntax.
func cleanHost(h string) (string, bool) {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if h == "" || len(h) > 253 || mayBeIP(h) && net.ParseIP(strings.Trim(h, "[]")) != nil {
		return "", false
	}
	if !isPlainASCII(h) {
		a, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return "", false
		}
		h = a
	}
	for rest, more := h, true; more; {
		var label string
		label, rest, more = strings.Cut(rest, ".")
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return h, true
}
