// Package memstore is an in-memory store of people and companies indexed by a
// match.Keyer. It implements enrichd.PersonService and enrichd.CompanyService
// for the matching engine's tests and for `enrichd eval`, which must not need
// a database. It keeps everything in maps and is safe for concurrent use; it
// is not a production store (no persistence, no search).
package memstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/storeplan"
	"github.com/enrichd/enrichd/match"
)

// Store holds people and companies and their key indexes.
type Store struct {
	keyer *match.Keyer

	mu          sync.RWMutex
	people      map[string]*enrichd.Person
	companies   map[string]*enrichd.Company
	personKeys  map[string][]string // key -> person ids
	companyKeys map[string][]string // key -> company ids
	byDomain    map[string][]string // email domain -> person ids
	seq         int
}

var (
	_ enrichd.PersonService  = (*Store)(nil)
	_ enrichd.CompanyService = (*Store)(nil)
)

// New returns an empty Store indexed with keyer.
func New(keyer *match.Keyer) *Store {
	return &Store{
		keyer:       keyer,
		people:      map[string]*enrichd.Person{},
		companies:   map[string]*enrichd.Company{},
		personKeys:  map[string][]string{},
		companyKeys: map[string][]string{},
		byDomain:    map[string][]string{},
	}
}

func (s *Store) newID(kind string) string {
	s.seq++
	h := sha256.Sum256([]byte(kind + ":" + itoa(s.seq)))
	return hex.EncodeToString(h[:8])
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// Add stores a person and, when given, their current employer: the company
// merges with an existing one by identity key (else is created) and is linked
// from the person's current job; the person replaces an existing one with a
// shared identity key (else is created). It returns the person's id, or
// EINVALID when the person has no identity key.
func (s *Store) Add(p *enrichd.Person, c *enrichd.Company) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c != nil {
		cid := s.addCompanyLocked(c)
		if j := p.CurrentJob(); j != nil {
			j.CompanyID = cid
			if j.CompanyDomain == "" {
				j.CompanyDomain = c.Domain
			}
		}
	}
	if p == nil {
		return "", nil
	}
	idKeys := s.keyer.PersonIdentityKeys(p)
	if len(idKeys) == 0 {
		return "", enrichd.Errorf(enrichd.EINVALID, "person has no identifier")
	}
	id := ""
	for _, k := range idKeys {
		if ids := s.personKeys[k]; len(ids) > 0 {
			id = ids[0]
			break
		}
	}
	if id != "" {
		s.unindexPersonLocked(id)
	} else {
		id = s.newID("p")
	}
	p.ID = id
	s.people[id] = p
	for _, k := range append(idKeys, s.keyer.PersonBlockingKeys(p)...) {
		s.personKeys[k] = append(s.personKeys[k], id)
	}
	for _, d := range emailDomains(p) {
		s.byDomain[d] = append(s.byDomain[d], id)
	}
	return id, nil
}

// AddCompany stores a company on its own, merging by identity key, and returns its id.
func (s *Store) AddCompany(c *enrichd.Company) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCompanyLocked(c)
}

func (s *Store) addCompanyLocked(c *enrichd.Company) string {
	keys := s.keyer.CompanyIdentityKeys(c)
	for _, k := range keys {
		for _, id := range s.companyKeys[k] {
			// NOTE: a shared name does not merge companies whose domains differ.
			if old := s.companies[id]; strings.HasPrefix(k, match.KeyCompanyName) && old.Domain != "" && c.Domain != "" && !strings.EqualFold(old.Domain, c.Domain) {
				continue
			}
			c.ID = id
			return id
		}
	}
	c.ID = s.newID("c")
	s.companies[c.ID] = c
	for _, k := range append(keys, s.keyer.CompanyBlockingKeys(c)...) {
		s.companyKeys[k] = append(s.companyKeys[k], c.ID)
	}
	return c.ID
}

