package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/storeplan"
	"github.com/jackc/pgx/v5"
)

var _ enrichd.CompanyService = (*CompanyService)(nil)

// CompanyService reads companies from PostgreSQL.
type CompanyService struct {
	db *DB
}

// NewCompanyService returns a CompanyService over db.
func NewCompanyService(db *DB) *CompanyService { return &CompanyService{db: db} }

// FindCompanyByID returns the company. Returns ENOTFOUND if there is none.
func (s *CompanyService) FindCompanyByID(ctx context.Context, id string) (*enrichd.Company, error) {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, `SELECT doc FROM companies WHERE id = $1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Company %q not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find company %s: %w", id, FormatError(err))
	}
	return decodeCompany(doc)
}

// FindCompaniesByIDs returns the companies that exist among ids, in the order of ids.
func (s *CompanyService) FindCompaniesByIDs(ctx context.Context, ids []string) ([]*enrichd.Company, error) {
	docs, err := findDocs(ctx, s.db.pool, `SELECT id, doc FROM companies WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("find companies: %w", err)
	}
	out := make([]*enrichd.Company, 0, len(docs))
	for _, id := range ids {
		if doc, ok := docs[id]; ok {
			c, err := decodeCompany(doc)
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
	return findIDsByKeys(ctx, s.db.pool, "company_keys", "company_id", keys, limitPerKey)
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
	// NOTE: a person may hold several addresses at the domain, or only
	// excluded ones, so read a quarter and four more people than addresses
	// wanted.
	rows, err := s.db.pool.Query(ctx, `SELECT p.doc FROM person_keys k JOIN people p ON p.id = k.person_id WHERE k.key = $1 ORDER BY k.person_id LIMIT $2`, key, limit+limit/4+4)
	if err != nil {
		return nil, fmt.Errorf("find emails at domain: %w", FormatError(err))
	}
	defer rows.Close()
	var out []enrichd.NamedEmail
	for rows.Next() && len(out) < limit {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		p, err := decodePerson(doc)
		if err != nil {
			return nil, err
		}
		out = storeplan.AppendEmailsAt(out, p, dom, limit)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find emails at domain: %w", FormatError(err))
	}
	return out, nil
}
