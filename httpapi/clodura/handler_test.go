package clodura_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/clodura"
	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
)

// Test keys (X-API-KEY values).
const (
	keyOK        = "clo_test_ok"
	keyBroke     = "clo_test_broke"     // balance 0
	keyNoClodura = "clo_test_noclodura" // plan without the clodura API
	keyQuota     = "clo_test_quota"     // daily quota exhausted
	keyLimited   = "clo_test_limited"   // per-minute limit exceeded
	keyOrgOnly   = "clo_test_orgonly"   // balance 1: affords an organisation, not a person
)

const startBalance = 3205

// fixture is the in-memory world behind the fake matcher: the people and
// companies of Clodura's doc examples.
type fixture struct {
	people    []*enrichd.Person
	companies []*enrichd.Company
}

func newFixture() *fixture {
	clodura := &enrichd.Company{
		ID: "c10d0ra0000000a1", Name: "Clodura.AI", Domain: "clodura.ai",
		LinkedInURL: "https://www.linkedin.com/company/clodura-ai", Industry: "Technology",
		EmployeeRange: "51-200", Phone: "+1-555-0100", FoundedYear: 2015, RevenueRange: "1M-10M",
		HQ: enrichd.Location{City: "Pune", State: "Maharashtra", Country: "India", CountryCode: "IN"},
	}
	dipak := &enrichd.Person{
		ID: "27968020242497a5", FullName: "Dipak Bhoi", FirstName: "Dipak", LastName: "Bhoi",
		Title: "Software Engineer", Seniority: enrichd.SeniorityJunior, Departments: []string{"Engineering"},
		Location: enrichd.Location{City: "Pune", State: "Maharashtra", Country: "India", CountryCode: "IN"},
		Social:   enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/dipak-bhoi-b3a700172"},
		Contact:  enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "dipak.bhoi@clodura.ai", Status: enrichd.StatusVerified}}},
		Employment: []enrichd.Employment{{CompanyID: clodura.ID, CompanyName: "Clodura.AI", CompanyDomain: "clodura.ai",
			Title: "Software Engineer", Current: true}},
	}
	kapil := &enrichd.Person{
		ID: "4b1f0c2d3e4f5a6b", FirstName: "Kapil", LastName: "Khangaonkar", Title: "Founder & CEO",
		Location: enrichd.Location{City: "Pune", Country: "India"},
		Social:   enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/kapilkhangaonkar"},
		// The employment row names a company that is not stored as a record.
		Employment: []enrichd.Employment{{CompanyID: "ffffffffffffffff", CompanyName: "Clodura.AI", CompanyDomain: "clodura.ai",
			CompanyLinkedInURL: "https://www.linkedin.com/company/clodura-ai", Title: "Founder & CEO", Current: true}},
	}
	return &fixture{people: []*enrichd.Person{dipak, kapil}, companies: []*enrichd.Company{clodura}}
}

// slug returns the last path segment of a LinkedIn URL, so that the fake
// matcher treats in.linkedin.com/in/x/ and www.linkedin.com/in/x alike.
func slug(u string) string {
	u = strings.TrimRight(strings.ToLower(strings.TrimSpace(u)), "/")
	if i := strings.LastIndexByte(u, '/'); i >= 0 {
		return u[i+1:]
	}
	return u
}

// match is a tiny deterministic stand-in for the engine.
func (f *fixture) match(_ context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
	if req.Email == "boom@example.com" {
		return nil, errors.New("sqlite: disk I/O error at /var/lib/enrichd/secret.db")
	}
	m := &enrichd.Match{}
	_, emailDomain, _ := strings.Cut(strings.ToLower(req.Email), "@")
	for _, c := range f.companies {
		if (req.CompanyLinkedInURL != "" && slug(req.CompanyLinkedInURL) == slug(c.LinkedInURL)) ||
			(req.CompanyName != "" && strings.EqualFold(req.CompanyName, c.Name)) ||
			(req.CompanyDomain != "" && req.CompanyDomain == c.Domain) || emailDomain == c.Domain {
			m.Company, m.CompanyConfidence = c, 0.97
		}
	}
	for _, p := range f.people {
		switch {
		case req.LinkedInURL != "" && slug(req.LinkedInURL) == slug(p.Social.LinkedInURL):
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.99, MatchedOn: enrichd.MatchOnLinkedIn}}
		case req.Email != "" && len(p.Contact.BusinessEmails) > 0 && strings.EqualFold(req.Email, p.Contact.BusinessEmails[0].Address):
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.95, MatchedOn: enrichd.MatchOnEmail}}
		case req.FirstName != "" && strings.EqualFold(req.FirstName, p.FirstName) && strings.EqualFold(req.LastName, p.LastName) &&
			m.Company != nil && p.CurrentJob() != nil && p.CurrentJob().CompanyName == m.Company.Name:
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.81, MatchedOn: enrichd.MatchOnName}}
		case req.FirstName == "Weak" && m.Company != nil:
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.31, MatchedOn: enrichd.MatchOnName}}
		}
		if len(m.Candidates) > 0 {
			break
		}
	}
	return m, nil
}