func emailDomains(p *enrichd.Person) []string {
	var out []string
	for _, e := range p.Contact.BusinessEmails {
		if d := match.EmailDomain(e.Address); d != "" && !containsString(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Store) unindexPersonLocked(id string) {
	old := s.people[id]
	if old == nil {
		return
	}
	for _, d := range emailDomains(old) {
		ids := s.byDomain[d]
		for i, x := range ids {
			if x == id {
				s.byDomain[d] = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
	}
	for _, k := range append(s.keyer.PersonIdentityKeys(old), s.keyer.PersonBlockingKeys(old)...) {
		ids := s.personKeys[k]
		for i, x := range ids {
			if x == id {
				ids = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(s.personKeys, k)
		} else {
			s.personKeys[k] = ids
		}
	}
}

// KeyRows returns the number of (key, person) index rows, for reporting.
func (s *Store) KeyRows() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, ids := range s.personKeys {
		n += len(ids)
	}
	return n
}

// FindPersonByID returns the person or ENOTFOUND.
func (s *Store) FindPersonByID(ctx context.Context, id string) (*enrichd.Person, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p, ok := s.people[id]; ok {
		return p, nil
	}
	return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Person not found.")
}

// FindPeopleByIDs returns the people that exist among ids, in order.
func (s *Store) FindPeopleByIDs(ctx context.Context, ids []string) ([]*enrichd.Person, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*enrichd.Person, 0, len(ids))
	for _, id := range ids {
		if p, ok := s.people[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// FindPersonIDsByKeys returns the ids under each key, at most limitPerKey each.
func (s *Store) FindPersonIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return lookup(s.personKeys, keys, limitPerKey), nil
}

// CountKeys returns how many people each key indexes.
func (s *Store) CountKeys(ctx context.Context, keys []string) (map[string]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]int{}
	for _, k := range keys {
		if n := len(s.personKeys[k]); n > 0 {
			out[k] = n
		}
	}
	return out, nil
}

// CountPeople returns the number of people.
func (s *Store) CountPeople(ctx context.Context) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.people), nil
}

// SearchPeople is not offered by the in-memory store.
func (s *Store) SearchPeople(ctx context.Context, q enrichd.PersonSearch) (*enrichd.PersonPage, error) {
	return nil, enrichd.Errorf(enrichd.ENOTIMPLEMENTED, "The in-memory store does not search.")
}

// FindCompanyByID returns the company or ENOTFOUND.
func (s *Store) FindCompanyByID(ctx context.Context, id string) (*enrichd.Company, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c, ok := s.companies[id]; ok {
		return c, nil
	}
	return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Company not found.")
}

// FindCompaniesByIDs returns the companies that exist among ids, in order.
func (s *Store) FindCompaniesByIDs(ctx context.Context, ids []string) ([]*enrichd.Company, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*enrichd.Company, 0, len(ids))
	for _, id := range ids {
		if c, ok := s.companies[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// FindCompanyIDsByKeys returns the company ids under each key.
func (s *Store) FindCompanyIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return lookup(s.companyKeys, keys, limitPerKey), nil
}

// FindEmailsAtDomain returns up to limit stored, non-guessed business
// addresses at domain with their owners' names.
func (s *Store) FindEmailsAtDomain(ctx context.Context, domain string, limit int) ([]enrichd.NamedEmail, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []enrichd.NamedEmail
	_, dom := storeplan.EmailDomainKey(domain)
	for _, id := range s.byDomain[strings.ToLower(domain)] {
		p := s.people[id]
		for _, e := range p.Contact.BusinessEmails {
			// The stores' rule: guessed and invalid addresses never teach a pattern.
			if !storeplan.UsableEmailAt(e.Address, e.Status, dom) {
				continue
			}
			out = append(out, enrichd.NamedEmail{Address: e.Address, FirstName: p.FirstName, LastName: p.LastName})
			if len(out) >= limit {
				return out, nil
			}
		}
	}
	return out, nil
}

func lookup(index map[string][]string, keys []string, limit int) map[string][]string {
	out := map[string][]string{}
	for _, k := range keys {
		ids := index[k]
		if len(ids) == 0 {
			continue
		}
		if limit > 0 && len(ids) > limit {
			ids = ids[:limit]
		}
		out[k] = append([]string(nil), ids...)
	}
	return out
}
