package crustdata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/crustdata"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/searchql"
)

var update = flag.Bool("update", false, "rewrite the golden response files")

// Test keys (Authorization: Bearer values).
const (
	keyOK       = "ek_live_ok"
	keyNoPerm   = "ek_live_noperm"   // no field permissions
	keyBroke    = "ek_live_broke"    // balance 0
	keyNoCrust  = "ek_live_nocrust"  // plan without the crustdata API
	keyNoSearch = "ek_live_nosearch" // plan denying person/search
	keyLimited  = "ek_live_limited"  // over its per-minute limit
)

// fixture holds the people and companies of Crustdata's doc examples.
type fixture struct {
	people    []*enrichd.Person
	companies map[string]*enrichd.Company
	// boom is the email on which the engine fails; "" disables the failure.
	boom string
}

func newFixture() *fixture {
	crustdata := &enrichd.Company{ID: "c0ffee00000000c1", Name: "Crustdata", Domain: "crustdata.com",
		LinkedInURL: "https://www.linkedin.com/company/crustdata", Industry: "Software Development", EmployeeRange: "11-50",
		HQ: enrichd.Location{City: "San Francisco", State: "California", Country: "United States", CountryCode: "US"}}
	retool := &enrichd.Company{ID: "c0ffee00000000c2", Name: "Retool", Domain: "retool.com",
		LinkedInURL: "https://www.linkedin.com/company/tryretool", Industry: "Software Development", EmployeeRange: "201-500",
		HQ: enrichd.Location{Raw: "San Francisco, California"}}
	updated := time.Date(2025, 10, 30, 8, 15, 0, 0, time.UTC)
	abhilash := &enrichd.Person{
		ID: "3b9aca00a1b2c3d4", FullName: "Abhilash Chowdhary", FirstName: "Abhilash", LastName: "Chowdhary",
		Headline: "Co-founder at Crustdata (YC F24)", Summary: "Building the real-time B2B data platform.",
		Title: "Co-Founder & CEO", Seniority: enrichd.SeniorityExecutive,
		Location:    enrichd.Location{Raw: "San Francisco, California, United States", City: "San Francisco", State: "California", Country: "United States", CountryCode: "US", Continent: "North America"},
		Languages:   []string{"English", "Hindi"},
		Skills:      []string{"Machine Learning", "Data Engineering", "Python"},
		Connections: 3421, Followers: 5120, PictureURL: "https://media.example.com/abhilash.jpg",
		Employment: []enrichd.Employment{
			{CompanyID: crustdata.ID, CompanyName: "Crustdata", Title: "Co-Founder & CEO", Seniority: enrichd.SeniorityExecutive, Start: "2022-01", Current: true, Location: "San Francisco"},
			{CompanyName: "Rubrik", CompanyDomain: "rubrik.com", Title: "Software Engineer", Start: "2017-06", End: "2021-12"},
		},
		Education:      []enrichd.Education{{School: "IIT Kanpur", Degree: "B.Tech", Field: "Computer Science", Start: "2010", End: "2014"}},
		Certifications: []enrichd.Certification{{Name: "AWS Certified Solutions Architect", IssuingOrganization: "Amazon Web Services", IssueDate: "2019-04"}},
		Honors:         []enrichd.Honor{{Title: "YC F24", Issuer: "Y Combinator", IssuedDate: "2024"}},
		Contact: enrichd.Contact{
			BusinessEmails: []enrichd.Email{{Address: "abhilash@crustdata.com", Status: enrichd.StatusVerified}},
			PersonalEmails: []enrichd.Email{{Address: "abhilash.c@gmail.com", Status: enrichd.StatusUnknown}},
			Phones:         []enrichd.Phone{{Number: "+14155550123", Type: "mobile", Status: enrichd.StatusVerified}},
			Websites:       []string{"https://crustdata.com"},
		},
		Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/abhilashchowdhary", LinkedInMemberID: "ACoAAAbc123", Twitter: "abhilash_c", GitHub: "abhilashc"},
		Extra: map[string]json.RawMessage{
			"crustdata.joined_date":   json.RawMessage(`"2012-03-14"`),
			"crustdata.verifications": json.RawMessage(`[{"type":"work_email","organization":"Crustdata"}]`),
			"crustdata.open_to_cards": json.RawMessage(`[]`),
		},
		Sources:   []enrichd.Provenance{{Source: "crm-export.csv", SeenAt: updated}},
		UpdatedAt: updated,
	}
	david := &enrichd.Person{
		ID: "5f5e1000deadbeef", FullName: "David Hsu", FirstName: "David", LastName: "Hsu",
		Headline: "Founder & CEO at Retool", Title: "Founder & CEO", Seniority: enrichd.SeniorityExecutive,
		Location:    enrichd.Location{City: "San Francisco", State: "California", Country: "United States", CountryCode: "US"},
		Connections: 500, Followers: 41000,
		Employment: []enrichd.Employment{{CompanyID: retool.ID, CompanyName: "Retool", Title: "Founder & CEO", Start: "2017", Current: true}},
		Education:  []enrichd.Education{{School: "University of Oxford", Degree: "BA", Field: "Philosophy and Computer Science"}},
		Contact:    enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "david@retool.com", Status: enrichd.StatusVerified}}},
		Social:     enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/dvdhsu", GitHub: "dvdhsu"},
		UpdatedAt:  updated,
	}
	return &fixture{
		people:    []*enrichd.Person{abhilash, david},
		companies: map[string]*enrichd.Company{crustdata.ID: crustdata, retool.ID: retool},
		boom:      "boom@crustdata.com",
	}
}

