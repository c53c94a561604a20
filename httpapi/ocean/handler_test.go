package ocean_test

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
	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/ocean"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/mock"
)

// Test tokens (x-api-token or apiToken values).
const (
	keyOK      = "oc_test_ok"
	keyBroke   = "oc_test_broke"   // balance 0
	keyThree   = "oc_test_three"   // balance 3: one enrichment, no reveals
	keyNoOcean = "oc_test_noocean" // plan without the ocean API
	keyQuota   = "oc_test_quota"   // daily quota exhausted
	keyLimited = "oc_test_limited" // per-minute limit exceeded
)

const startBalance = 1000

// fixture is the in-memory world behind the fake matcher: the person of
// Ocean's doc example, a colleague with no stored contact data, and a sparse record.
type fixture struct {
	people    []*enrichd.Person
	companies []*enrichd.Company
}

func newFixture() *fixture {
	oceanCo := &enrichd.Company{ID: "0cea0000000000a1", Name: "Ocean ApS", Domain: "ocean.io",
		LinkedInURL: "https://www.linkedin.com/company/oceanio", EmailPattern: "{first}.{last}"}
	john := &enrichd.Person{
		ID: "e9447c74eafa8a19", FullName: "John Doe", FirstName: "John", LastName: "Doe",
		Headline: "Senior Software Engineer | Tech Lead", Summary: "Some text that the person wrote to describe themselves",
		Title: "CEO", Seniority: enrichd.SeniorityExecutive, Departments: []string{match.DeptManagement, match.DeptMarketing},
		Location:   enrichd.Location{Raw: "Copenhagen, Capital Region, Denmark", City: "Copenhagen", State: "CA", Country: "United States"},
		Skills:     []string{"Product Management", "Entrepreneurship", "Social Media"},
		PictureURL: "http://media.licdn.com/dms/image/somelink",
		Social:     enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/johndoe"},
		Contact: enrichd.Contact{
			BusinessEmails: []enrichd.Email{{Address: "john.doe@ocean.io", Status: enrichd.StatusVerified}},
			Phones: []enrichd.Phone{{Number: "+33600000000", Type: "mobile"},
				{Number: "+4512345678", Type: "work", Status: enrichd.StatusVerified},
				{Number: "+4599999999", Status: enrichd.StatusInvalid}},
		},
		Employment: []enrichd.Employment{
			{CompanyID: oceanCo.ID, CompanyName: "Ocean ApS", CompanyDomain: "ocean.io", CompanyLinkedInURL: "https://www.linkedin.com/company/oceanio",
				Title: "CEO", Start: "2021-02", Current: true, Description: "Leading Ocean.io"},
			{CompanyName: "Domain", CompanyDomain: "domain.com", CompanyLinkedInURL: "https://www.linkedin.com/company/colliers/",
				Title: "Software Engineer", Start: "2020-01-01", End: "2021-01-01", Description: "Software Engineer specializing in cloud infrastructure"},
		},
		Connections: 500, Followers: 1000,
		UpdatedAt: time.Date(2022, 10, 27, 12, 9, 37, 0, time.UTC),
	}
	jane := &enrichd.Person{
		ID: "1a2b3c4d5e6f7a8b", FirstName: "Jane", LastName: "Roe", Title: "Head of Sales",
		Location:   enrichd.Location{Country: "Denmark"},
		Employment: []enrichd.Employment{{CompanyID: oceanCo.ID, CompanyName: "Ocean ApS", CompanyDomain: "ocean.io", Current: true}},
	}
	sam := &enrichd.Person{ID: "9f8e7d6c5b4a3921", FullName: "Sam Lee", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/samlee"}}
	return &fixture{people: []*enrichd.Person{john, jane, sam}, companies: []*enrichd.Company{oceanCo}}
}

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
		return nil, errors.New("sqlite: database is locked (/var/lib/enrichd/enrichd.db)")
	}
	hasName := req.FullName != "" || (req.FirstName != "" && req.LastName != "")
	hasCompany := req.CompanyDomain != "" || req.CompanyName != "" || req.CompanyLinkedInURL != ""
	if req.LinkedInURL == "" && req.Email == "" && req.Phone == "" && !(hasName && hasCompany) {
		return nil, enrichd.Errorf(enrichd.EINVALID, "A person needs a LinkedIn URL, an email, a phone, or a name with a company.")
	}
	m := &enrichd.Match{}
	domain, _ := match.RegistrableDomain(req.CompanyDomain)
	for _, c := range f.companies {
		if (domain != "" && domain == c.Domain) || (req.CompanyName != "" && strings.EqualFold(req.CompanyName, c.Name)) ||
			(req.CompanyLinkedInURL != "" && slug(req.CompanyLinkedInURL) == slug(c.LinkedInURL)) {
			m.Company, m.CompanyConfidence = c, 0.98
		}
	}
	for _, p := range f.people {
		switch {
		case req.LinkedInURL != "" && slug(req.LinkedInURL) == slug(p.Social.LinkedInURL):
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.99, MatchedOn: enrichd.MatchOnLinkedIn}}
		case req.Email != "" && len(p.Contact.BusinessEmails) > 0 && strings.EqualFold(req.Email, p.Contact.BusinessEmails[0].Address):
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.95, MatchedOn: enrichd.MatchOnEmail}}
		case req.FirstName != "" && strings.EqualFold(req.FirstName, p.FirstName) && strings.EqualFold(req.LastName, p.LastName) &&
			m.Company != nil && p.CurrentJob() != nil && p.CurrentJob().CompanyDomain == m.Company.Domain:
			m.Candidates = []enrichd.Candidate{{Person: p, Confidence: 0.86, MatchedOn: enrichd.MatchOnName}}
			if len(p.Contact.BusinessEmails) == 0 {
				m.GuessedEmail = &enrichd.GuessedEmail{Address: strings.ToLower(p.FirstName + "." + p.LastName + "@" + m.Company.Domain),
					Pattern: m.Company.EmailPattern, Confidence: 0.7, Status: enrichd.StatusGuessed}
			}
		}
		if len(m.Candidates) > 0 {
			break
		}
	}
	return m, nil
}

