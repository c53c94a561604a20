package match

import (
	"sort"
	"strings"

	"github.com/enrichd/enrichd"
)

// EmailPatterns are the address patterns the email finder recognises, most
// common first. {first} and {last} are the folded names, {f} and {l} their
// initials.
var EmailPatterns = []string{
	"{first}.{last}", "{f}{last}", "{first}", "{first}{last}", "{first}_{last}", "{f}.{last}",
	"{first}{l}", "{last}.{first}", "{last}{f}", "{last}", "{first}-{last}", "{last}{first}",
	"{f}{l}", "{first}.{l}", "{last}_{first}", "{last}.{f}", "{f}_{last}", "{f}-{last}",
}

// Compound given names ("Jean-Charles") are written in addresses whole with
// the hyphen, whole without it, or by the first part only.
const (
	compoundHyphen = "hyphen"
	compoundJoined = "joined"
	compoundFirst  = "first"
)

// namePart returns the address form of a name: folded, and for compound names
// rendered in the given style.
func namePart(s, style string) string {
	f := Fold(s)
	if !strings.Contains(f, " ") {
		return f
	}
	switch style {
	case compoundHyphen:
		return strings.ReplaceAll(f, " ", "-")
	case compoundFirst:
		return f[:strings.IndexByte(f, ' ')]
	}
	return strings.ReplaceAll(f, " ", "")
}

// RenderEmailPattern returns the local part that pattern gives for a name, or
// "" when the name lacks a part the pattern needs. style is how compound
// names are written ("hyphen", "joined" or "first"; "" means hyphen).
func RenderEmailPattern(pattern, first, last, style string) string {
	if style == "" {
		style = compoundHyphen
	}
	fp, lp := namePart(first, style), namePart(last, style)
	if strings.Contains(pattern, "{first}") || strings.Contains(pattern, "{f}") {
		if fp == "" {
			return ""
		}
	}
	if strings.Contains(pattern, "{last}") || strings.Contains(pattern, "{l}") {
		if lp == "" {
			return ""
		}
	}
	// NOTE: addresses are ASCII in practice; a name in another script has no
	// reliable transliteration here, so no guess is better than a wrong one.
	if !isPlainASCII(fp) || !isPlainASCII(lp) {
		return ""
	}
	// NOTE: replaced by hand: building a strings.Replacer per call cost more
	// than the rest of a name match's email guessing.
	var b strings.Builder
	b.Grow(len(pattern) + len(fp) + len(lp))
	for i := 0; i < len(pattern); {
		rest := pattern[i:]
		switch {
		case strings.HasPrefix(rest, "{first}"):
			b.WriteString(fp)
			i += len("{first}")
		case strings.HasPrefix(rest, "{last}"):
			b.WriteString(lp)
			i += len("{last}")
		case strings.HasPrefix(rest, "{f}"):
			b.WriteString(initial(fp))
			i += len("{f}")
		case strings.HasPrefix(rest, "{l}"):
			b.WriteString(initial(lp))
			i += len("{l}")
		default:
			b.WriteByte(pattern[i])
			i++
		}
	}
	return b.String()
}

// EmailPatternGuess is the inferred dominant address pattern at a domain.
type EmailPatternGuess struct {
	Pattern string // e.g. "{first}.{last}"
	// CompoundStyle is how the domain writes compound given names
	// ("hyphen", "joined", "first"), "" when no example was seen.
	CompoundStyle string
	Support       int     // addresses that follow Pattern
	Sample        int     // addresses whose pattern was recognised
	Confidence    float64 // probability that a new address follows Pattern
}

// InferEmailPattern finds the dominant address pattern among the stored
// emails at one domain, or returns ok=false when none is recognised. The
// confidence is the Laplace-smoothed share of recognised addresses that follow
// the pattern, so that one example gives 0.67 and twenty agreeing give 0.95.
func InferEmailPattern(emails []enrichd.NamedEmail) (EmailPatternGuess, bool) {
	counts := map[string]int{}
	styles := map[string]int{}
	sample := 0
	for _, e := range emails {
		a, ok := CleanEmail(e.Address)
		if !ok || e.FirstName == "" || e.LastName == "" {
			continue
		}
		local := a[:strings.IndexByte(a, '@')]
		compound := strings.Contains(Fold(e.FirstName), " ") || strings.Contains(Fold(e.LastName), " ")
		found := false
		for _, style := range []string{compoundHyphen, compoundJoined, compoundFirst} {
			for _, p := range EmailPatterns {
				if RenderEmailPattern(p, e.FirstName, e.LastName, style) == local {
					counts[p]++
					if compound {
						styles[style]++
					}
					found = true
					break
				}
			}
			if found || !compound {
				break
			}
		}
		if found {
			sample++
		}
	}
	if sample == 0 {
		return EmailPatternGuess{}, false
	}
	type kv struct {
		k string
		v int
	}
	var ranked []kv
	for k, v := range counts {
		ranked = append(ranked, kv{k, v})
	}
	order := map[string]int{}
	for i, p := range EmailPatterns {
		order[p] = i
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].v != ranked[j].v {
			return ranked[i].v > ranked[j].v
		}
		return order[ranked[i].k] < order[ranked[j].k]
	})
	g := EmailPatternGuess{Pattern: ranked[0].k, Support: ranked[0].v, Sample: sample}
	g.Confidence = float64(g.Support+1) / float64(g.Sample+2)
	best := 0
	for _, s := range []string{compoundHyphen, compoundJoined, compoundFirst} {
		if styles[s] > best {
			g.CompoundStyle, best = s, styles[s]
		}
	}
	return g, true
}
