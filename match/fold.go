package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// specialFolds maps letters that have no decomposition to their usual ASCII
// spelling, so that "Søren", "Łukasz" and "Straße" compare with their
// transliterations.
var specialFolds = map[rune]string{
	'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'ŧ': "t", 'ĸ': "k", 'ŋ': "n",
}

// Fold returns s in its comparison form: Unicode NFKC, lower case, accents
// removed, apostrophes and dots dropped ("O'Brien" → "obrien"), every other
// run of non-letters and non-digits turned into one space. Display keeps the
// original; only comparisons and keys use the folded form.
func Fold(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s)
	}
	// Invalid bytes would stop normalisation of what follows them.
	s = norm.NFD.String(norm.NFKC.String(strings.ToValidUTF8(s, " ")))
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '\'' || r == '’' || r == '‘' || r == '.' || r == 'ʼ' || r == '`' || r == '´':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if f, ok := specialFolds[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '.' || c == '`':
			continue
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// foldToken folds s and removes the spaces, so that "Jean-Charles",
// "Jean Charles" and "jeancharles" are one token.
func foldToken(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "")
}

// foldCompany folds a company name, spelling "&" and "+" as "and".
func foldCompany(s string) string {
	if strings.ContainsAny(s, "&+") {
		s = strings.NewReplacer("&", " and ", "+", " and ").Replace(s)
	}
	return Fold(s)
}