// dialect is what the shared checks need to know about Ocean.
var dialect = dialecttest.Dialect{Path: ocean.EnrichPath, AuthHeader: "x-api-token", KeyOK: keyOK,
	ContentType: "application/json", API: enrichd.APIOcean, Endpoint: ocean.EnrichEndpoint}

// newLedger is the fake ledger with the test tokens.
func newLedger() *dialecttest.Ledger {
	l := dialecttest.NewLedger()
	l.Add(keyOK, "k_ok", startBalance, enrichd.Plan{Name: "enterprise"})
	l.Add(keyBroke, "k_broke", 0, enrichd.Plan{Name: "enterprise"})
	l.Add(keyThree, "k_three", 3, enrichd.Plan{Name: "enterprise"})
	l.Add(keyNoOcean, "k_noocean", 100, enrichd.Plan{Name: "apione-only", APIs: []string{enrichd.APIApiOne}})
	l.Add(keyQuota, "k_quota", 100, enrichd.Plan{Name: "free", DailyQuota: 10})
	l.Add(keyLimited, "k_limited", 100, enrichd.Plan{Name: "free", RequestsPerMinute: 5})
	return l
}

// newHarness is an Ocean handler over the fixture, the fake ledger and a log buffer.
func newHarness(tb testing.TB) *dialecttest.Harness {
	tb.Helper()
	f := newFixture()
	people := &mock.PersonService{FindPersonByIDFn: func(_ context.Context, id string) (*enrichd.Person, error) {
		for _, p := range f.people {
			if p.ID == id {
				return p, nil
			}
		}
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Person not found.")
	}}
	return dialecttest.NewHarness(newLedger(), dialecttest.Limiter(20*time.Second), func(k *kit.Kit, logger *slog.Logger) http.Handler {
		return ocean.NewHandler(&kit.Services{People: people, Matcher: &mock.Matcher{MatchPersonFn: f.match}, Kit: k, Logger: logger})
	})
}

