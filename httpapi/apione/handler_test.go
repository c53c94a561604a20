package apione_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/apione"
	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/mock"
)

// Test keys (X-API-Key values).
const (
	keyOK       = "ao_test_ok"
	keyBroke    = "ao_test_broke"    // balance 0
	keyOne      = "ao_test_one"      // balance 1: affords a not_found, not a success
	keyNoApiOne = "ao_test_noapione" // plan without the apione API
	keyQuota    = "ao_test_quota"    // daily quota exhausted
	keyLimited  = "ao_test_limited"  // per-minute limit exceeded
)

const (
	startBalance = 500
	testReqID    = "req_ppl123"
)

// fixture is the in-memory world behind the fake matcher: the people of
// ApiOne's doc examples.
type fixture struct {
	people    []*enrichd.Person
	companies []*enrichd.Company
}

func newFixture() *fixture {
	stripe := &enrichd.Company{ID: "5719e0000000000a", Name: "Stripe", Domain: "stripe.com",
		EmailPattern: "{first}.{last}"}
	john := &enrichd.Person{
		ID: "a0a1a2a3a4a5a6a7", FullName: "John Smith", FirstName: "John", LastName: "Smith",
		Title: "Senior Software Engineer", Seniority: enrichd.SenioritySenior, Departments: []string{"Engineering"},
		Location: enrichd.Location{City: "San Francisco", State: "CA", Country: "USA", CountryCode: "US"},
		Social:   enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/johnsmith"},
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{
			{Address: "jsmith@old-stripe-mail.com", Status: enrichd.StatusInvalid},
			{Address: "john.smith@stripe.com", Status: enrichd.StatusVerified}}},
		Employment: []enrichd.Employment{{CompanyID: stripe.ID, CompanyName: "Stripe", CompanyDomain: "stripe.com",
			Title: "Senior Software Engineer", Current: true}},
	}
	// Jane has no stored email and no stored seniority or department: the
	// engine guesses her address and the dialect infers the rest from her title.
	jane := &enrichd.Person{
		ID: "b0b1b2b3b4b5b6b7", FirstName: "Jane", LastName: "Doe", Title: "VP of Sales",
		Location:   enrichd.Location{Raw: "Dublin, Ireland"},
		Employment: []enrichd.Employment{{CompanyID: stripe.ID, CompanyName: "Stripe", CompanyDomain: "stripe.com", Current: true}},
	}
	// Sam is a sparse record: no job, no location.
	sam := &enrichd.Person{ID: "c0c1c2c3c4c5c6c7", FullName: "Sam Lee",
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "sam@lee.dev"}}}}
	return &fixture{people: []*enrichd.Person{john, jane, sam}, companies: []*enrichd.Company{stripe}}
}

// match is a tiny deterministic stand-in for the engine.
func (f *fixture) match(_ context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
	if req.Email == "boom@example.com" {
		return nil, errors.New("pgx: connection refused to 10.0.0.7:5432")
	}
	m := &enrichd.Match{}
	_, emailDomain, _ := strings.Cut(strings.ToLower(req.Email), "@")
	domain, _ := match.RegistrableDomain(req.CompanyDomain) // the engine normalises raw input
	for _, c := range f.companies {
		if domain == c.Domain || emailDomain == c.Domain {
			m.Company, m.CompanyConfidence = c, 0.99
		}
	}
	for _, p := range f.people {
		for _, e := range p.Contact.BusinessEmails {
			if req.Email != "" && strings.EqualFold(req.Email, e.Address) {
				m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.912, MatchedOn: enrichd.MatchOnEmail}}
			}
		}
		if req.FirstName != "" && strings.EqualFold(req.FirstName, p.FirstName) && strings.EqualFold(req.LastName, p.LastName) &&
			m.Company != nil && p.CurrentJob() != nil && p.CurrentJob().CompanyDomain == m.Company.Domain {
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.8349, MatchedOn: enrichd.MatchOnName}}
			if len(p.Contact.BusinessEmails) == 0 {
				m.GuessedEmail = &enrichd.GuessedEmail{Address: strings.ToLower(p.FirstName + "." + p.LastName + "@" + m.Company.Domain),
					Pattern: m.Company.EmailPattern, Confidence: 0.7, Status: enrichd.StatusGuessed}
			}
		}
		if req.FirstName == "Weak" && m.Company != nil {
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.2, MatchedOn: enrichd.MatchOnName}}
		}
		if len(m.Candidates) > 0 {
			break
		}
	}
	return m, nil
}

