package native_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/mock"
)

func post(tb testing.TB, h http.Handler, path, key string, body []byte) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Ensure each request writes the ledger entries it reports, under its request id.
func TestPersonEnrich_Ledger(t *testing.T) {
	t.Run("Match", func(t *testing.T) {
		env := NewEnv(t, true)
		rec := post(t, env.Handler, "/v1/person/enrich", keyGood, []byte(`{"email":"jane.doe@acme.com"}`))
		if rec.Code != 200 {
			t.Fatalf("status=%d body=%s", rec.Code, rec.Body)
		}
		want := []enrichd.Charge{{KeyID: "key_good", RequestID: "req_test", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1, CreatedAt: fixedTime}}
		if !reflect.DeepEqual(env.Accounts.Ledger, want) {
			t.Fatalf("ledger=%+v, want %+v", env.Accounts.Ledger, want)
		}
	})
	t.Run("MissIsRecordedFree", func(t *testing.T) {
		env := NewEnv(t, true)
		post(t, env.Handler, "/v1/person/enrich", keyGood, []byte(`{"email":"nobody@example.org"}`))
		if got := env.Accounts.Ledger; len(got) != 1 || got[0].Outcome != "miss" || got[0].Credits != 0 {
			t.Fatalf("ledger=%+v", got)
		}
	})
	t.Run("PaymentWritesNothing", func(t *testing.T) {
		env := NewEnv(t, true)
		rec := post(t, env.Handler, "/v1/person/enrich", keyPoor, []byte(`{"email":"jane.doe@acme.com"}`))
		if rec.Code != 402 || strings.Contains(rec.Body.String(), "Jane") {
			t.Fatalf("status=%d body=%s", rec.Code, rec.Body)
		}
		if len(env.Accounts.Ledger) != 0 {
			t.Fatalf("ledger=%+v", env.Accounts.Ledger)
		}
	})
	t.Run("BatchItemsAreSeparateEntries", func(t *testing.T) {
		env := NewEnv(t, true)
		rec := post(t, env.Handler, "/v1/person/enrich", keyTwo, []byte(`{"requests":[{"email":"jane.doe@acme.com"},{"email":"jane.doe@acme.com"},{"email":"jane.doe@acme.com"},{"email":"nobody@example.org"}]}`))
		if rec.Code != 200 {
			t.Fatalf("status=%d body=%s", rec.Code, rec.Body)
		}
		var ids []string
		var sum int64
		for _, c := range env.Accounts.Ledger {
			ids = append(ids, c.RequestID+":"+c.Outcome)
			sum += c.Credits
		}
		if got, want := strings.Join(ids, ","), "req_test#0:match,req_test#1:match,req_test#3:miss"; got != want {
			t.Fatalf("ledger=%s, want %s", got, want)
		}
		var resp struct {
			Credits struct{ Used, Remaining int64 }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Credits.Used != sum || resp.Credits.Remaining != 0 {
			t.Fatalf("credits=%+v, ledger sum %d", resp.Credits, sum)
		}
	})
	t.Run("CompanyAndSearch", func(t *testing.T) {
		env := NewEnv(t, true)
		post(t, env.Handler, "/v1/company/enrich", keyGood, []byte(`{"domain":"acme.com"}`))
		post(t, env.Handler, "/v1/person/search", keyGood, []byte(`{"filters":{"field":"basic_profile.name","type":"=","value":"Jane Doe"}}`))
		var got []string
		for _, c := range env.Accounts.Ledger {
			got = append(got, c.Endpoint+":"+c.Outcome)
		}
		if want := "company/enrich:company,person/search:search"; strings.Join(got, ",") != want {
			t.Fatalf("ledger=%v, want %s", got, want)
		}
	})
}

// Ensure plan prices override the price book, and search is priced per result.
func TestPrices(t *testing.T) {
	accounts := NewAccounts()
	auth := accounts.AuthenticateFn
	accounts.AuthenticateFn = func(ctx context.Context, secret string) (*enrichd.APIKey, error) {
		k, err := auth(ctx, secret)
		if k != nil {
			k.Plan.Prices = map[string]int64{"native:match": 3, "native:search": 2}
		}
		return k, err
	}
	h := native.NewHandler(&kit.Services{People: People(true), Matcher: Matcher(),
		Kit: &kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices()}})
	if rec := post(t, h, "/v1/person/enrich", keyGood, []byte(`{"email":"jane.doe@acme.com"}`)); rec.Header().Get("X-Credits-Used") != "3" {
		t.Fatalf("enrich used %q, want 3", rec.Header().Get("X-Credits-Used"))
	}
	if rec := post(t, h, "/v1/person/search", keyGood, []byte(`{}`)); rec.Header().Get("X-Credits-Used") != "4" {
		t.Fatalf("search of 2 people used %q, want 4", rec.Header().Get("X-Credits-Used"))
	}
}

