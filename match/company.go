package match

import (
	"context"
	"sort"
	"strings"

	"github.com/enrichd/enrichd"
)

// companyCandidate is a company the request may mean, with the engine's
// belief that it is the one.
type companyCandidate struct {
	c     *enrichd.Company
	score float64 // probability-like, in [0, 1]
	how   string  // "domain", "linkedin", "name", "fuzzy_name"
}

// MatchCompany resolves a company by domain (or website URL, or an email at
// it), LinkedIn company URL or name. It returns the company and the engine's
// confidence in it. Returns EINVALID when q has nothing usable and ENOTFOUND
// when no company matches.
func (e *Engine) MatchCompany(ctx context.Context, q enrichd.CompanyQuery) (*enrichd.Company, float64, error) {
	var d, li string
	bad := map[string]string{}
	if s := strings.TrimSpace(q.Domain); s != "" {
		var ok bool
		if d, ok = RegistrableDomain(s); !ok {
			bad["domain"] = "not a valid domain or website URL"
		}
	}
	if s := strings.TrimSpace(q.LinkedInURL); s != "" {
		var ok bool
		if li, ok = CanonicalCompanyLinkedInURL(s); !ok {
			bad["linkedin_url"] = "not a LinkedIn company URL (e.g. https://www.linkedin.com/company/acme)"
		}
	}
	if len(bad) > 0 {
		return nil, 0, enrichd.InvalidFields("Some fields are invalid.", bad)
	}
	name := strings.TrimSpace(q.Name)
	if d == "" && li == "" && companyNameKey(name) == "" {
		return nil, 0, enrichd.Errorf(enrichd.EINVALID, "Give a company domain, LinkedIn company URL or name.")
	}
	cands, err := e.resolveCompanies(ctx, d, li, name)
	if err != nil {
		return nil, 0, err
	}
	if len(cands) == 0 {
		return nil, 0, enrichd.Errorf(enrichd.ENOTFOUND, "No company matches.")
	}
	return cands[0].c, cands[0].score, nil
}

// companiesByKeys is implemented by stores that return the companies under
// keys in one round trip (sqlite.CompanyService).
type companiesByKeys interface {
	FindCompaniesByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]*enrichd.Company, error)
}

// companyLookup is the store keys of a company query: exact ones (domain,
// LinkedIn URL, normalised name), then the fuzzy fallback key, if any.
type companyLookup struct {
	domain, li, name, nameKey string
	keys                      []string // exact keys, then fuzzy
	fuzzy                     string
}

func newCompanyLookup(domain, li, name string) *companyLookup {
	l := &companyLookup{domain: domain, li: li, name: name, nameKey: companyNameKey(name)}
	if domain != "" {
		l.keys = append(l.keys, KeyCompanyDomain+domain)
	}
	if li != "" {
		l.keys = append(l.keys, KeyCompanyLinkedIn+li)
	}
	if l.nameKey != "" {
		l.keys = append(l.keys, KeyCompanyName+l.nameKey)
	}
	if f := firstWord(NormalizeCompanyName(name)); f != "" && domain == "" && li == "" {
		l.fuzzy = KeyCompanyToken + f
		l.keys = append(l.keys, l.fuzzy)
	}
	return l
}

// exact returns the exact keys.
func (l *companyLookup) exact() []string {
	if l.fuzzy != "" {
		return l.keys[:len(l.keys)-1]
	}
	return l.keys
}

// resolveCompanies finds the companies a request may mean, best first: exact
// domain or LinkedIn matches, then normalised-name matches (several when the
// name is ambiguous), then, only when nothing exact matched, close spellings
// of the name found through its first word.
func (e *Engine) resolveCompanies(ctx context.Context, domain, li, name string) ([]companyCandidate, error) {
	return e.resolveLookup(ctx, newCompanyLookup(domain, li, name), nil)
}

