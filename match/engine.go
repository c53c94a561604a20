package match

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
)

// Engine defaults.
const (
	// DefaultMinConfidence is the threshold at which the engine's answer is a
	// match for callers that need a yes/no (the eval's "default threshold").
	// The engine itself drops only candidates below the request's MinConfidence.
	DefaultMinConfidence = 0.5
	// noiseFloor drops candidates so unlikely that listing them is noise.
	noiseFloor = 0.001
	// maxCandidates bounds how many people are loaded and scored per request;
	// minLoaded is how many are loaded even when each was found by one key only.
	maxCandidates = 24
	minLoaded     = 8
	// blockLimit bounds the ids read per blocking key.
	blockLimit = 50
	// cacheTTL bounds how stale cached name frequencies, the store size and
	// email patterns may be. NOTE: these only tune weights and guesses, never
	// which records exist, so several nodes caching independently stay correct.
	cacheTTL = 10 * time.Minute

	// patternSample is how many stored addresses at a domain its address
	// pattern is inferred from.
	patternSample = 24
	// maxCacheEntries bounds memory; the cache is dropped whole when full.
	maxCacheEntries = 200_000
)

// Engine finds people and companies in the store (enrichd.Matcher).
//
// NOTE (strategy, issue 3): a request is normalised; its company is resolved
// by domain, LinkedIn company URL or name (several candidates when ambiguous);
// candidates come from the union of several blocking keys (identifiers,
// company + phonetic last name, company + initial + last name, company +
// nickname root, likely addresses at the company domain, place + phonetic last
// name); each candidate is scored field by field Fellegi–Sunter style with
// term-frequency adjustment; the weights become a posterior that shares belief
// among near-equal candidates (ambiguity lowers every one of them), and a
// calibration table learnt on labelled data maps that to a probability that
// means what it says. The engine never scans: every store call is by key.
type Engine struct {
	people    enrichd.PersonService
	companies enrichd.CompanyService
	keyer     *Keyer
	calib     Calibration
	now       func() time.Time

	mu       sync.Mutex
	counts   map[string]cachedInt
	patterns map[string]cachedPattern
	nPeople  cachedInt
}

type cachedInt struct {
	n   int
	exp time.Time
}

type cachedPattern struct {
	g   EmailPatternGuess
	ok  bool
	exp time.Time
}

var _ enrichd.Matcher = (*Engine)(nil)

// peopleByKeys is implemented by stores that return the people under keys in
// one round trip (sqlite.PersonService): an identifier match then costs one
// store call instead of two.
type peopleByKeys interface {
	FindPeopleByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]*enrichd.Person, error)
}

// peopleAndCompaniesByKeys is implemented by stores that return the people
// under some keys and the companies under others in one round trip
// (sqlite.PersonService): FindPeopleByKeys and FindCompaniesByKeys at once,
// on the same store as the engine's companies.
type peopleAndCompaniesByKeys interface {
	FindPeopleAndCompaniesByKeys(ctx context.Context, personKeys []string, personLimit int, companyKeys []string, companyLimit int) (map[string][]*enrichd.Person, map[string][]*enrichd.Company, error)
}

// NewEngine returns an Engine over the store's people and companies, using
// keyer's key scheme (the one the store was indexed with).
func NewEngine(people enrichd.PersonService, companies enrichd.CompanyService, keyer *Keyer) *Engine {
	if keyer == nil {
		keyer = NewKeyer()
	}
	return &Engine{
		people: people, companies: companies, keyer: keyer,
		calib:    DefaultCalibration,
		now:      time.Now,
		counts:   map[string]cachedInt{},
		patterns: map[string]cachedPattern{},
	}
}

// SetCalibration replaces the map from raw posterior to confidence. A nil
// Calibration reports each candidate's raw, unshared posterior instead of a
// confidence: the input for fitting a new table (FitCalibration).
func (e *Engine) SetCalibration(c Calibration) { e.calib = c }

