package native_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/searchql"
)

// Test keys: each secret selects a plan or a failure in the mock accounts.
const (
	keyGood     = "ek_test_good"     // 100 credits, every API
	keyPoor     = "ek_test_poor"     // 0 credits
	keyTwo      = "ek_test_two"      // 2 credits
	keyCrust    = "ek_test_crust"    // plan allows only the crustdata API
	keyNoSearch = "ek_test_nosearch" // plan denies native:person/search
	keyBasic    = "ek_test_basic"    // plan without field permissions: no contact, certifications or honors
	keyLimited  = "ek_test_limited"  // over its rate limit
)

var fixedTime = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// Jane is a fully populated person, as a store would return her.
func Jane() *enrichd.Person {
	return &enrichd.Person{
		ID: "a1b2c3d4e5f60718", FullName: "Jane Doe", FirstName: "Jane", LastName: "Doe",
		Headline: "VP Engineering at Acme", Title: "VP Engineering", Seniority: enrichd.SeniorityExecutive,
		Departments: []string{"Engineering"},
		Location:    enrichd.Location{Raw: "Copenhagen, Denmark", City: "Copenhagen", Country: "Denmark", CountryCode: "DK", Continent: "Europe"},
		Languages:   []string{"English", "Danish"},
		Skills:      []string{"Go", "Distributed systems"},
		Employment: []enrichd.Employment{
			{CompanyID: "c0ffee0000000001", CompanyName: "Acme", CompanyDomain: "acme.com", CompanyLinkedInURL: "https://www.linkedin.com/company/acme", Title: "VP Engineering", Seniority: enrichd.SeniorityExecutive, Department: "Engineering", Start: "2021-03", Current: true},
			{CompanyName: "Globex", CompanyDomain: "globex.com", Title: "Senior Engineer", Start: "2016", End: "2021-02"},
		},
		Education:      []enrichd.Education{{School: "DTU", Degree: "MSc", Field: "Computer Science", Start: "2010", End: "2015"}},
		Certifications: []enrichd.Certification{{Name: "CKA", IssuingOrganization: "CNCF", IssueDate: "2020-05"}},
		Honors:         []enrichd.Honor{{Title: "Engineer of the Year", Issuer: "Acme", IssuedDate: "2023"}},
		Contact: enrichd.Contact{
			BusinessEmails: []enrichd.Email{{Address: "jane.doe@acme.com", Status: enrichd.StatusVerified, Source: "crm.csv"}},
			Phones:         []enrichd.Phone{{Number: "+4512345678", Type: "mobile", Status: enrichd.StatusVerified}},
		},
		Social:      enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/janedoe", GitHub: "janedoe"},
		Connections: 500, Followers: 1200,
		Sources:   []enrichd.Provenance{{Source: "crm.csv", RecordID: "crm.csv:2", SeenAt: fixedTime}},
		CreatedAt: fixedTime, UpdatedAt: fixedTime,
	}
}

// John is a namesake candidate.
func John(id, company string) *enrichd.Person {
	return &enrichd.Person{
		ID: id, FullName: "John Smith", FirstName: "John", LastName: "Smith", Title: "Account Executive",
		Employment: []enrichd.Employment{{CompanyName: company, Title: "Account Executive", Current: true}},
		UpdatedAt:  fixedTime,
	}
}

// Acme is the company the mocks resolve.
func Acme() *enrichd.Company {
	return &enrichd.Company{
		ID: "c0ffee0000000001", Name: "Acme", Domain: "acme.com", LinkedInURL: "https://www.linkedin.com/company/acme",
		Industry: "Software", EmployeeRange: "51-200", EmployeeCount: 120, FoundedYear: 2009,
		HQ: enrichd.Location{City: "Copenhagen", Country: "Denmark", CountryCode: "DK"}, EmailPattern: "{first}.{last}",
	}
}

// Matcher returns a mock engine with canned answers keyed on the request.
func Matcher() *mock.Matcher {
	return &mock.Matcher{
		MatchPersonFn: func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
			switch {
			case req.Email == "jane.doe@acme.com" || req.LinkedInURL == "https://www.linkedin.com/in/janedoe":
				on := enrichd.MatchOnEmail
				if req.LinkedInURL != "" {
					on = enrichd.MatchOnLinkedIn
				}
				return &enrichd.Match{Candidates: []enrichd.Candidate{{Person: Jane(), Confidence: 0.99, MatchedOn: on,
					Evidence: []enrichd.Evidence{{Field: on, Level: "exact", Weight: 18.5}}}}, Company: Acme(), CompanyConfidence: 0.98}, nil
			case req.FirstName == "John" && req.LastName == "Smith":
				cands := []enrichd.Candidate{
					{Person: John("0000000000000a01", "Acme"), Confidence: 0.62, MatchedOn: enrichd.MatchOnName,
						Evidence: []enrichd.Evidence{{Field: "last_name", Level: "exact", Weight: 4.1}, {Field: "company", Level: "exact", Weight: 6.2}}},
					{Person: John("0000000000000a02", "Acme"), Confidence: 0.31, MatchedOn: enrichd.MatchOnName,
						Evidence: []enrichd.Evidence{{Field: "last_name", Level: "exact", Weight: 4.1}, {Field: "title", Level: "conflict", Weight: -2.0, Detail: "Account Executive vs Engineer"}}},
					{Person: John("0000000000000a03", "Acme"), Confidence: 0.05, MatchedOn: enrichd.MatchOnName},
				}
				if req.MinConfidence > 0 {
					kept := cands[:0]
					for _, c := range cands {
						if c.Confidence >= req.MinConfidence {
							kept = append(kept, c)
						}
					}
					cands = kept
				}
				return &enrichd.Match{Candidates: cands, Company: Acme(), CompanyConfidence: 0.9}, nil
			case req.FirstName == "Ann" && req.LastName == "Lee":
				return &enrichd.Match{Company: Acme(), CompanyConfidence: 0.97,
					GuessedEmail: &enrichd.GuessedEmail{Address: "ann.lee@acme.com", Pattern: "{first}.{last}", Confidence: 0.87, Status: enrichd.StatusGuessed}}, nil
			case req.Email == "boom@acme.com":
				return nil, fmt.Errorf("find person ids: %w", fmt.Errorf("sqlite: disk I/O error"))
			case req.Email == "down@acme.com":
				return nil, enrichd.Errorf(enrichd.EUNAVAILABLE, "The store is unavailable; retry shortly.")
			case req.FullName != "" && req.CompanyName == "" && req.CompanyDomain == "" && req.CompanyLinkedInURL == "":
				return nil, enrichd.InvalidFields("A name alone is not enough to identify a person; add a company.",
					map[string]string{"company_name": "required with a name and no other identifier"})
			}
			return &enrichd.Match{}, nil
		},
		MatchCompanyFn: func(ctx context.Context, q enrichd.CompanyQuery) (*enrichd.Company, float64, error) {
			if q.Domain == "acme.com" || q.LinkedInURL == "https://www.linkedin.com/company/acme" || strings.EqualFold(q.Name, "acme") {
				return Acme(), 0.98, nil
			}
			return nil, 0, enrichd.Errorf(enrichd.ENOTFOUND, "No company matches.")
		},
	}
}

