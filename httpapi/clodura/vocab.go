package clodura

import (
	"strings"

	"github.com/enrichd/enrichd"
)

// Clodura's seniority vocabulary. The doc's examples name "Entry Level",
// "Manager" and "Director"; the rest of the ladder follows the same style.
const (
	seniorityCLevel   = "C-Level"
	seniorityVP       = "VP"
	seniorityDirector = "Director"
	seniorityManager  = "Manager"
	senioritySenior   = "Senior"
	seniorityMid      = "Mid Level"
	seniorityEntry    = "Entry Level"
)

// titleLevels maps title words to a Clodura level, most senior first; the
// first rule whose word occurs in the title wins.
var titleLevels = []struct {
	words []string
	level string
}{
	{[]string{"chief", "ceo", "cto", "cfo", "coo", "cmo", "cio", "ciso", "cpo", "cro", "president", "founder", "owner"}, seniorityCLevel},
	{[]string{"vp", "svp", "evp", "vice president"}, seniorityVP},
	{[]string{"director", "head"}, seniorityDirector},
	{[]string{"manager", "mgr"}, seniorityManager},
	{[]string{"senior", "sr", "principal", "staff", "lead"}, senioritySenior},
	{[]string{"intern", "trainee", "junior", "jr", "graduate", "apprentice", "entry"}, seniorityEntry},
}

// fromFourLevels maps enrichd's four-level seniority to Clodura's.
var fromFourLevels = map[string]string{
	enrichd.SeniorityExecutive: seniorityCLevel,
	enrichd.SenioritySenior:    senioritySenior,
	enrichd.SeniorityMid:       seniorityMid,
	enrichd.SeniorityJunior:    seniorityEntry,
}

// senioritySignal returns the person's Clodura seniority: from the title's
// words when they are telling, else from the stored four-level seniority;
// "" when neither says anything.
func senioritySignal(p *enrichd.Person, job *enrichd.Employment) string {
	title := p.Title
	if title == "" && job != nil {
		title = job.Title
	}
	words := titleWords(title)
	for _, rule := range titleLevels {
		for _, w := range rule.words {
			if containsWords(words, w) {
				return rule.level
			}
		}
	}
	s := p.Seniority
	if s == "" && job != nil {
		s = job.Seniority
	}
	if s != "" {
		return fromFourLevels[s]
	}
	if title != "" {
		// A plain individual-contributor title ("Software Engineer") is what
		// Clodura's own example labels Entry Level.
		return seniorityEntry
	}
	return ""
}

// functionalAreas returns the person's departments, as stored, else the
// current job's department; never nil.
func functionalAreas(p *enrichd.Person, job *enrichd.Employment) []string {
	out := make([]string, 0, len(p.Departments)+1)
	for _, d := range p.Departments {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, titleCase(d))
		}
	}
	if len(out) == 0 && job != nil && strings.TrimSpace(job.Department) != "" {
		out = append(out, titleCase(strings.TrimSpace(job.Department)))
	}
	return out
}

// titleCase upper-cases the first letter of each word ("engineering" → "Engineering")
// and leaves acronyms such as "HR" alone.
func titleCase(s string) string {
	b := []byte(s)
	start := true
	for i, c := range b {
		if start && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		start = c == ' ' || c == '-' || c == '/' || c == '&'
	}
	return string(b)
}

// titleWords lower-cases a title and splits it into words.
func titleWords(title string) []string {
	return strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// containsWords reports whether phrase (one or more words) occurs in words.
func containsWords(words []string, phrase string) bool {
	want := strings.Fields(phrase)
	for i := 0; i+len(want) <= len(words); i++ {
		ok := true
		for j, w := range want {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