// dialect is what the shared checks need to know about ApiOne.
var dialect = dialecttest.Dialect{Path: apione.EnrichPath, AuthHeader: "X-API-Key", KeyOK: keyOK,
	ContentType: "application/json; charset=utf-8", API: enrichd.APIApiOne, Endpoint: apione.EnrichEndpoint}

// newLedger is the fake ledger with the test keys.
func newLedger() *dialecttest.Ledger {
	l := dialecttest.NewLedger()
	l.Add(keyOK, "k_ok", startBalance, enrichd.Plan{Name: "pro"})
	l.Add(keyBroke, "k_broke", 0, enrichd.Plan{Name: "pro"})
	l.Add(keyOne, "k_one", 1, enrichd.Plan{Name: "pro"})
	l.Add(keyNoApiOne, "k_noapione", 100, enrichd.Plan{Name: "clodura-only", APIs: []string{enrichd.APIClodura}})
	l.Add(keyQuota, "k_quota", 100, enrichd.Plan{Name: "free", DailyQuota: 10})
	l.Add(keyLimited, "k_limited", 100, enrichd.Plan{Name: "free", RequestsPerMinute: 5})
	return l
}

// newHarness is an ApiOne handler over the fixture, the fake ledger and a log
// buffer, behind a stand-in for the server's request-id middleware.
func newHarness(tb testing.TB) *dialecttest.Harness {
	tb.Helper()
	f := newFixture()
	return dialecttest.NewHarness(newLedger(), dialecttest.Limiter(30*time.Second), func(k *kit.Kit, logger *slog.Logger) http.Handler {
		h := apione.NewHandler(&kit.Services{Matcher: &mock.Matcher{MatchPersonFn: f.match}, Kit: k, Logger: logger})
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(kit.WithRequestID(r.Context(), testReqID)))
		})
	})
}

