package eval

import (
	"fmt"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// pick returns a random person index satisfying ok, or -1 after many tries.
func (g *generator) pick(ok func(i int) bool) int {
	for try := 0; try < 2000; try++ {
		i := g.r.IntN(len(g.people))
		if ok(i) {
			return i
		}
	}
	return -1
}

func (g *generator) companyOf(i int) *genCompany { return g.companies[g.employer[i]] }

// companyRequest fills a random company identifier of person i's employer.
func (g *generator) companyRequest(req *enrichd.MatchRequest, gc *genCompany) {
	switch g.r.IntN(3) {
	case 0:
		req.CompanyDomain = g.domainVariant(gc.c.Domain)
	case 1:
		req.CompanyName = gc.c.Name
	default:
		req.CompanyLinkedInURL = g.linkedInVariant(gc.c.LinkedInURL)
	}
}

func (g *generator) domainVariant(d string) string {
	switch g.r.IntN(4) {
	case 0:
		return "https://www." + d + "/"
	case 1:
		return strings.ToUpper(d)
	case 2:
		return "http://" + d + "/about"
	}
	return d
}

func (g *generator) linkedInVariant(u string) string {
	slug := u[strings.Index(u, ".com/")+5:]
	switch g.r.IntN(7) {
	case 0:
		return "linkedin.com/" + slug
	case 1:
		return "http://www.linkedin.com/" + slug + "/"
	case 2:
		return "https://uk.linkedin.com/" + slug + "?trk=public_profile"
	case 3:
		return "  HTTPS://WWW.LINKEDIN.COM/" + strings.ToUpper(slug) + "  "
	case 4:
		return "https://m.linkedin.com/" + slug + "/en"
	case 5:
		return "www.linkedin.com/" + slug + "#experience"
	}
	return u
}

func typo(r interface{ IntN(int) int }, s string) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	i := 1 + r.IntN(len(rs)-2)
	switch r.IntN(3) {
	case 0: // substitution
		rs[i] = rune("aeioulnrst"[r.IntN(10)])
	case 1: // deletion
		rs = append(rs[:i], rs[i+1:]...)
	default: // transposition
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	return string(rs)
}

func stripAccents(s string) string {
	// Keep case and spaces: a person typing without accents.
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		f := match.Fold(w)
		if f == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToUpper(f[:1]) + f[1:])
	}
	return b.String()
}

func sharesWord(a, b string) bool {
	for _, x := range strings.Fields(a) {
		for _, y := range strings.Fields(b) {
			if x == y && len(x) >= 3 {
				return true
			}
		}
	}
	return false
}

// similarCount counts the people who work or worked at company ci with a
// name similar to first+last.
func (g *generator) similarCount(ci int, first, last string) int {
	n := 0
	g.eachSimilar(ci, first, last, func() { n++ })
	return n
}

func (g *generator) nameAt(ci int, first, last string) bool {
	return g.similarCount(ci, first, last) > 0
}

// eachSimilar calls found for everyone who works or worked at company ci
// with a name a careful human could take for first+last (same, nickname, a
// one-typo spelling, a part of a compound name), so that "absent" queries
// are truly absent.
func (g *generator) eachSimilar(ci int, first, last string, found func()) {
	f, l := match.Fold(first), match.Fold(last)
	similar := func(p *enrichd.Person) bool {
		pf, pl := match.Fold(p.FirstName), match.Fold(p.LastName)
		lastSimilar := match.JaroWinkler(pl, l) >= 0.9 || sharesWord(pl, l)
		return lastSimilar && (match.IsNickname(pf, f) || match.JaroWinkler(pf, f) >= 0.9 || sharesWord(pf, f))
	}
	for _, i := range g.companies[ci].employees {
		if similar(g.people[i]) {
			found()
		}
	}
	for _, p := range g.people {
		if len(p.Employment) > 1 && p.Employment[1].CompanyDomain == g.companies[ci].c.Domain && similar(p) {
			found()
		}
	}
}