// MatchPerson returns the people req may describe, best first, with
// calibrated confidences. A miss is a Match with no Candidates. Returns
// EINVALID, with per-field problems, when a given identifier is malformed or
// when req has no usable identifier (a name needs a company, a business email
// domain or a city).
func (e *Engine) MatchPerson(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
	q, err := newQuery(req)
	if err != nil {
		return nil, err
	}
	hasID := q.linkedIn != "" || q.email != "" || q.phone != ""
	if !hasID {
		switch {
		case q.firstTok == "" && q.lastTok == "" && !q.hasCompany():
			return nil, enrichd.Errorf(enrichd.EINVALID, "Give a LinkedIn URL, an email, a phone, or a name with a company.")
		case q.lastTok == "" || q.firstTok == "":
			return nil, enrichd.InvalidFields("A name needs both a first and a last name.", map[string]string{"name": "first and last name required"})
		case !q.hasCompany() && q.city == "":
			return nil, enrichd.InvalidFields("A name alone is not enough: add a company (domain, LinkedIn URL or name) or a city.", map[string]string{"company": "required with a name"})
		}
	}
	topK := req.TopK
	if topK <= 0 {
		topK = 1
	}
	m := &enrichd.Match{}

	sc := &scoreContext{q: q}
	var found map[string][]*enrichd.Person // people under the identifier keys, when read with the companies
	if q.hasCompany() {
		cq := q.companyQuery()
		l := newCompanyLookup(cq.Domain, cq.LinkedInURL, cq.Name)
		var exact map[string][]*enrichd.Company
		if idKeys := q.idKeys(); len(idKeys) > 0 && !q.hasName() && len(l.exact()) > 0 {
			// NOTE: identifiers only (e.g. a business email, whose domain
			// names the company): the candidates do not depend on the
			// company, so read both in one store call, and score as before.
			pc, ok1 := e.people.(peopleAndCompaniesByKeys)
			_, ok2 := e.companies.(companiesByKeys)
			if ok1 && ok2 {
				found, exact, err = pc.FindPeopleAndCompaniesByKeys(ctx, idKeys, maxCandidates, l.exact(), 10)
				if err != nil {
					return nil, fmt.Errorf("find candidates: %w", err)
				}
			}
		}
		sc.companies, err = e.resolveLookup(ctx, l, exact)
		if err != nil {
			return nil, fmt.Errorf("resolve company: %w", err)
		}
		if len(sc.companies) > 0 {
			m.Company, m.CompanyConfidence = sc.companies[0].c, sc.companies[0].score
		}
	}

	ids, loaded, err := e.candidates(ctx, q, sc.companies, found)
	if err != nil {
		return nil, err
	}
	var scoredList []scored
	if len(ids) > 0 {
		people := loaded
		if people == nil {
			people, err = e.people.FindPeopleByIDs(ctx, ids)
		}
		if err != nil {
			return nil, fmt.Errorf("load candidates: %w", err)
		}
		if err := e.loadFrequencies(ctx, sc); err != nil {
			return nil, err
		}
		for _, p := range people {
			scoredList = append(scoredList, sc.score(p))
		}
	}
	m.Candidates = e.rank(scoredList, sc.nPeople, topK, req.MinConfidence, req.Explain)

	if g := e.guessEmail(ctx, q, m); g != nil {
		m.GuessedEmail = g
	}
	return m, nil
}