// dialect is what the shared checks need to know about Clodura.
var dialect = dialecttest.Dialect{Path: clodura.EnrichPath, AuthHeader: "X-API-KEY", KeyOK: keyOK,
	ContentType: "application/json; charset=utf-8", API: enrichd.APIClodura, Endpoint: clodura.EnrichEndpoint}

// newLedger is the fake ledger with the test keys.
func newLedger() *dialecttest.Ledger {
	l := dialecttest.NewLedger()
	l.Add(keyOK, "k_ok", startBalance, enrichd.Plan{Name: "growth"})
	l.Add(keyBroke, "k_broke", 0, enrichd.Plan{Name: "growth"})
	l.Add(keyOrgOnly, "k_orgonly", 1, enrichd.Plan{Name: "growth"})
	l.Add(keyNoClodura, "k_noclodura", 100, enrichd.Plan{Name: "ocean-only", APIs: []string{enrichd.APIOcean}})
	l.Add(keyQuota, "k_quota", 100, enrichd.Plan{Name: "free", DailyQuota: 10})
	l.Add(keyLimited, "k_limited", 100, enrichd.Plan{Name: "free", RequestsPerMinute: 5})
	return l
}

// newHarness is a Clodura handler over the fixture, the fake ledger and a log buffer.
func newHarness(tb testing.TB) *dialecttest.Harness {
	tb.Helper()
	f := newFixture()
	companies := &mock.CompanyService{FindCompanyByIDFn: func(_ context.Context, id string) (*enrichd.Company, error) {
		for _, c := range f.companies {
			if c.ID == id {
				return c, nil
			}
		}
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Company not found.")
	}}
	return dialecttest.NewHarness(newLedger(), dialecttest.Limiter(1500*time.Millisecond), func(k *kit.Kit, logger *slog.Logger) http.Handler {
		return clodura.NewHandler(&kit.Services{Companies: companies, Matcher: &mock.Matcher{MatchPersonFn: f.match}, Kit: k, Logger: logger})
	})
}

