package match

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// linkedInPrefix is the canonical scheme and host of every LinkedIn URL we store.
const linkedInPrefix = "https://www.linkedin.com/"

// CanonicalLinkedInURL returns the canonical form of a LinkedIn profile URL,
// "https://www.linkedin.com/in/<slug>" with the slug percent-decoded and lower
// case, and true; or "", false when s is not a profile URL. It accepts a
// missing scheme, "www.", country ("uk.", "de.") and mobile ("m.") hosts,
// trailing slashes, query strings, fragments, locale and sub-page suffixes
// ("/en", "/details/experience"), surrounding spaces, and legacy public
// profile URLs ("/pub/jane-doe/12/345/678" → "/in/jane-doe-67834512").
func CanonicalLinkedInURL(s string) (string, bool) {
	segs, ok := linkedInPath(s)
	if !ok || len(segs) < 2 {
		return "", false
	}
	switch segs[0] {
	case "in":
		return linkedInPrefix + "in/" + segs[1], true
	case "pub":
		// NOTE: legacy URLs put the member id's hex groups reversed after the
		// name; the middle group is zero-padded to three digits in the new form.
		if segs[1] == "dir" {
			return "", false
		}
		if len(segs) >= 5 && isHex(segs[2]) && isHex(segs[3]) && isHex(segs[4]) {
			mid := segs[3]
			for len(mid) < 3 {
				mid = "0" + mid
			}
			return linkedInPrefix + "in/" + segs[1] + "-" + segs[4] + mid + segs[2], true
		}
		return linkedInPrefix + "in/" + segs[1], true
	}
	return "", false
}

// CanonicalCompanyLinkedInURL returns the canonical form of a LinkedIn
// company, school or showcase page URL ("https://www.linkedin.com/company/<slug>")
// and true, or "", false when s is not one. It accepts the same variations as
// CanonicalLinkedInURL, and sub-pages such as "/about" or "/jobs".
func CanonicalCompanyLinkedInURL(s string) (string, bool) {
	segs, ok := linkedInPath(s)
	if !ok || len(segs) < 2 {
		return "", false
	}
	switch segs[0] {
	case "company", "school", "showcase":
		return linkedInPrefix + segs[0] + "/" + segs[1], true
	}
	return "", false
}

// linkedInPath checks that s is a LinkedIn URL and returns its decoded, lower
// case, non-empty path segments.
func linkedInPath(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2048 {
		return nil, false
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "https://"):
		s = s[8:]
	case strings.HasPrefix(lower, "http://"):
		s = s[7:]
	case strings.HasPrefix(lower, "//"):
		s = s[2:]
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	host, path, _ := strings.Cut(s, "/")
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	if host != "linkedin.com" && !strings.HasSuffix(host, ".linkedin.com") {
		return nil, false
	}
	if sub := strings.TrimSuffix(host, "linkedin.com"); sub != "" {
		// Only www., m., and two-letter country hosts (uk., de.) serve profiles.
		sub = strings.TrimSuffix(sub, ".")
		if sub != "www" && sub != "m" && !(len(sub) == 2 && isLetters(sub)) && !(len(sub) == 5 && sub[2] == '-' && isLetters(sub[:2])) {
			return nil, false
		}
	}
	var segs []string
	for _, raw := range strings.Split(path, "/") {
		if raw == "" {
			continue
		}
		seg, err := url.PathUnescape(raw)
		if err != nil || !utf8.ValidString(seg) {
			return nil, false
		}
		seg = strings.ToLower(strings.TrimSpace(seg))
		if seg == "" || strings.ContainsAny(seg, " /\\\t\n\r") {
			return nil, false
		}
		segs = append(segs, seg)
	}
	return segs, true
}

func isHex(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}