// Accounts is a mock account service with the test keys and a ledger.
type Accounts struct {
	mock.AccountService
	mu       sync.Mutex
	balances map[string]int64
	Ledger   []enrichd.Charge
}

// NewAccounts returns the accounts of the test keys.
func NewAccounts() *Accounts {
	a := &Accounts{balances: map[string]int64{
		keyGood: 100, keyPoor: 0, keyTwo: 2, keyCrust: 100, keyNoSearch: 100, keyBasic: 100, keyLimited: 100,
	}}
	a.AuthenticateFn = func(ctx context.Context, secret string) (*enrichd.APIKey, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		bal, ok := a.balances[secret]
		if !ok {
			return nil, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Invalid API key.")
		}
		k := &enrichd.APIKey{ID: "key_" + strings.TrimPrefix(secret, "ek_test_"), Name: secret, Balance: bal, Plan: enrichd.DefaultPlan()}
		switch secret {
		case keyCrust:
			k.Plan.APIs = []string{enrichd.APICrustdata}
		case keyNoSearch:
			k.Plan.DeniedEndpoints = []string{"native:person/search"}
		case keyBasic:
			k.Plan.FieldPermissions = nil
		}
		return k, nil
	}
	a.ChargeFn = func(ctx context.Context, c enrichd.Charge) (int64, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		secret := "ek_test_" + strings.TrimPrefix(c.KeyID, "key_")
		if a.balances[secret] < c.Credits {
			return 0, enrichd.Errorf(enrichd.EPAYMENT, "Insufficient credits.")
		}
		a.balances[secret] -= c.Credits
		c.CreatedAt = fixedTime
		a.Ledger = append(a.Ledger, c)
		return a.balances[secret], nil
	}
	return a
}

// Limiter limits only keyLimited.
func Limiter() *mock.Limiter {
	return &mock.Limiter{AllowFn: func(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
		st := enrichd.RateState{Limit: 60, Remaining: 59, Reset: fixedTime.Add(time.Minute)}
		if key.Name == keyLimited {
			st.Remaining = 0
			return st, &enrichd.Error{Code: enrichd.ERATELIMIT, Message: "Rate limit exceeded: 60 requests per minute.", RetryAfter: 12 * time.Second}
		}
		return st, nil
	}}
}

// People is a mock store whose search returns Jane and John, or is not
// implemented yet, as the real stores are until the search issue lands.
func People(implemented bool) *mock.PersonService {
	return &mock.PersonService{SearchPeopleFn: func(ctx context.Context, s enrichd.PersonSearch) (*enrichd.PersonPage, error) {
		if !implemented {
			return nil, enrichd.Errorf(enrichd.ENOTIMPLEMENTED, "Person search is not available in this deployment yet.")
		}
		// The stores validate with searchql; so does the mock.
		if _, err := searchql.Compile(s); err != nil {
			return nil, err
		}
		page := &enrichd.PersonPage{People: []*enrichd.Person{Jane(), John("0000000000000a01", "Acme")}, NextCursor: "c2", Total: -1}
		if s.TotalCount {
			page.Total = 42
		}
		return page, nil
	}}
}

// Env is a native handler over mocks.
type Env struct {
	Accounts *Accounts
	Matcher  *mock.Matcher
	People   *mock.PersonService
	Handler  http.Handler
}

// NewEnv builds the native API over the mocks, wrapped as the server would
// wrap it (a request id in the context).
func NewEnv(tb testing.TB, searchImplemented bool) *Env {
	tb.Helper()
	e := &Env{Accounts: NewAccounts(), Matcher: Matcher(), People: People(searchImplemented)}
	s := &kit.Services{
		People: e.People, Companies: &mock.CompanyService{}, Matcher: e.Matcher,
		Kit: &kit.Kit{Accounts: e.Accounts, Limiter: Limiter(), Prices: kit.DefaultPrices()},
	}
	h := native.NewHandler(s)
	e.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(kit.WithRequestID(r.Context(), "req_test")))
	})
	return e
}

// MustJSON marshals v or fails.
func MustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