// TestEnrich runs every example of Clodura's doc and every documented error
// through the handler and compares the answers with the golden files.
func TestEnrich(t *testing.T) {
	tests := []struct {
		name        string
		method      string // default POST
		path        string // default clodura.EnrichPath
		key         string // X-API-KEY; "-" sends none
		wantStatus  int
		wantCredits int64 // charged to the key; -1 means no ledger entry at all
		wantHeaders map[string]string
	}{
		// The doc's example request, by the person's LinkedIn URL: full person, 2 credits.
		{name: "doc_example_linkedin", wantStatus: 200, wantCredits: 2},
		// The confidence table's other combinations.
		{name: "email_alone", wantStatus: 200, wantCredits: 2},
		{name: "names_email", wantStatus: 200, wantCredits: 2},
		{name: "names_org_linkedin", wantStatus: 200, wantCredits: 2},
		{name: "names_org_name", wantStatus: 200, wantCredits: 2},
		// The employer is not a stored record: the employment row fills organisation.
		{name: "employer_not_stored", wantStatus: 200, wantCredits: 2},
		// Only the company resolves: organisation only, 1 credit.
		{name: "organisation_only", wantStatus: 200, wantCredits: 1},
		// A candidate below MinConfidence is not charged as a person.
		{name: "weak_candidate_org_only", wantStatus: 200, wantCredits: 1},
		// 404 No match found, 0 credits (still recorded, so usage shows misses).
		{name: "no_match", wantStatus: 404, wantCredits: 0},
		// 400 malformed input: no identifier at all.
		{name: "err_400_no_identifier", wantStatus: 400, wantCredits: -1},
		{name: "err_400_malformed_values", wantStatus: 400, wantCredits: -1},
		// 422 invalid parameter combination or malformed JSON.
		{name: "err_422_first_name_only", wantStatus: 422, wantCredits: -1},
		{name: "err_422_names_without_company", wantStatus: 422, wantCredits: -1},
		{name: "err_422_org_only_input", wantStatus: 422, wantCredits: -1},
		{name: "err_422_malformed_json", wantStatus: 422, wantCredits: -1},
		{name: "err_422_wrong_type", wantStatus: 422, wantCredits: -1},
		{name: "err_422_not_an_object", wantStatus: 422, wantCredits: -1},
		{name: "err_422_empty_body", wantStatus: 422, wantCredits: -1},
		// 401 missing or invalid key.
		{name: "err_401_missing_key", key: "-", wantStatus: 401, wantCredits: -1},
		{name: "err_401_invalid_key", key: "clo_wrong", wantStatus: 401, wantCredits: -1},
		// 402 credits exhausted: no data.
		{name: "err_402_no_credits", key: keyBroke, wantStatus: 402, wantCredits: -1},
		// 1 credit left: the organisation-only answer is affordable...
		{name: "org_only_last_credit", key: keyOrgOnly, wantStatus: 200, wantCredits: 1},
		// ...a full person is not.
		{name: "err_402_person_needs_two", key: keyOrgOnly, wantStatus: 402, wantCredits: -1},
		// 403 the plan does not include this API.
		{name: "err_403_plan", key: keyNoClodura, wantStatus: 403, wantCredits: -1},
		// 409 daily cap; 429 per-minute limit.
		{name: "err_409_daily_cap", key: keyQuota, wantStatus: 409, wantCredits: -1,
			wantHeaders: map[string]string{"Retry-After": "10800", "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0"}},
		{name: "err_429_rate_limit", key: keyLimited, wantStatus: 429, wantCredits: -1,
			wantHeaders: map[string]string{"Retry-After": "2", "X-RateLimit-Limit": "5"}},
		// 500: the cause is logged, never sent.
		{name: "err_500_internal", wantStatus: 500, wantCredits: -1},
		// Routing errors in Clodura's envelope.
		{name: "err_405_get", method: http.MethodGet, wantStatus: 405, wantCredits: -1,
			wantHeaders: map[string]string{"Allow": "POST"}},
		{name: "err_404_unknown_path", path: "/api/v1/cleanup/enrich/bulk", wantStatus: 404, wantCredits: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			w := httptest.NewRecorder()
			h.H.ServeHTTP(w, dialect.Request(tt.method, tt.path, tt.key, dialecttest.ReadRequest(t, tt.name)))
			dialect.CheckAnswer(t, w, tt.name, tt.wantStatus, tt.wantHeaders)
			dialect.CheckCharges(t, h.Ledger.Charges, tt.wantCredits, "")
			if tt.wantStatus == 500 {
				dialecttest.CheckInternal(t, w.Body.String(), h.Logs.String(), "sqlite", "disk I/O error")
			}
		})
	}
}

// TestEnrich_DocExampleShape checks that the answer to the doc's example has
// every key of the doc's example response, so that clients reading them work.
func TestEnrich_DocExampleShape(t *testing.T) {
	h := newHarness(t)
	r := httptest.NewRequest(http.MethodPost, clodura.EnrichPath,
		strings.NewReader(`{"linkedinUrl": "https://in.linkedin.com/in/dipak-bhoi-b3a700172"}`))
	r.Header.Set("X-API-KEY", keyOK)
	w := httptest.NewRecorder()
	h.H.ServeHTTP(w, r)
	body := w.Body.String()
	for _, k := range []string{"personId", "firstName", "lastName", "linkedinUrl", "personTitle", "functional",
		"seniority", "personCity", "personCountry", "personState", "organisation", "organisationId",
		"organisationName", "domain", "orgLinkedinUrl", "industry", "organisationEmployeeSize", "boardlineNumbers",
		"foundedYear", "revenue", "organisationCity", "organisationState", "organisationCountry", "creditUsage",
		"creditsConsumed", "remainingCredits"} {
		if !strings.Contains(body, `"`+k+`":`) {
			t.Errorf("response lacks %q: %s", k, body)
		}
	}
}

// TestEnrich_BodyTooLarge ensures an oversized body is a 400, not a 500.
func TestEnrich_BodyTooLarge(t *testing.T) {
	h := newHarness(t)
	big := `{"email": "` + strings.Repeat("a", clodura.MaxBodyBytes) + `@x.com"}`
	r := httptest.NewRequest(http.MethodPost, clodura.EnrichPath, strings.NewReader(big))
	r.Header.Set("X-API-KEY", keyOK)
	w := httptest.NewRecorder()
	h.H.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "too large") {
		t.Fatalf("status=%d body=%s", w.Code, w.Body)
	}
}

// TestEnrich_ReadError ensures a failing body read is a client error.
func TestEnrich_ReadError(t *testing.T) {
	h := newHarness(t)
	r := httptest.NewRequest(http.MethodPost, clodura.EnrichPath, io.NopCloser(errReader{}))
	r.Header.Set("X-API-KEY", keyOK)
	w := httptest.NewRecorder()
	h.H.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Fatalf("status=%d body=%s", w.Code, w.Body)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