// candidates returns the ids of the people found under the request's keys,
// those found by identifiers first, then by how many keys found them, and,
// when the store could load them with the look-up, the people, aligned with
// the ids (else nil). found,
// when not nil, holds the people under the identifier keys of a request
// without a name, already read (FindPeopleAndCompaniesByKeys).
func (e *Engine) candidates(ctx context.Context, q *query, companies []companyCandidate, found map[string][]*enrichd.Person) ([]string, []*enrichd.Person, error) {
	var blockKeys []string
	idKeys := q.idKeys()
	if q.hasName() {
		refs := map[string]bool{}
		var domains []string
		addDomain := func(d string) {
			if d != "" && !refs[refDomain+d] {
				refs[refDomain+d] = true
				domains = append(domains, d)
			}
		}
		addDomain(q.domain)
		addDomain(q.emailDomain)
		if q.companyKey != "" && len(companies) == 0 && len(domains) == 0 {
			refs[refName+q.companyKey] = true
		}
		for _, c := range companies {
			// NOTE: stores fill a linked job's domain from its company, so
			// people at a company with a domain are keyed by it; the id and
			// name forms are only needed for companies without one.
			if d, ok := RegistrableDomain(c.c.Domain); ok {
				addDomain(d)
				continue
			}
			for _, r := range companyRefs(c.c) {
				refs[r] = true
			}
		}
		blockKeys = nameBlockingKeys(q, refs)
		// The likely address at the company's domain (its dominant pattern)
		// finds people whose name is spelt differently in the store but
		// whose address is stored.
		for i, d := range domains {
			if i == 2 {
				break
			}
			if g, ok := e.emailPattern(ctx, d, nil); ok {
				if local := RenderEmailPattern(g.Pattern, q.displayFirst, q.displayLast, g.CompoundStyle); local != "" {
					blockKeys = append(blockKeys, KeyEmail+local+"@"+d)
				}
			}
		}
	}
	if len(idKeys)+len(blockKeys) == 0 {
		return nil, nil, nil
	}
	if pk, ok := e.people.(peopleByKeys); found != nil || ok && len(blockKeys) == 0 {
		// Identifiers only: few people, so look up and load them at once.
		if found == nil {
			var err error
			if found, err = pk.FindPeopleByKeys(ctx, dedupe(idKeys), maxCandidates); err != nil {
				return nil, nil, fmt.Errorf("find candidates: %w", err)
			}
		}
		ids, people := identifierCandidates(idKeys, found)
		return ids, people, nil
	}
	keys := append(append([]string{}, idKeys...), blockKeys...)
	hits, err := e.people.FindPersonIDsByKeys(ctx, dedupe(keys), blockLimit)
	if err != nil {
		return nil, nil, fmt.Errorf("find candidates: %w", err)
	}
	type cand struct {
		id    string
		ident bool
		n     int
	}
	byID := map[string]*cand{}
	var order []*cand
	for i, k := range keys {
		for _, id := range hits[k] {
			c := byID[id]
			if c == nil {
				c = &cand{id: id}
				byID[id] = c
				order = append(order, c)
			}
			c.n++
			if i < len(idKeys) || strings.HasPrefix(k, KeyEmail) {
				c.ident = true
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].ident != order[j].ident {
			return order[i].ident
		}
		return order[i].n > order[j].n
	})
	// NOTE: loading and decoding a candidate costs more than finding it, so
	// only the best-supported ones are loaded: every identifier hit and
	// every candidate found by two or more keys, then single-key hits up to
	// a small cap.
	limit := 0
	for _, c := range order {
		if c.ident || c.n >= 2 || limit < minLoaded {
			limit++
		}
	}
	order = order[:min(limit, len(order), maxCandidates)]
	ids := make([]string, len(order))
	for i, c := range order {
		ids[i] = c.id
	}
	return ids, nil, nil
}

// identifierCandidates orders the people found under identity keys as
// candidates does (every one is an identifier hit): by how many keys found
// them, then in the order of keys, at most maxCandidates; it returns their
// ids and the people, aligned.
//
// NOTE: a handful of people, so slices and linear searches rather than the
// maps of the general path: an identifier match's whole Go side is a few µs.
func identifierCandidates(keys []string, found map[string][]*enrichd.Person) ([]string, []*enrichd.Person) {
	var people []*enrichd.Person
	var n []int
	for _, k := range keys {
		for _, p := range found[k] {
			i := slices.IndexFunc(people, func(q *enrichd.Person) bool { return q.ID == p.ID })
			if i < 0 {
				people, n = append(people, p), append(n, 0)
				i = len(people) - 1
			}
			n[i]++
		}
	}
	if len(people) == 0 {
		return nil, nil
	}
	if len(people) > 1 {
		idx := make([]int, len(people))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return n[idx[a]] > n[idx[b]] })
		sorted := make([]*enrichd.Person, len(people))
		for i, j := range idx {
			sorted[i] = people[j]
		}
		people = sorted
	}
	people = people[:min(len(people), maxCandidates)]
	ids := make([]string, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	return ids, people
}