// match is a deterministic stand-in for the engine: canonical URLs match
// exactly, business emails with 0.93.
func (f *fixture) match(_ context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
	if f.boom != "" && req.Email == f.boom {
		return nil, errors.New("sqlite: disk I/O error at /var/lib/enrichd/secret.db")
	}
	m := &enrichd.Match{}
	for _, p := range f.people {
		switch {
		case req.LinkedInURL != "" && req.LinkedInURL == p.Social.LinkedInURL:
			m.Candidates = append(m.Candidates, enrichd.Candidate{Person: p, Confidence: 1, MatchedOn: enrichd.MatchOnLinkedIn})
		case req.Email != "" && len(p.Contact.BusinessEmails) > 0 && req.Email == p.Contact.BusinessEmails[0].Address:
			if 0.93 >= req.MinConfidence {
				m.Candidates = append(m.Candidates, enrichd.Candidate{Person: p, Confidence: 0.93, MatchedOn: enrichd.MatchOnEmail})
			}
		}
	}
	return m, nil
}

// harness is the handler over mocks, recording charges and searches.
type harness struct {
	handler  http.Handler
	fixture  *fixture
	mu       sync.Mutex
	balances map[string]int64
	charges  []enrichd.Charge
	searches []enrichd.PersonSearch
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	f := newFixture()
	h := &harness{fixture: f, balances: map[string]int64{keyOK: 1000, keyNoPerm: 1000, keyBroke: 0, keyNoCrust: 1000, keyNoSearch: 1000, keyLimited: 1000}}
	plans := map[string]enrichd.Plan{
		keyOK:       enrichd.DefaultPlan(),
		keyNoPerm:   {Name: "basic"},
		keyBroke:    enrichd.DefaultPlan(),
		keyNoCrust:  {Name: "native-only", APIs: []string{enrichd.APINative}},
		keyNoSearch: {Name: "enrich-only", DeniedEndpoints: []string{"crustdata:person/search"}},
		keyLimited:  enrichd.DefaultPlan(),
	}
	accounts := &mock.AccountService{
		AuthenticateFn: func(_ context.Context, secret string) (*enrichd.APIKey, error) {
			plan, ok := plans[secret]
			if !ok {
				return nil, enrichd.Errorf(enrichd.EUNAUTHORIZED, "unknown key")
			}
			return &enrichd.APIKey{ID: "key_" + secret, Plan: plan}, nil
		},
		ChargeFn: func(_ context.Context, c enrichd.Charge) (int64, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			secret := strings.TrimPrefix(c.KeyID, "key_")
			if h.balances[secret] < c.Credits {
				return 0, enrichd.Errorf(enrichd.EPAYMENT, "insufficient credits")
			}
			h.balances[secret] -= c.Credits
			h.charges = append(h.charges, c)
			return h.balances[secret], nil
		},
	}
	limiter := &mock.Limiter{AllowFn: func(_ context.Context, k *enrichd.APIKey) (enrichd.RateState, error) {
		if k.ID == "key_"+keyLimited {
			e := enrichd.Errorf(enrichd.ERATELIMIT, "rate limit")
			e.RetryAfter = 30 * time.Second
			return enrichd.RateState{Limit: 15, Remaining: 0, Reset: time.Unix(1767225600, 0)}, e
		}
		return enrichd.RateState{}, nil
	}}
	people := &mock.PersonService{SearchPeopleFn: func(_ context.Context, s enrichd.PersonSearch) (*enrichd.PersonPage, error) {
		h.mu.Lock()
		h.searches = append(h.searches, s)
		h.mu.Unlock()
		// Validate as the stores do (the fixture's cursor is not a real
		// one), then answer from the fixture.
		check := s
		check.Cursor = ""
		if _, err := searchql.Compile(check); err != nil {
			return nil, err
		}
		page := &enrichd.PersonPage{People: []*enrichd.Person{f.people[1]}, Total: 2}
		if s.Cursor == "" {
			page.NextCursor = "eyJoIjoiZXhhbXBsZSJ9"
		} else {
			page.People = []*enrichd.Person{f.people[0]}
		}
		return page, nil
	}}
	companies := &mock.CompanyService{FindCompaniesByIDsFn: func(_ context.Context, ids []string) ([]*enrichd.Company, error) {
		var out []*enrichd.Company
		for _, id := range ids {
			if c, ok := f.companies[id]; ok {
				out = append(out, c)
			}
		}
		return out, nil
	}}
	h.handler = crustdata.NewHandler(&kit.Services{
		People: people, Companies: companies,
		Matcher: &mock.Matcher{MatchPersonFn: f.match},
		Kit:     &kit.Kit{Accounts: accounts, Limiter: limiter, Prices: kit.DefaultPrices()},
	})
	return h
}