// resolveLookup is resolveCompanies; exact, when not nil, holds the companies
// under l's exact keys, already read from the store (FindCompaniesByKeys):
// only the fuzzy fallback may then need a store call. exact is only given
// when e.companies implements companiesByKeys.
func (e *Engine) resolveLookup(ctx context.Context, l *companyLookup, exact map[string][]*enrichd.Company) ([]companyCandidate, error) {
	keys, fuzzy := l.keys, l.fuzzy
	domain, li, name, nameKey := l.domain, l.li, l.name, l.nameKey
	if len(keys) == 0 {
		return nil, nil
	}
	var hits map[string][]string
	var byID map[string]*enrichd.Company
	add := func(found map[string][]*enrichd.Company) {
		for k, cs := range found {
			for _, c := range cs {
				hits[k] = append(hits[k], c.ID)
				byID[c.ID] = c
			}
		}
	}
	if ck, ok := e.companies.(companiesByKeys); ok {
		// NOTE: the fuzzy key is only a fallback, so its companies are
		// loaded only when the exact keys found none.
		hits, byID = map[string][]string{}, map[string]*enrichd.Company{}
		var lists [][]string
		if exact != nil {
			add(exact)
			lists = [][]string{{fuzzy}}
		} else {
			lists = [][]string{l.exact(), {fuzzy}}
		}
		for _, ks := range lists {
			if len(byID) > 0 || len(ks) == 0 || ks[0] == "" {
				continue
			}
			found, err := ck.FindCompaniesByKeys(ctx, ks, 10)
			if err != nil {
				return nil, err
			}
			add(found)
		}
	} else {
		var err error
		if hits, err = e.companies.FindCompanyIDsByKeys(ctx, keys, 10); err != nil {
			return nil, err
		}
	}
	var ids []string
	seen := map[string]bool{}
	for _, k := range keys {
		if k == fuzzy && len(ids) > 0 {
			break // exact matches win; fuzzy only as a fallback
		}
		for _, id := range hits[k] {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > 10 {
		ids = ids[:10]
	}
	var cs []*enrichd.Company
	if byID != nil {
		for _, id := range ids {
			cs = append(cs, byID[id])
		}
	} else {
		var err error
		if cs, err = e.companies.FindCompaniesByIDs(ctx, ids); err != nil {
			return nil, err
		}
	}
	normName := NormalizeCompanyName(name)
	var out []companyCandidate
	for _, c := range cs {
		cc := companyCandidate{c: c}
		cd, _ := RegistrableDomain(c.Domain)
		cli := ""
		if li != "" { // NOTE: cli is only compared when the request has a LinkedIn URL
			cli, _ = CanonicalCompanyLinkedInURL(c.LinkedInURL)
		}
		domainAgree := domain != "" && (cd == domain || containsDomain(c.OtherDomains, domain))
		liAgree := li != "" && cli == li
		nameSim := 0.0
		if normName != "" {
			nameSim = max(JaroWinkler(normName, NormalizeCompanyName(c.Name)), JaroWinkler(normName, NormalizeCompanyName(c.LegalName)))
			if companyNameKey(c.Name) == nameKey || (c.LegalName != "" && companyNameKey(c.LegalName) == nameKey) {
				nameSim = 1
			}
		}
		switch {
		case domainAgree && liAgree:
			cc.score, cc.how = 0.999, "domain"
		case domainAgree:
			cc.score, cc.how = 0.99, "domain"
			if li != "" && cli != "" {
				cc.score = 0.7 // the LinkedIn page says otherwise
			}
		case liAgree:
			cc.score, cc.how = 0.99, "linkedin"
			if domain != "" && cd != "" {
				cc.score = 0.7
			}
		case nameSim == 1:
			cc.score, cc.how = 0.9, "name"
			if domain != "" && cd != "" || li != "" && cli != "" {
				cc.score = 0.2 // same name, different identifiers: a namesake company
			}
		case nameSim >= 0.92:
			cc.score, cc.how = 0.6, "fuzzy_name"
		default:
			continue
		}
		out = append(out, cc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	// Several companies with the same name share the belief.
	if len(out) > 1 && out[0].how == "name" {
		n := 0
		for _, c := range out {
			if c.how == "name" {
				n++
			}
		}
		for i := range out {
			if out[i].how == "name" {
				out[i].score /= float64(n)
			}
		}
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return out, nil
}

func containsDomain(ds []string, d string) bool {
	for _, x := range ds {
		if rd, ok := RegistrableDomain(x); ok && rd == d {
			return true
		}
	}
	return false
}

// companyRefs returns the references under which people at c are keyed.
func companyRefs(c *enrichd.Company) []string {
	var refs []string
	if d, ok := RegistrableDomain(c.Domain); ok {
		refs = append(refs, refDomain+d)
	}
	if c.ID != "" {
		refs = append(refs, refID+c.ID)
	}
	if n := companyNameKey(c.Name); n != "" {
		refs = append(refs, refName+n)
	}
	return refs
}