// nameBlockingKeys returns the name keys of a request at each company
// reference, mirroring Keyer.PersonBlockingKeys, with the name also tried
// swapped and, for compound surnames, by each part.
func nameBlockingKeys(q *query, refs map[string]bool) []string {
	lasts := []string{q.lastTok}
	for _, part := range strings.Fields(q.last) {
		if len(part) >= 3 && !particles[part] && part != q.lastTok {
			lasts = append(lasts, part)
		}
	}
	nicks := nicknameQueryNames(firstWord(q.first))
	var keys []string
	sortedRefs := make([]string, 0, len(refs))
	for r := range refs {
		sortedRefs = append(sortedRefs, r)
	}
	sort.Strings(sortedRefs)
	for _, ref := range sortedRefs {
		for _, l := range lasts {
			if sx := Soundex(l); sx != "" {
				keys = append(keys, KeyCompanyPhonetic+ref+"|"+sx)
			}
			keys = append(keys, KeyCompanyInitial+ref+"|"+initial(q.firstTok)+"|"+l)
		}
		// Swapped first and last name.
		keys = append(keys, KeyCompanyInitial+ref+"|"+initial(q.lastTok)+"|"+q.firstTok)
		for _, n := range nicks {
			keys = append(keys, KeyCompanyNick+ref+"|"+n)
		}
	}
	if q.city != "" {
		if sx := Soundex(q.lastTok); sx != "" {
			keys = append(keys, KeyPlacePhonetic+q.countryCode+"|"+q.city+"|"+sx)
		}
		if sx := Soundex(q.firstTok); sx != "" {
			keys = append(keys, KeyPlacePhonetic+q.countryCode+"|"+q.city+"|"+sx)
		}
	}
	return keys
}

