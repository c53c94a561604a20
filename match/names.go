package match

import (
	"strings"
	"unicode"
)

// Name is a person's name split into parts, each in display form (accents
// and case kept, honorifics and generational suffixes removed).
type Name struct {
	First  string
	Middle string
	Last   string
	Suffix string // e.g. "Jr", "III", "PhD"
}

// honorifics are dropped from the front of a name (folded forms).
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true,
	"professor": true, "sir": true, "dame": true, "lord": true, "lady": true, "rev": true,
	"reverend": true, "fr": true, "herr": true, "frau": true, "mme": true, "mlle": true, "m": true,
	"sr": true, "sra": true, "srta": true, "don": false, "hon": true, "capt": true, "col": true,
	"gen": true, "sgt": true, "eng": true, "ing": true, "dipl": true, "mag": true,
}

// suffixes are dropped from the end of a name (folded forms) and kept in Name.Suffix.
var suffixes = map[string]bool{
	"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "v": false, "phd": true, "md": true,
	"mba": true, "cpa": true, "esq": true, "pmp": true, "cfa": true, "dds": true, "jd": true,
	"rn": true, "msc": true, "bsc": true, "ma": true, "ba": true, "pe": true, "dphil": true,
	"frcs": true, "obe": true, "mbe": true, "cbe": true, "kc": true, "qc": true, "2nd": true, "3rd": true,
}

// particles start compound surnames: "van der Berg", "de la Cruz".
var particles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "del": true, "della": true,
	"da": true, "das": true, "dos": true, "di": true, "du": true, "la": true, "le": true,
	"ter": true, "ten": true, "bin": true, "binti": true, "ibn": true, "al": true, "el": true,
	"y": true, "st": true, "mac": false,
}

// ParseName splits a full name as people type it: "Dr. Jane A. Doe-Smith, PhD",
// "Doe, Jane", "Ludwig van Beethoven", "José María García Márquez". Quoted or
// bracketed nicknames ("William 'Bill' Gates") are dropped. A single word is
// taken as a last name only if nothing else is known, so it is returned as First.
func ParseName(full string) Name {
	full = strings.TrimSpace(stripBracketed(full))
	var n Name
	// "Last, First Middle" unless what follows the comma is only suffixes.
	if i := strings.IndexByte(full, ','); i >= 0 {
		head, tail := strings.TrimSpace(full[:i]), strings.TrimSpace(full[i+1:])
		if allSuffixes(tail) {
			n.Suffix = tidySuffix(tail)
			full = head
		} else if head != "" && tail != "" {
			// The tail may itself end in ", Jr".
			if j := strings.IndexByte(tail, ','); j >= 0 {
				if allSuffixes(tail[j+1:]) {
					n.Suffix = tidySuffix(tail[j+1:])
				}
				tail = tail[:j]
			}
			parts := dropHonorifics(strings.Fields(tail))
			n.Last = strings.Join(strings.Fields(head), " ")
			if len(parts) > 0 {
				n.First = parts[0]
				n.Middle = strings.Join(parts[1:], " ")
			}
			return n
		}
	}
	parts := dropHonorifics(strings.Fields(full))
	for len(parts) > 1 {
		last := Fold(parts[len(parts)-1])
		if !suffixes[last] {
			break
		}
		n.Suffix = strings.TrimSpace(n.Suffix + " " + tidySuffix(parts[len(parts)-1]))
		parts = parts[:len(parts)-1]
	}
	switch len(parts) {
	case 0:
		return n
	case 1:
		n.First = parts[0]
		return n
	}
	n.First = parts[0]
	// The surname starts at the first particle after the first name, or is
	// the last word.
	start := len(parts) - 1
	for i := 1; i < len(parts)-1; i++ {
		if particles[Fold(parts[i])] {
			start = i
			break
		}
	}
	n.Middle = strings.Join(parts[1:start], " ")
	n.Last = strings.Join(parts[start:], " ")
	return n
}