// TestEnrich runs every example of ApiOne's doc and every documented error
// through the handler and compares the answers with the golden files.
func TestEnrich(t *testing.T) {
	tests := []struct {
		name        string
		method      string // default POST
		path        string // default apione.EnrichPath
		key         string // X-API-Key; "-" sends none
		wantStatus  int
		wantCredits int64 // charged to the key; -1 means no ledger entry at all
		wantHeaders map[string]string
	}{
		// The doc's two example requests. NOTE: the doc's email is
		// Cloudflare-obfuscated ("[email protected]"); the fixture uses a real one.
		{name: "doc_example_email", wantStatus: 200, wantCredits: 4},
		{name: "doc_example_name_domain", wantStatus: 200, wantCredits: 4},
		// No stored email: the engine's pattern-based guess is returned;
		// seniority and department come from the title.
		{name: "guessed_email_inferred_fields", wantStatus: 200, wantCredits: 4},
		// A sparse record: unknown values are null.
		{name: "sparse_profile", wantStatus: 200, wantCredits: 4},
		// 404 not_found costs 1 credit, reported in credits_used.
		{name: "not_found", wantStatus: 404, wantCredits: 1},
		{name: "not_found_weak_candidate", wantStatus: 404, wantCredits: 1},
		// 400 missing_param: neither email nor name+domain.
		{name: "err_400_missing_param", wantStatus: 400, wantCredits: -1},
		{name: "err_400_missing_domain", wantStatus: 400, wantCredits: -1},
		{name: "err_400_empty_body", wantStatus: 400, wantCredits: -1},
		// 400 for values and bodies that cannot be used (nothing charged).
		{name: "err_400_doc_obfuscated_email", wantStatus: 400, wantCredits: -1},
		{name: "err_400_invalid_domain", wantStatus: 400, wantCredits: -1},
		{name: "err_400_malformed_json", wantStatus: 400, wantCredits: -1},
		{name: "err_400_wrong_type", wantStatus: 400, wantCredits: -1},
		{name: "err_400_not_an_object", wantStatus: 400, wantCredits: -1},
		// 401 invalid_api_key: missing or invalid.
		{name: "err_401_missing_key", key: "-", wantStatus: 401, wantCredits: -1},
		{name: "err_401_invalid_key", key: "ao_wrong", wantStatus: 401, wantCredits: -1},
		// 402 insufficient_credits: no data, nothing charged.
		{name: "err_402_insufficient_credits", key: keyBroke, wantStatus: 402, wantCredits: -1},
		{name: "err_402_success_needs_four", key: keyOne, wantStatus: 402, wantCredits: -1},
		{name: "err_402_not_found_needs_one", key: keyBroke, wantStatus: 402, wantCredits: -1},
		// 403 the plan does not include this API.
		{name: "err_403_plan", key: keyNoApiOne, wantStatus: 403, wantCredits: -1},
		// 429 rate_limit_exceeded with retry_after, per minute and per day.
		{name: "err_429_rate_limit", key: keyLimited, wantStatus: 429, wantCredits: -1,
			wantHeaders: map[string]string{"Retry-After": "30", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0"}},
		{name: "err_429_daily_quota", key: keyQuota, wantStatus: 429, wantCredits: -1,
			wantHeaders: map[string]string{"Retry-After": "10800"}},
		// 500: the cause is logged, never sent.
		{name: "err_500_internal", wantStatus: 500, wantCredits: -1},
		// Routing errors in ApiOne's envelope.
		{name: "err_405_get", method: http.MethodGet, wantStatus: 405, wantCredits: -1,
			wantHeaders: map[string]string{"Allow": "POST"}},
		{name: "err_404_unknown_path", path: "/api/v1/people/search", wantStatus: 404, wantCredits: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			w := httptest.NewRecorder()
			h.H.ServeHTTP(w, dialect.Request(tt.method, tt.path, tt.key, dialecttest.ReadRequest(t, tt.name)))
			dialect.CheckAnswer(t, w, tt.name, tt.wantStatus, tt.wantHeaders)
			dialect.CheckCharges(t, h.Ledger.Charges, tt.wantCredits, testReqID)
			if tt.wantStatus == 500 {
				dialecttest.CheckInternal(t, w.Body.String(), h.Logs.String(), "pgx", "connection refused")
			}
		})
	}
}

// TestEnrich_RequestIDWithoutMiddleware ensures a request id is reported,
// and is the one the ledger recorded, when the handler runs without the
// server's middleware.
func TestEnrich_RequestIDWithoutMiddleware(t *testing.T) {
	l := newLedger()
	s := &kit.Services{
		Matcher: &mock.Matcher{MatchPersonFn: newFixture().match},
		Kit:     &kit.Kit{Accounts: l.Accounts(), Prices: kit.DefaultPrices()},
	}
	r := httptest.NewRequest(http.MethodPost, apione.EnrichPath, strings.NewReader(`{"email": "john.smith@stripe.com"}`))
	r.Header.Set("X-API-Key", keyOK)
	w := httptest.NewRecorder()
	apione.NewHandler(s).ServeHTTP(w, r)
	var res struct {
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 || res.RequestID == "" {
		t.Fatalf("status=%d body=%s", w.Code, w.Body)
	}
	if len(l.Charges) != 1 || l.Charges[0].RequestID != res.RequestID {
		t.Fatalf("request_id %q, ledger %+v", res.RequestID, l.Charges)
	}
}

// TestEnrich_BodyTooLarge ensures an oversized body is a 400, not a 500.
func TestEnrich_BodyTooLarge(t *testing.T) {
	h := newHarness(t)
	big := `{"email": "` + strings.Repeat("a", apione.MaxBodyBytes) + `@x.com"}`
	r := httptest.NewRequest(http.MethodPost, apione.EnrichPath, strings.NewReader(big))
	r.Header.Set("X-API-Key", keyOK)
	w := httptest.NewRecorder()
	h.H.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "too large") {
		t.Fatalf("status=%d body=%s", w.Code, w.Body)
	}
}