func dedupe(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// loadFrequencies fills the store size, the query's name frequencies and the
// number of stored people at its company, from the cache when fresh.
func (e *Engine) loadFrequencies(ctx context.Context, sc *scoreContext) error {
	q := sc.q
	var keys []string
	if q.firstTok != "" && q.lastTok != "" {
		keys = append(keys, KeyFirstName+q.firstTok, KeyLastName+q.lastTok)
	}
	var ccKeys []string
	for _, r := range sc.companyRefs() {
		ccKeys = append(ccKeys, KeyCurrentCompany+r)
	}
	keys = append(keys, ccKeys...)

	now := e.now()
	counts := make(map[string]int, len(keys))
	var missing []string
	e.mu.Lock()
	n, nOK := e.nPeople, e.nPeople.exp.After(now)
	for _, k := range keys {
		if c, ok := e.counts[k]; ok && c.exp.After(now) {
			counts[k] = c.n
		} else {
			missing = append(missing, k)
		}
	}
	e.mu.Unlock()

	if !nOK {
		total, err := e.people.CountPeople(ctx)
		if err != nil {
			return fmt.Errorf("count people: %w", err)
		}
		n = cachedInt{n: total, exp: now.Add(time.Minute)}
	}
	if len(missing) > 0 {
		got, err := e.people.CountKeys(ctx, missing)
		if err != nil {
			return fmt.Errorf("count keys: %w", err)
		}
		e.mu.Lock()
		if len(e.counts) > maxCacheEntries {
			e.counts = map[string]cachedInt{}
		}
		for _, k := range missing {
			counts[k] = got[k]
			e.counts[k] = cachedInt{n: got[k], exp: now.Add(cacheTTL)}
		}
		e.mu.Unlock()
	}
	e.mu.Lock()
	e.nPeople = n
	e.mu.Unlock()

	sc.nPeople = float64(max(n.n, 1))
	if q.firstTok != "" && q.lastTok != "" {
		sc.firstFreq = float64(max(counts[KeyFirstName+q.firstTok], 1)) / sc.nPeople
		sc.lastFreq = float64(max(counts[KeyLastName+q.lastTok], 1)) / sc.nPeople
	}
	for _, k := range ccKeys {
		sc.companyCount = max(sc.companyCount, counts[k])
	}
	return nil
}

// rank turns weights into calibrated confidences. Each candidate's odds are
// its likelihood ratio times the prior 1/N that a given person is the one;
// the calibration table maps each candidate's own posterior to a probability;
// then the candidates share belief as rival explanations of one request:
// confidence_i = o_i / (1 + Σ o_j) with o = p/(1−p), so that two near-equal
// candidates both get low confidence instead of both looking certain.
func (e *Engine) rank(list []scored, n float64, topK int, minConf float64, explain bool) []enrichd.Candidate {
	if len(list) == 0 {
		return nil
	}
	logPrior := -math.Log2(max(n, 1))
	odds := make([]float64, len(list))
	sum := 0.0
	for i, s := range list {
		// The candidate's own posterior, computed stably in log space.
		lo := s.weight + logPrior
		alone := 1 / (1 + math.Exp2(-lo))
		if e.calib == nil {
			odds[i] = alone // raw mode (for fitting a calibration): no sharing
			continue
		}
		p := min(max(e.calib.Apply(alone), 1e-9), maxConfidence)
		odds[i] = p / (1 - p)
		sum += odds[i]
	}
	out := make([]enrichd.Candidate, 0, len(list))
	for i, s := range list {
		conf := odds[i]
		if e.calib != nil {
			conf = odds[i] / (1 + sum)
			// A lone candidate keeps its calibrated probability exactly.
			if len(list) == 1 {
				conf = odds[i] / (1 + odds[i])
			}
		}
		if conf < max(minConf, noiseFloor) {
			continue
		}
		c := enrichd.Candidate{Person: s.p, Confidence: conf, MatchedOn: s.matchedOn}
		if explain {
			c.Evidence = s.evidence
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Confidence > out[j].Confidence })
	if len(out) > topK {
		out = out[:topK]
	}
	return out
}

// guessEmail returns a guessed business address when the request has a name
// and a company domain, and neither the matched person nor anyone has a
// stored business address for it, using the domain's dominant pattern.
func (e *Engine) guessEmail(ctx context.Context, q *query, m *enrichd.Match) *enrichd.GuessedEmail {
	if !q.hasName() {
		return nil
	}
	domain := q.domain
	if domain == "" && m.Company != nil && m.CompanyConfidence >= DefaultMinConfidence {
		domain, _ = RegistrableDomain(m.Company.Domain)
	}
	if domain == "" || IsFreeEmail(domain) {
		return nil
	}
	// The matched person's stored name spells the address better than the request.
	first, last := q.displayFirst, q.displayLast
	if b := m.Best(); b != nil && b.Confidence >= DefaultMinConfidence {
		for _, em := range b.Person.Contact.BusinessEmails {
			if em.Status != enrichd.StatusGuessed && EmailDomain(em.Address) != "" {
				if rd, ok := RegistrableDomain(em.Address); ok && rd == domain {
					return nil // a stored address beats a guess
				}
			}
		}
		n := personName(b.Person.FirstName, b.Person.MiddleName, b.Person.LastName, b.Person.FullName)
		first, last = n.First, n.Last
	}
	g, ok := e.emailPattern(ctx, domain, m.Company)
	if !ok {
		return nil
	}
	local := RenderEmailPattern(g.Pattern, first, last, g.CompoundStyle)
	if local == "" {
		return nil
	}
	return &enrichd.GuessedEmail{Address: local + "@" + domain, Pattern: g.Pattern, Confidence: math.Round(g.Confidence*1000) / 1000, Status: enrichd.StatusGuessed}
}

// emailPattern returns the dominant address pattern at domain, inferred from
// the stored addresses (cached), or the company's recorded pattern.
func (e *Engine) emailPattern(ctx context.Context, domain string, c *enrichd.Company) (EmailPatternGuess, bool) {
	now := e.now()
	e.mu.Lock()
	cp, ok := e.patterns[domain]
	e.mu.Unlock()
	if ok && cp.exp.After(now) {
		return cp.g, cp.ok
	}
	// NOTE: two dozen real addresses show a domain's dominant pattern as
	// well as hundreds do, and every domain not seen before costs a read
	// of that many people (two thirds of a cold name match when 200 were
	// asked for).
	emails, err := e.companies.FindEmailsAtDomain(ctx, domain, patternSample)
	var g EmailPatternGuess
	found := false
	if err == nil {
		g, found = InferEmailPattern(emails)
	}
	if !found && c != nil && c.EmailPattern != "" {
		if d, _ := RegistrableDomain(c.Domain); d == domain {
			g, found = EmailPatternGuess{Pattern: c.EmailPattern, Confidence: 0.7}, true
		}
	}
	if err != nil {
		return g, found // do not cache a store failure
	}
	e.mu.Lock()
	if len(e.patterns) > maxCacheEntries {
		e.patterns = map[string]cachedPattern{}
	}
	e.patterns[domain] = cachedPattern{g: g, ok: found, exp: now.Add(cacheTTL)}
	e.mu.Unlock()
	return g, found
}