// do sends one request through the handler.
func (h *harness) do(method, path, key, version string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	if version != "-" {
		if version == "" {
			version = crustdata.APIVersion
		}
		r.Header.Set("x-api-version", version)
	}
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	return w
}

// TestGolden sends every example of Crustdata's person docs and every
// documented error through the handler and compares the answers with the
// golden files (testdata/<case>.request.json → <case>.response.golden.json).
func TestGolden(t *testing.T) {
	const enrich, search, live = "/person/enrich", "/person/search", "/person/professional_network/enrich/live"
	for _, tt := range []struct {
		name        string
		path        string
		key         string
		version     string // "" sends 2025-11-01; "-" sends none
		method      string // "" is POST
		wantStatus  int
		wantCredits string // x-credits-used; "" means absent
	}{
		// Examples of the enrich guide and reference.
		{name: "doc_first_enrichment", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "1"},
		{name: "doc_email_reverse_lookup", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "1"},
		{name: "doc_no_match", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "0"},
		{name: "doc_batch", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "2"},
		{name: "doc_realtime", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "1"},
		{name: "doc_fields_joined_verifications", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "1"},
		{name: "doc_preview", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "0"},
		{name: "doc_reference_fields_contact_dev", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "3"},
		{name: "doc_search_then_enrich_step2", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "2"},
		{name: "all_sections", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "7"},
		{name: "email_min_score_above_match", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "0"},
		{name: "duplicate_identifiers_charged_once", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "1"},
		{name: "contact_business_emails_only", path: enrich, key: keyOK, wantStatus: 200, wantCredits: "2"},
		{name: "doc_search_then_enrich_step1", path: search, key: keyOK, wantStatus: 200, wantCredits: "0"},
		{name: "search_next_page", path: search, key: keyOK, wantStatus: 200, wantCredits: "0"},
		{name: "search_bare_condition_count_alias", path: search, key: keyOK, wantStatus: 200, wantCredits: "0"},

		// Documented errors, and the ones a client can provoke.
		{name: "err_400_no_identifier", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_both_identifiers", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_too_many_identifiers", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_missing_version", path: enrich, key: keyOK, version: "-", wantStatus: 400},
		{name: "err_400_unsupported_version", path: enrich, key: keyOK, version: "2024-01-01", wantStatus: 400},
		{name: "err_400_malformed_json", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_empty_body", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_unknown_parameter", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_wrong_type", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_invalid_url", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_invalid_email", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_unknown_field", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_unavailable_field", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_min_similarity_range", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_400_force_fetch_alone", path: enrich, key: keyOK, wantStatus: 400},
		{name: "err_401_invalid_key", path: enrich, key: "ek_live_nope", wantStatus: 401},
		{name: "err_401_missing_key", path: enrich, wantStatus: 401},
		{name: "err_401_before_version_check", path: enrich, key: "ek_live_nope", version: "-", wantStatus: 401},
		{name: "err_403_plan_without_crustdata", path: enrich, key: keyNoCrust, wantStatus: 403},
		{name: "err_403_insufficient_credits", path: enrich, key: keyBroke, wantStatus: 403},
		{name: "err_403_field_permission", path: enrich, key: keyNoPerm, wantStatus: 403},
		{name: "err_405_get", path: enrich, key: keyOK, method: http.MethodGet, wantStatus: 405},
		{name: "err_404_unknown_endpoint", path: "/person/teleport", key: keyOK, wantStatus: 404},
		{name: "err_429_rate_limited", path: enrich, key: keyLimited, wantStatus: 429},
		{name: "err_500_internal", path: enrich, key: keyOK, wantStatus: 500},
		{name: "err_400_search_unknown_field", path: search, key: keyOK, wantStatus: 400},
		{name: "err_400_search_unknown_operator", path: search, key: keyOK, wantStatus: 400},
		{name: "err_400_search_in_needs_array", path: search, key: keyOK, wantStatus: 400},
		{name: "err_400_search_limit", path: search, key: keyOK, wantStatus: 400},
		{name: "err_400_search_bad_sort", path: search, key: keyOK, wantStatus: 400},
		{name: "err_400_search_preview", path: search, key: keyOK, wantStatus: 400},
		{name: "err_403_search_denied", path: search, key: keyNoSearch, wantStatus: 403},
		{name: "err_403_live_not_enabled", path: live, key: keyOK, wantStatus: 403},
		{name: "err_400_live_no_urls", path: live, key: keyOK, wantStatus: 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body, err := os.ReadFile(filepath.Join("testdata", tt.name+".request.json"))
			if err != nil {
				t.Fatal(err)
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			w := h.do(method, tt.path, tt.key, tt.version, body)
			if got, want := w.Code, tt.wantStatus; got != want {
				t.Fatalf("status=%d, want %d: %s", got, want, w.Body)
			}
			if got, want := w.Header().Get("x-credits-used"), tt.wantCredits; got != want {
				t.Fatalf("x-credits-used=%q, want %q", got, want)
			}
			if got := w.Header().Get("Content-Type"); got != "application/json" {
				t.Fatalf("content-type=%q", got)
			}
			assertGolden(t, filepath.Join("testdata", tt.name+".response.golden.json"), w.Body.Bytes())
		})
	}
}

// assertGolden compares the JSON got with the golden file, or rewrites it with -update.
func assertGolden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		tb.Fatalf("response is not JSON: %v: %s", err, got)
	}
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		tb.Fatalf("response differs from %s:\n%s", path, pretty.Bytes())
	}
}