func (g *generator) query(kind string) (Query, bool) {
	q := Query{Kind: kind, Want: -1}
	any := func(int) bool { return true }
	nameReq := func(i int) enrichd.MatchRequest {
		p := g.people[i]
		return enrichd.MatchRequest{FirstName: p.FirstName, LastName: p.LastName}
	}
	switch kind {
	case KindLinkedIn:
		i := g.pick(func(i int) bool { return g.people[i].Social.LinkedInURL != "" })
		q.Want, q.Req = i, enrichd.MatchRequest{LinkedInURL: g.linkedInVariant(g.people[i].Social.LinkedInURL)}
	case KindEmail:
		i := g.pick(func(i int) bool { return len(g.people[i].Contact.BusinessEmails) > 0 })
		a := g.people[i].Contact.BusinessEmails[0].Address
		variants := []string{a, strings.ToUpper(a), "mailto:" + a, " " + a + " ", g.people[i].FullName + " <" + a + ">"}
		q.Want, q.Req = i, enrichd.MatchRequest{Email: variants[g.r.IntN(len(variants))]}
	case KindPersonalEmail:
		i := g.pick(func(i int) bool { return len(g.people[i].Contact.PersonalEmails) > 0 })
		a := g.people[i].Contact.PersonalEmails[0].Address
		if strings.HasSuffix(a, "@gmail.com") {
			local := strings.TrimSuffix(a, "@gmail.com")
			a = strings.ReplaceAll(local, ".", "") + "+crm@googlemail.com"
		} else {
			a = strings.ToUpper(a)
		}
		q.Want, q.Req = i, enrichd.MatchRequest{Email: a}
	case KindNameDomain, KindNameCompany, KindNameCompanyLI:
		i := g.pick(any)
		q.Want, q.Req = i, nameReq(i)
		gc := g.companyOf(i)
		switch kind {
		case KindNameDomain:
			q.Req.CompanyDomain = g.domainVariant(gc.c.Domain)
		case KindNameCompany:
			q.Req.CompanyName = gc.c.Name
		default:
			q.Req.CompanyLinkedInURL = g.linkedInVariant(gc.c.LinkedInURL)
		}
	case KindNickname:
		i := g.pick(func(i int) bool { return len(nicknames[g.people[i].FirstName]) > 0 })
		p := g.people[i]
		nn := nicknames[p.FirstName]
		q.Want, q.Req = i, enrichd.MatchRequest{FirstName: nn[g.r.IntN(len(nn))], LastName: p.LastName}
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindTypo:
		i := g.pick(func(i int) bool { return len([]rune(g.people[i].LastName)) >= 5 })
		q.Want, q.Req = i, nameReq(i)
		if g.r.IntN(3) == 0 && len([]rune(q.Req.FirstName)) >= 5 {
			q.Req.FirstName = typo(g.r, q.Req.FirstName)
		} else {
			q.Req.LastName = typo(g.r, q.Req.LastName)
		}
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindAccents:
		i := g.pick(func(i int) bool { p := g.people[i]; return !isASCII(p.FirstName + p.LastName) })
		p := g.people[i]
		q.Want, q.Req = i, enrichd.MatchRequest{FirstName: stripAccents(p.FirstName), LastName: stripAccents(p.LastName)}
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindLegalSuffix:
		i := g.pick(any)
		gc := g.companyOf(i)
		vs := legalVariants[gc.legal]
		name := strings.TrimSpace(gc.base + " " + vs[g.r.IntN(len(vs))])
		name = strings.ReplaceAll(name, " ,", ",")
		if g.r.IntN(3) == 0 {
			name = strings.ToUpper(name)
		}
		q.Want, q.Req = i, nameReq(i)
		q.Req.CompanyName = name
	case KindMiddleInitial:
		i := g.pick(any)
		p := g.people[i]
		mi := p.MiddleName
		if mi == "" {
			mi = string("ABCDEFGHJKLMNPRSTW"[g.r.IntN(18)])
		}
		q.Want, q.Req = i, enrichd.MatchRequest{FullName: p.FirstName + " " + mi + ". " + p.LastName}
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindReversed:
		i := g.pick(any)
		p := g.people[i]
		q.Want, q.Req = i, enrichd.MatchRequest{FullName: p.LastName + ", " + p.FirstName}
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindSameLastName:
		i := g.pick(func(i int) bool {
			for _, j := range g.companyOf(i).employees {
				if j != i && match.Fold(g.people[j].LastName) == match.Fold(g.people[i].LastName) && match.Fold(g.people[j].FirstName) != match.Fold(g.people[i].FirstName) {
					return true
				}
			}
			return false
		})
		if i < 0 {
			return q, false
		}
		q.Want, q.Req = i, nameReq(i)
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindNamesake:
		i := g.pick(func(i int) bool {
			for _, j := range g.names[match.Fold(g.people[i].FirstName)+"|"+match.Fold(g.people[i].LastName)] {
				if g.employer[j] != g.employer[i] {
					return true
				}
			}
			return false
		})
		if i < 0 {
			return q, false
		}
		q.Want, q.Req = i, nameReq(i)
		g.companyRequest(&q.Req, g.companyOf(i))
	case KindPastEmployer:
		// Only when nobody else at the past employer has a similar name:
		// otherwise the current employee is the better answer.
		i := g.pick(func(i int) bool {
			p := g.people[i]
			if len(p.Employment) < 2 {
				return false
			}
			for ci, gc := range g.companies {
				if gc.c.Domain == p.Employment[1].CompanyDomain {
					return g.similarCount(ci, p.FirstName, p.LastName) == 1
				}
			}
			return false
		})
		if i < 0 {
			return q, false
		}
		q.Want, q.Req = i, nameReq(i)
		q.Req.CompanyDomain = g.people[i].Employment[1].CompanyDomain
	case KindAbsent:
		ci := g.r.IntN(len(g.companies))
		for try := 0; try < 100; try++ {
			first, last := firstNames[g.zipf(len(firstNames))], lastNames[g.zipf(len(lastNames))]
			if g.nameAt(ci, first, last) {
				continue
			}
			q.Req = enrichd.MatchRequest{FirstName: first, LastName: last}
			g.companyRequest(&q.Req, g.companies[ci])
			if g.r.IntN(5) == 0 {
				q.Req = enrichd.MatchRequest{LinkedInURL: fmt.Sprintf("https://www.linkedin.com/in/%s-%x", strings.ReplaceAll(match.Fold(first+" "+last), " ", "-"), g.r.Uint64())}
			}
			return q, true
		}
		return q, false
	case KindAbsentNamesake:
		i := g.pick(any)
		p := g.people[i]
		for try := 0; try < 100; try++ {
			ci := g.r.IntN(len(g.companies))
			if ci == g.employer[i] || g.nameAt(ci, p.FirstName, p.LastName) || worked(p, g.companies[ci]) {
				continue
			}
			q.Req = nameReq(i)
			g.companyRequest(&q.Req, g.companies[ci])
			return q, true
		}
		return q, false
	case KindAbsentColleague:
		i := g.pick(any)
		ci := g.employer[i]
		for try := 0; try < 100; try++ {
			first := firstNames[g.zipf(len(firstNames))]
			if g.nameAt(ci, first, g.people[i].LastName) || match.IsNickname(match.Fold(first), match.Fold(g.people[i].FirstName)) {
				continue
			}
			q.Req = enrichd.MatchRequest{FirstName: first, LastName: g.people[i].LastName}
			g.companyRequest(&q.Req, g.companies[ci])
			return q, true
		}
		return q, false
	default:
		return q, false
	}
	return q, q.Want >= 0
}

func worked(p *enrichd.Person, gc *genCompany) bool {
	for _, e := range p.Employment {
		if e.CompanyDomain == gc.c.Domain {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