func stripBracketed(s string) string {
	if !strings.ContainsAny(s, "\"“”(") && !strings.Contains(s, " '") {
		return s
	}
	var b strings.Builder
	depth := 0
	inQuote := rune(0)
	prev := ' '
	for _, r := range s {
		switch {
		case inQuote != 0:
			if r == inQuote || (inQuote == '“' && r == '”') {
				inQuote = 0
			}
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth > 0:
		case r == '"' || r == '“':
			inQuote = r
		case r == '\'' && unicode.IsSpace(prev):
			// A quote after a space opens a nickname; an apostrophe inside a
			// word (O'Brien) does not.
			inQuote = '\''
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func dropHonorifics(parts []string) []string {
	for len(parts) > 1 && honorifics[Fold(parts[0])] {
		parts = parts[1:]
	}
	return parts
}

func allSuffixes(s string) bool {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(f) == 0 {
		return false
	}
	for _, w := range f {
		if !suffixes[Fold(w)] {
			return false
		}
	}
	return true
}

func tidySuffix(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer(",", " ", ".", "").Replace(s)), " ")
}

// CleanGivenName removes honorifics and stray punctuation from a first name
// given on its own ("Dr. Jane" → "Jane").
func CleanGivenName(s string) string {
	parts := dropHonorifics(strings.Fields(stripBracketed(s)))
	return strings.Join(parts, " ")
}

// CleanFamilyName removes generational suffixes and credentials from a last
// name given on its own ("Doe Jr." → "Doe").
func CleanFamilyName(s string) string {
	s = stripBracketed(s)
	if i := strings.IndexByte(s, ','); i > 0 && allSuffixes(s[i+1:]) {
		s = s[:i]
	}
	parts := strings.Fields(s)
	for len(parts) > 1 && suffixes[Fold(parts[len(parts)-1])] {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, " ")
}

// personName returns the first, middle and last name of a record or request,
// preferring explicit parts and falling back to parsing the full name.
func personName(first, middle, last, full string) Name {
	first, last = CleanGivenName(first), CleanFamilyName(last)
	if first == "" && last == "" {
		return ParseName(full)
	}
	n := Name{First: first, Middle: strings.TrimSpace(middle), Last: last}
	if n.Middle == "" {
		// "Jane A." as a first name carries a middle initial.
		if f := strings.Fields(first); len(f) == 2 && len(Fold(f[1])) == 1 {
			n.First, n.Middle = f[0], f[1]
		}
	}
	if (n.First == "" || n.Last == "") && full != "" {
		p := ParseName(full)
		if n.First == "" {
			n.First = p.First
		}
		if n.Last == "" {
			n.Last = p.Last
		}
	}
	return n
}

// NormalizeCompanyName returns a company name's comparison form: folded, "&"
// spelled "and", a leading "The" and trailing legal forms ("Inc.", "GmbH",
// "S.A. de C.V.", "Pty Ltd") removed. "The Coca-Cola Company" → "coca cola".
func NormalizeCompanyName(s string) string { return companyNames.get(s) }

// companyNames memoises NormalizeCompanyName (folding, legal forms).
var companyNames = newMemo(normalizeCompanyName)

func normalizeCompanyName(s string) string {
	toks := strings.Fields(foldCompany(s))
	if len(toks) > 1 && toks[0] == "the" {
		toks = toks[1:]
	}
	d := loadRefData()
	// Strip legal forms from the end (at most three, e.g. "GmbH & Co. KG").
	for round := 0; round < 3 && len(toks) > 1; round++ {
		stripped := false
		for k := min(d.legalMaxTokens, len(toks)-1); k >= 1; k-- {
			if d.legalForms[strings.Join(toks[len(toks)-k:], " ")] {
				toks = toks[:len(toks)-k]
				stripped = true
				break
			}
		}
		for len(toks) > 1 && toks[len(toks)-1] == "and" {
			toks = toks[:len(toks)-1]
		}
		if !stripped {
			break
		}
	}
	return strings.Join(toks, " ")
}

// companyNameKey is the key form of a company name: normalised, without spaces,
// so that "Face Book" and "Facebook" meet.
func companyNameKey(s string) string {
	return strings.ReplaceAll(NormalizeCompanyName(s), " ", "")
}

// nicknameKeys returns the names a stored given name is indexed under: the
// name itself when it is a given name in the data or unknown, else the given
// names it is short for (at most three).
func nicknameKeys(folded string) []string {
	d := loadRefData()
	if d.isRoot[folded] || len(d.rootsOf[folded]) == 0 {
		return []string{folded}
	}
	r := d.rootsOf[folded]
	if len(r) > 3 {
		r = r[:3]
	}
	return r
}

// nicknameQueryNames returns the names to look a queried given name up under,
// so that it meets every stored nickname key of an equivalent name.
func nicknameQueryNames(folded string) []string {
	d := loadRefData()
	out := []string{folded}
	out = append(out, d.rootsOf[folded]...)
	for _, c := range d.childrenOf[folded] {
		if d.isRoot[c] {
			out = append(out, c)
		}
	}
	if len(out) > 12 {
		out = out[:12]
	}
	return out
}

// IsNickname reports whether two folded given names are the same name in
// different forms ("bob" and "robert", "bill" and "william", "bob" and "rob").
// NOTE: two names count through a shared full form only when that form is
// at least as long as both ("bob"/"rob" via "robert"), because the nickname
// list also links full names through a short form ("robert" and "william"
// are both listed under "bill").
func IsNickname(a, b string) bool {
	if a == b {
		return true
	}
	d := loadRefData()
	ra, rb := d.rootsOf[a], d.rootsOf[b]
	if contains(ra, b) || contains(rb, a) {
		return true
	}
	for _, x := range ra {
		if len(x) >= len(a) && len(x) >= len(b) && contains(rb, x) {
			return true
		}
	}
	return false
}
