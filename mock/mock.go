// Package mock has function-field mocks of the root service interfaces, for
// testing a package without the real store, engine or accounts.
package mock

import (
	"context"
	"time"

	"github.com/enrichd/enrichd"
)

var (
	_ enrichd.PersonService  = (*PersonService)(nil)
	_ enrichd.CompanyService = (*CompanyService)(nil)
	_ enrichd.Matcher        = (*Matcher)(nil)
	_ enrichd.AccountService = (*AccountService)(nil)
	_ enrichd.Limiter        = (*Limiter)(nil)
	_ enrichd.IngestService  = (*IngestService)(nil)
)

// PersonService mocks enrichd.PersonService.
type PersonService struct {
	FindPersonByIDFn      func(ctx context.Context, id string) (*enrichd.Person, error)
	FindPeopleByIDsFn     func(ctx context.Context, ids []string) ([]*enrichd.Person, error)
	FindPersonIDsByKeysFn func(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error)
	CountKeysFn           func(ctx context.Context, keys []string) (map[string]int, error)
	CountPeopleFn         func(ctx context.Context) (int, error)
	SearchPeopleFn        func(ctx context.Context, s enrichd.PersonSearch) (*enrichd.PersonPage, error)
}

func (s *PersonService) FindPersonByID(ctx context.Context, id string) (*enrichd.Person, error) {
	return s.FindPersonByIDFn(ctx, id)
}
func (s *PersonService) FindPeopleByIDs(ctx context.Context, ids []string) ([]*enrichd.Person, error) {
	return s.FindPeopleByIDsFn(ctx, ids)
}
func (s *PersonService) FindPersonIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	return s.FindPersonIDsByKeysFn(ctx, keys, limitPerKey)
}
func (s *PersonService) CountKeys(ctx context.Context, keys []string) (map[string]int, error) {
	return s.CountKeysFn(ctx, keys)
}
func (s *PersonService) CountPeople(ctx context.Context) (int, error) { return s.CountPeopleFn(ctx) }
func (s *PersonService) SearchPeople(ctx context.Context, q enrichd.PersonSearch) (*enrichd.PersonPage, error) {
	return s.SearchPeopleFn(ctx, q)
}

// CompanyService mocks enrichd.CompanyService.
type CompanyService struct {
	FindCompanyByIDFn      func(ctx context.Context, id string) (*enrichd.Company, error)
	FindCompaniesByIDsFn   func(ctx context.Context, ids []string) ([]*enrichd.Company, error)
	FindCompanyIDsByKeysFn func(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error)
	FindEmailsAtDomainFn   func(ctx context.Context, domain string, limit int) ([]enrichd.NamedEmail, error)
}

func (s *CompanyService) FindCompanyByID(ctx context.Context, id string) (*enrichd.Company, error) {
	return s.FindCompanyByIDFn(ctx, id)
}
func (s *CompanyService) FindCompaniesByIDs(ctx context.Context, ids []string) ([]*enrichd.Company, error) {
	return s.FindCompaniesByIDsFn(ctx, ids)
}
func (s *CompanyService) FindCompanyIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	return s.FindCompanyIDsByKeysFn(ctx, keys, limitPerKey)
}
func (s *CompanyService) FindEmailsAtDomain(ctx context.Context, domain string, limit int) ([]enrichd.NamedEmail, error) {
	return s.FindEmailsAtDomainFn(ctx, domain, limit)
}

// IngestService mocks enrichd.IngestService.
type IngestService struct {
	IngestFn func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error)
}

func (s *IngestService) Ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	return s.IngestFn(ctx, batch)
}

// Matcher mocks enrichd.Matcher.
type Matcher struct {
	MatchPersonFn  func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error)
	MatchCompanyFn func(ctx context.Context, q enrichd.CompanyQuery) (*enrichd.Company, float64, error)
}

func (m *Matcher) MatchPerson(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
	return m.MatchPersonFn(ctx, req)
}
func (m *Matcher) MatchCompany(ctx context.Context, q enrichd.CompanyQuery) (*enrichd.Company, float64, error) {
	return m.MatchCompanyFn(ctx, q)
}

// AccountService mocks enrichd.AccountService.
type AccountService struct {
	CreateAPIKeyFn   func(ctx context.Context, name string, plan enrichd.Plan, credits int64, expiresAt *time.Time) (*enrichd.APIKey, string, error)
	AuthenticateFn   func(ctx context.Context, secret string) (*enrichd.APIKey, error)
	ChargeFn         func(ctx context.Context, c enrichd.Charge) (int64, error)
	GrantFn          func(ctx context.Context, keyID string, credits int64, note string) (int64, error)
	FindAPIKeysFn    func(ctx context.Context) ([]*enrichd.APIKey, error)
	FindAPIKeyByIDFn func(ctx context.Context, id string) (*enrichd.APIKey, error)
	RevokeAPIKeyFn   func(ctx context.Context, id string) error
	UpdatePlanFn     func(ctx context.Context, id string, plan enrichd.Plan) error
	UsageFn          func(ctx context.Context, keyID string, since time.Time) ([]enrichd.Charge, error)
}

func (s *AccountService) CreateAPIKey(ctx context.Context, name string, plan enrichd.Plan, credits int64, expiresAt *time.Time) (*enrichd.APIKey, string, error) {
	return s.CreateAPIKeyFn(ctx, name, plan, credits, expiresAt)
}
func (s *AccountService) Authenticate(ctx context.Context, secret string) (*enrichd.APIKey, error) {
	return s.AuthenticateFn(ctx, secret)
}
func (s *AccountService) Charge(ctx context.Context, c enrichd.Charge) (int64, error) {
	return s.ChargeFn(ctx, c)
}
func (s *AccountService) Grant(ctx context.Context, keyID string, credits int64, note string) (int64, error) {
	return s.GrantFn(ctx, keyID, credits, note)
}
func (s *AccountService) FindAPIKeys(ctx context.Context) ([]*enrichd.APIKey, error) {
	return s.FindAPIKeysFn(ctx)
}
func (s *AccountService) FindAPIKeyByID(ctx context.Context, id string) (*enrichd.APIKey, error) {
	return s.FindAPIKeyByIDFn(ctx, id)
}
func (s *AccountService) RevokeAPIKey(ctx context.Context, id string) error {
	return s.RevokeAPIKeyFn(ctx, id)
}
func (s *AccountService) UpdatePlan(ctx context.Context, id string, plan enrichd.Plan) error {
	return s.UpdatePlanFn(ctx, id, plan)
}
func (s *AccountService) Usage(ctx context.Context, keyID string, since time.Time) ([]enrichd.Charge, error) {
	return s.UsageFn(ctx, keyID, since)
}

// Limiter mocks enrichd.Limiter.
type Limiter struct {
	AllowFn func(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error)
}

func (l *Limiter) Allow(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
	return l.AllowFn(ctx, key)
}