// Ensure the handler charges what it reports, once per request, with the
// documented add-ons, and nothing on an error.
func TestPersonEnrich_Charges(t *testing.T) {
	for _, tt := range []struct {
		name    string
		key     string
		body    string
		want    int64 // credits charged; -1 means no charge recorded
		outcome string
	}{
		{"Base", keyOK, `{"professional_network_profile_urls":["linkedin.com/in/dvdhsu"]}`, 1, "match"},
		{"Miss", keyOK, `{"professional_network_profile_urls":["linkedin.com/in/nobody"]}`, 0, "not_found"},
		{"Preview", keyOK, `{"professional_network_profile_urls":["linkedin.com/in/abhilashchowdhary"],"preview":true,"fields":["contact"]}`, 0, "preview"},
		{"ContactAll", keyOK, `{"business_emails":["abhilash@crustdata.com"],"fields":["contact"]}`, 1 + 1 + 2 + 2, "match"},
		{"Phones", keyOK, `{"business_emails":["abhilash@crustdata.com"],"fields":["contact.phone_numbers"]}`, 1 + 2, "match"},
		{"ContactPartlyStored", keyOK, `{"professional_network_profile_urls":["linkedin.com/in/dvdhsu"],"fields":["contact"]}`, 1 + 1, "match"},
		{"DevPlatform", keyOK, `{"professional_network_profile_urls":["linkedin.com/in/abhilashchowdhary"],"fields":["dev_platform_profiles"]}`, 2, "match"},
		{"Invalid", keyOK, `{"business_emails":[]}`, -1, ""},
		{"Broke", keyBroke, `{"professional_network_profile_urls":["linkedin.com/in/dvdhsu"]}`, -1, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			w := h.do(http.MethodPost, "/person/enrich", tt.key, "", []byte(tt.body))
			if tt.want < 0 {
				if len(h.charges) != 0 {
					t.Fatalf("charges=%+v, want none", h.charges)
				}
				return
			}
			if w.Code != 200 || len(h.charges) != 1 {
				t.Fatalf("status=%d charges=%+v: %s", w.Code, h.charges, w.Body)
			}
			c := h.charges[0]
			if c.Credits != tt.want || c.Outcome != tt.outcome || c.API != enrichd.APICrustdata || c.Endpoint != "person/enrich" {
				t.Fatalf("charge=%+v, want %d credits, outcome %q", c, tt.want, tt.outcome)
			}
			if got, want := w.Header().Get("x-credits-used"), fmt.Sprint(tt.want); got != want {
				t.Fatalf("x-credits-used=%s, want %s", got, want)
			}
		})
	}
}

