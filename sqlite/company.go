package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/storeplan"
)

var _ enrichd.CompanyService = (*CompanyService)(nil)

// CompanyService reads companies from SQLite.
type CompanyService struct {
	db     *DB
	cache  *docCache[enrichd.Company] // decoded documents, see docCache
	people *docCache[enrichd.Person]
}

// NewCompanyService returns a CompanyService over db.
func NewCompanyService(db *DB) *CompanyService {
	return &CompanyService{db: db, cache: newDocCache(companyCacheSize, decodeCompany, cloneCompany), people: newDocCache(personCacheSize/4, decodePerson, clonePerson)}
}

// FindCompanyByID returns the company. Returns ENOTFOUND if there is none.
func (s *CompanyService) FindCompanyByID(ctx context.Context, id string) (*enrichd.Company, error) {
	docs, err := s.db.findDocsByIDs(ctx, "companies", []string{id})
	if err != nil {
		return nil, fmt.Errorf("find company %s: %w", id, FormatError(err))
	}
	doc, ok := docs[id]
	if !ok {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Company %q not found.", id)
	}
	return s.cache.get(doc)
}

// FindCompaniesByIDs returns the companies that exist among ids, in the order of ids.
func (s *CompanyService) FindCompaniesByIDs(ctx context.Context, ids []string) ([]*enrichd.Company, error) {
	docs, err := s.db.findDocs(ctx, "companies", ids)
	if err != nil {
		return nil, fmt.Errorf("find companies: %w", err)
	}
	out := make([]*enrichd.Company, 0, len(docs))
	for _, id := range ids {
		if doc, ok := docs[id]; ok {
			c, err := s.cache.get(doc)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// FindCompanyIDsByKeys returns, for each key that indexes at least one
// company, the ids of the companies under it, at most limitPerKey each
// (DefaultLimitPerKey when limitPerKey <= 0), in id order.
func (s *CompanyService) FindCompanyIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	return s.db.findIDsByKeys(ctx, "company_keys", "company_id", keys, limitPerKey)
}

// textValue is a TEXT column's value as readRows gives it.
func textValue(v driver.Value) string {
	s, _ := v.(string)
	return s
}

// FindEmailsAtDomain returns up to limit stored business addresses whose
// registrable domain is domain, with their owners' names. Guessed and invalid
// addresses are left out: pattern inference must learn from real addresses
// only, never from its own guesses.
//
// NOTE: ingest indexes every person under a store key per business-email
// domain (storeplan.EmailDomainKey), so this is one index range, never a scan.
// People whose employer is at domain but whose stored addresses are elsewhere
// add nothing to a pattern at domain, so the email domain alone decides.
func (s *CompanyService) FindEmailsAtDomain(ctx context.Context, domain string, limit int) ([]enrichd.NamedEmail, error) {
	key, dom := storeplan.EmailDomainKey(domain)
	if key == "" {
		return nil, enrichd.Errorf(enrichd.EINVALID, "Invalid domain %q.", domain)
	}
	if limit <= 0 {
		limit = DefaultLimitPerKey
	}
	// NOTE: SQLite's JSON functions pick the names and addresses out of
	// each document: decoding whole documents in Go, most of them never
	// used again, cost ~2/3 of a name match at a domain not seen before
	// (BenchmarkFuzzyMix). A person may hold several addresses at the
	// domain, or only excluded ones, so read a quarter and four more people
	// than addresses wanted.
	var out []enrichd.NamedEmail
	err := s.db.readRows(ctx, `SELECT
	coalesce(p.doc ->> '$.first_name', ''), coalesce(p.doc ->> '$.last_name', ''),
	coalesce(e.value ->> '$.address', ''), coalesce(e.value ->> '$.status', '')
FROM (SELECT person_id FROM person_keys WHERE key = ? ORDER BY person_id LIMIT ?) k
JOIN people p ON p.id = k.person_id, json_each(p.doc, '$.contact.business_emails') e
ORDER BY k.person_id, e.id`, []driver.Value{key, int64(limit + limit/4 + 4)}, func(row []driver.Value) error {
		if len(out) == limit {
			return nil
		}
		e := enrichd.NamedEmail{FirstName: textValue(row[0]), LastName: textValue(row[1]), Address: textValue(row[2])}
		if storeplan.UsableEmailAt(e.Address, textValue(row[3]), dom) {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find emails at domain: %w", err)
	}
	return out, nil
}