// testCase is one golden scenario.
type testCase struct {
	name        string
	method      string // default POST
	path        string // default ocean.EnrichPath
	header      string // x-api-token; "" sends keyOK unless query is set; "-" sends none
	query       string // apiToken
	wantStatus  int
	wantCredits int64 // charged to the key; -1 means no ledger entry at all
	wantHeaders map[string]string
	// specRejects marks requests that Ocean's OpenAPI document itself
	// rejects: the 422 cases of body validation, and lax booleans.
	specRejects bool
	// notInSpec marks answers outside /v2/enrich/person's documented responses.
	notInSpec bool
}

var cases = []testCase{
	// The doc's example request, with the token in both the header and the
	// query (the doc's curl does that; equal tokens are fine): everything
	// revealed, 3 + 1 email + 1 phone credits.
	{name: "doc_example", header: keyOK, query: keyOK, wantStatus: 200, wantCredits: 5},
	// Minimal request by LinkedIn URL, nothing revealed: 3 credits, no email or phone.
	{name: "linkedin_no_reveal", wantStatus: 200, wantCredits: 3},
	// By Ocean id (enrichd's person id) alone, token in the query only.
	{name: "by_person_id", header: "-", query: keyOK, wantStatus: 200, wantCredits: 3},
	// Name + company domain; no stored email: the engine's guess is the
	// revealed (guessed, uncharged) email and the inferred email; no phones: notFound, uncharged.
	{name: "name_company_guessed_email", wantStatus: 200, wantCredits: 3},
	// Reveals on a sparse record: notFound for both, nothing extra charged;
	// pydantic's lax booleans ("yes", 1) are accepted, as Ocean's FastAPI
	// service accepts them, though the document's JSON Schema does not.
	{name: "reveal_not_found_lax_bools", wantStatus: 200, wantCredits: 3, specRejects: true},
	// 404 No matching record found: 0 credits, still recorded.
	{name: "no_match", wantStatus: 404, wantCredits: 0},
	{name: "unknown_id_only", wantStatus: 404, wantCredits: 0},
	// 400s of the doc.
	{name: "err_400_conflicting_tokens", header: keyOK, query: "oc_other", wantStatus: 400, wantCredits: -1},
	{name: "err_400_empty_person", wantStatus: 400, wantCredits: -1},
	{name: "err_400_empty_person_nulls", wantStatus: 400, wantCredits: -1},
	// 402 Insufficient credits, with no data.
	{name: "err_402_insufficient_credits", header: keyBroke, wantStatus: 402, wantCredits: -1},
	{name: "err_402_reveal_costs_more", header: keyThree, wantStatus: 402, wantCredits: -1},
	// 403s of the doc.
	{name: "err_403_no_token", header: "-", wantStatus: 403, wantCredits: -1},
	{name: "err_403_unknown_token", header: "oc_unknown", wantStatus: 403, wantCredits: -1},
	{name: "err_403_plan", header: keyNoOcean, wantStatus: 403, wantCredits: -1,
		wantHeaders: map[string]string{ocean.HeaderErrorDetail: "This API key's plan does not include the ocean API."}},
	// 422 validation errors, FastAPI style.
	{name: "err_422_missing_person", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_person_not_object", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_type_errors", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_extra_fields", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_malformed_json", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_empty_body", wantStatus: 422, wantCredits: -1, specRejects: true},
	{name: "err_422_body_not_object", wantStatus: 422, wantCredits: -1, specRejects: true},
	// The engine finds no usable identifier: a pydantic value_error.
	{name: "err_422_no_identifier", wantStatus: 422, wantCredits: -1},
	// Limits: not in Ocean's document; {"detail"} with Retry-After.
	{name: "err_429_rate_limit", header: keyLimited, wantStatus: 429, wantCredits: -1, notInSpec: true,
		wantHeaders: map[string]string{"Retry-After": "20", "X-RateLimit-Limit": "5"}},
	{name: "err_429_daily_quota", header: keyQuota, wantStatus: 429, wantCredits: -1, notInSpec: true,
		wantHeaders: map[string]string{"Retry-After": "10800"}},
	// 500: the cause is logged, never sent.
	{name: "err_500_internal", wantStatus: 500, wantCredits: -1, notInSpec: true},
	// Routing errors, FastAPI's defaults.
	{name: "err_405_get", method: http.MethodGet, wantStatus: 405, wantCredits: -1, notInSpec: true,
		wantHeaders: map[string]string{"Allow": "POST"}},
	{name: "err_404_unknown_path", path: "/v2/enrich/company", wantStatus: 404, wantCredits: -1, notInSpec: true},
}

// serve runs one case and returns the recorder.
func serve(h *dialecttest.Harness, tt testCase, body []byte) *httptest.ResponseRecorder {
	path, key := tt.path, tt.header
	if tt.query != "" {
		if path == "" {
			path = ocean.EnrichPath
		}
		path += "?apiToken=" + tt.query
		if key == "" {
			key = "-"
		}
	}
	w := httptest.NewRecorder()
	h.H.ServeHTTP(w, dialect.Request(tt.method, path, key, body))
	return w
}

// TestEnrich runs every example of Ocean's doc and every documented error
// through the handler, compares the answers with the golden files, and
// validates requests and answers against Ocean's official OpenAPI document.
func TestEnrich(t *testing.T) {
	spec := loadSpec(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body := dialecttest.ReadRequest(t, tt.name)
			w := serve(h, tt, body)
			dialect.CheckAnswer(t, w, tt.name, tt.wantStatus, tt.wantHeaders)

			// The request: what the document accepts we accept, and the
			// bodies we reject with a validation 422 the document rejects too.
			if tt.method == "" && tt.path == "" {
				err := spec.validateRequest(body)
				if tt.specRejects && err == nil {
					t.Errorf("the spec accepts a request body we reject: %s", body)
				} else if !tt.specRejects && err != nil {
					t.Errorf("the spec rejects a request body we accept: %v", err)
				}
			}
			// The answer.
			if tt.notInSpec {
				assertDetail(t, w.Body.Bytes())
			} else if err := spec.validateResponse(w.Code, w.Body.Bytes()); err != nil {
				t.Errorf("answer does not conform to Ocean's OpenAPI document: %v", err)
			}

			if c := dialect.CheckCharges(t, h.Ledger.Charges, tt.wantCredits, ""); c != nil && w.Code == 200 {
				var res struct{ CreditsUsed float64 }
				if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.CreditsUsed != float64(c.Credits) {
					t.Errorf("creditsUsed=%v, charged %d", res.CreditsUsed, c.Credits)
				}
			}
			if tt.wantStatus == 500 {
				dialecttest.CheckInternal(t, w.Body.String(), h.Logs.String(), "sqlite", "database is locked")
			}
		})
	}
}

// assertDetail checks the {"detail": "..."} shape of an answer that
// Ocean's document does not list for this operation.
func assertDetail(tb testing.TB, body []byte) {
	tb.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		tb.Fatalf("not JSON: %s", body)
	}
	if d, ok := v["detail"].(string); !ok || d == "" || len(v) != 1 {
		tb.Errorf(`want {"detail": "..."}, got %s`, body)
	}
}

// TestEnrich_BodyTooLarge ensures an oversized body is a 413, not a 500.
func TestEnrich_BodyTooLarge(t *testing.T) {
	h := newHarness(t)
	big := `{"person": {"name": "` + strings.Repeat("a", ocean.MaxBodyBytes) + `"}}`
	w := serve(h, testCase{}, []byte(big))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status=%d body=%s", w.Code, w.Body)
	}
	assertDetail(t, w.Body.Bytes())
}