// Ensure the search request reaches the store as the filter language says.
func TestPersonSearch_Request(t *testing.T) {
	h := newHarness(t)
	body := `{"filters":{"field":"basic_profile.name","type":"=","value":"David Hsu"},"sorts":[{"field":"professional_network.connections","order":"desc"}],"count":7,"cursor":"abc",
		"post_processing":{"exclude_profiles":["https://www.linkedin.com/in/abhilashchowdhary"]},"explain":true,"return_query":false}`
	w := h.do(http.MethodPost, "/person/search", keyOK, "", []byte(body))
	if len(h.searches) != 1 {
		t.Fatalf("searches=%d: %s", len(h.searches), w.Body)
	}
	s := h.searches[0]
	if s.Limit != 7 || s.Cursor != "abc" || !s.TotalCount || len(s.Sorts) != 1 || s.Sorts[0].Order != "desc" {
		t.Fatalf("search=%+v", s)
	}
	if s.Filter == nil || s.Filter.Op != "and" || len(s.Filter.Conditions) != 2 ||
		s.Filter.Conditions[1].Type != enrichd.FilterNotIn || s.Filter.Conditions[1].Field != "social_handles.professional_network_identifier.profile_url" {
		t.Fatalf("filter=%+v, want the exclusions ANDed on", s.Filter)
	}
}

// Ensure the identifiers reach the engine normalised, with the threshold.
func TestPersonEnrich_MatchRequest(t *testing.T) {
	var got []enrichd.MatchRequest
	s := &kit.Services{
		Matcher: &mock.Matcher{MatchPersonFn: func(_ context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
			got = append(got, req)
			return &enrichd.Match{}, nil
		}},
		Kit: &kit.Kit{Prices: kit.DefaultPrices(), Accounts: &mock.AccountService{
			AuthenticateFn: func(context.Context, string) (*enrichd.APIKey, error) {
				return &enrichd.APIKey{ID: "k", Plan: enrichd.DefaultPlan()}, nil
			},
			ChargeFn: func(context.Context, enrichd.Charge) (int64, error) { return 0, nil },
		}},
	}
	h := &harness{handler: crustdata.NewHandler(s)}
	w := h.do(http.MethodPost, "/person/enrich", keyOK, "", []byte(`{"business_emails":[" Mailto:Jane.Doe@Acme.COM ","jane.doe@acme.com"],"min_similarity_score":0.7}`))
	if w.Code != 200 {
		t.Fatalf("status=%d: %s", w.Code, w.Body)
	}
	want, _ := match.CleanEmail("jane.doe@acme.com")
	if len(got) != 1 || got[0].Email != want || got[0].MinConfidence != 0.7 || got[0].TopK != 1 {
		t.Fatalf("match requests=%+v, want one for %s (duplicates share it)", got, want)
	}
	var results []struct {
		MatchedOn string `json:"matched_on"`
		Matches   []any  `json:"matches"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &results); err != nil || len(results) != 2 || results[0].MatchedOn != " Mailto:Jane.Doe@Acme.COM " || results[1].Matches == nil {
		t.Fatalf("results=%+v err=%v", results, err)
	}
}