// Ensure the request reaches the engine as the caller sent it, options included.
func TestPersonEnrich_MatchRequest(t *testing.T) {
	env := NewEnv(t, true)
	var got enrichd.MatchRequest
	env.Matcher.MatchPersonFn = func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
		got = req
		return &enrichd.Match{}, nil
	}
	body := `{"linkedin_url":"li","email":"e","phone":"p","full_name":"fn","first_name":"f","last_name":"l","company_name":"cn",
		"company_domain":"cd","company_linkedin_url":"cl","title":"t","country":"c","city":"ci","min_confidence":0.5,"top_k":3,"explain":true}`
	if rec := post(t, env.Handler, "/v1/person/enrich", keyGood, []byte(body)); rec.Code != 200 {
		t.Fatalf("status=%d body=%s", rec.Code, rec.Body)
	}
	want := enrichd.MatchRequest{LinkedInURL: "li", Email: "e", Phone: "p", FullName: "fn", FirstName: "f", LastName: "l",
		CompanyName: "cn", CompanyDomain: "cd", CompanyLinkedInURL: "cl", Title: "t", Country: "c", City: "ci",
		TopK: 3, MinConfidence: 0.5, Explain: true}
	if got != want {
		t.Fatalf("request=%+v\nwant %+v", got, want)
	}
}

// Ensure the handler enforces min_confidence and top_k even if the engine
// returns more, and never modifies the engine's records.
func TestPersonEnrich_Contract(t *testing.T) {
	env := NewEnv(t, true)
	shared := Jane()
	env.Matcher.MatchPersonFn = func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) {
		return &enrichd.Match{Candidates: []enrichd.Candidate{
			{Person: shared, Confidence: 0.9}, {Person: John("b", "x"), Confidence: 0.8}, {Person: John("c", "x"), Confidence: 0.2},
		}}, nil
	}
	rec := post(t, env.Handler, "/v1/person/enrich", keyGood, []byte(`{"email":"x@y.z","top_k":2,"min_confidence":0.5,"fields":["full_name"]}`))
	var resp struct {
		Candidates []struct{ Confidence float64 }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Candidates) != 2 {
		t.Fatalf("candidates=%+v", resp.Candidates)
	}
	if !reflect.DeepEqual(shared, Jane()) {
		t.Fatal("the engine's person was modified")
	}
}

// Ensure the fields vocabulary is exactly enrichd.Person's top-level JSON names,
// so that a new Person field cannot be silently unselectable.
func TestPersonFields_CoverPerson(t *testing.T) {
	typ := reflect.TypeFor[enrichd.Person]()
	var want []string
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		want = append(want, name)
	}
	got := native.PersonFields()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields=%v\nwant %v", got, want)
	}
	// Projecting onto every field must reproduce the person.
	p := Jane()
	if out := native.Project(p, want, &enrichd.APIKey{Plan: enrichd.DefaultPlan()}); !reflect.DeepEqual(out, p) {
		t.Fatalf("projection onto all fields lost data:\n%+v\n%+v", out, p)
	}
}

// Ensure the documented status of every machine code.
func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		enrichd.EINVALID: 400, enrichd.EUNAUTHORIZED: 401, enrichd.EPAYMENT: 402, enrichd.EFORBIDDEN: 403,
		enrichd.ENOTFOUND: 404, "method_not_allowed": 405, enrichd.ECONFLICT: 409, "request_too_large": 413,
		enrichd.ERATELIMIT: 429, enrichd.EQUOTA: 429, enrichd.EINTERNAL: 500, enrichd.ENOTIMPLEMENTED: 501,
		enrichd.EUNAVAILABLE: 503, "something_new": 500,
	} {
		if got := native.StatusOf(code); got != want {
			t.Errorf("StatusOf(%q)=%d, want %d", code, got, want)
		}
	}
}

// Ensure an oversized body is refused with 413 before it is parsed.
func TestTooLarge(t *testing.T) {
	env := NewEnv(t, true)
	body := `{"email":"` + strings.Repeat("a", native.MaxBodyBytes) + `"}`
	rec := post(t, env.Handler, "/v1/person/enrich", keyGood, []byte(body))
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `"request_too_large"`) {
		t.Fatalf("status=%d body=%.200s", rec.Code, rec.Body)
	}
}

// Ensure quota and unavailable limiter errors use the envelope and 429/503.
func TestLimiterErrors(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
	}{
		{&enrichd.Error{Code: enrichd.EQUOTA, Message: "Daily quota exhausted."}, 429},
		{enrichd.Errorf(enrichd.EUNAVAILABLE, "Rate limiter unavailable."), 503},
	} {
		s := &kit.Services{Matcher: Matcher(), Kit: &kit.Kit{Accounts: NewAccounts(), Prices: kit.DefaultPrices(),
			Limiter: &mock.Limiter{AllowFn: func(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
				return enrichd.RateState{}, tc.err
			}}}}
		rec := post(t, native.NewHandler(s), "/v1/person/enrich", keyGood, []byte(`{"email":"jane.doe@acme.com"}`))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), enrichd.ErrorCode(tc.err)) {
			t.Errorf("%v: status=%d body=%s", tc.err, rec.Code, rec.Body)
		}
	}
}
