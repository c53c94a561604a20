package native_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
)

// Ensure the native API works end to end over the real engine, a real
// SQLite store and real accounts: matches, misses, company enrichment,
// search and the ledger.
// e2e is the native API over the real engine, SQLite store and accounts,
// holding Jane at Acme.
type e2e struct {
	h        http.Handler
	secret   string
	keyID    string
	accounts *sqlite.AccountService
}

func newE2E(tb testing.TB, credits int64) *e2e {
	tb.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "e2e.db"))
	if err := db.Open(ctx, false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	keyer := match.NewKeyer()
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	accounts := sqlite.NewAccountService(db)

	acme := Acme()
	acme.ID = ""
	jane := Jane()
	jane.ID = ""
	jane.Employment[0].CompanyID = ""
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, []enrichd.IngestRecord{{Person: jane, Company: acme}}); err != nil {
		tb.Fatal(err)
	}
	created, secret, err := accounts.CreateAPIKey(ctx, "e2e", enrichd.DefaultPlan(), credits, nil)
	if err != nil {
		tb.Fatal(err)
	}
	h := native.NewHandler(&kit.Services{People: people, Companies: companies, Matcher: match.NewEngine(people, companies, keyer),
		Kit: &kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices()}})
	return &e2e{h: h, secret: secret, keyID: created.ID, accounts: accounts}
}

// Ensure the native API works end to end over the real engine, a real
// SQLite store and real accounts: matches, misses, company enrichment,
// search and the ledger.
func TestEndToEnd_SQLite(t *testing.T) {
	ctx := context.Background()
	env := newE2E(t, 10)
	h, secret, accounts := env.h, env.secret, env.accounts
	type result struct {
		Match      bool
		Confidence float64
		MatchedOn  string `json:"matched_on"`
		Person     *enrichd.Person
		Company    *enrichd.Company
		Credits    struct{ Used, Remaining int64 }
		People     []*enrichd.Person
		Error      *struct{ Code, Message string }
	}
	call := func(path, body string) (int, result) {
		t.Helper()
		rec := post(t, h, path, secret, []byte(body))
		var r result
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("%s %s: %v: %s", path, body, err, rec.Body)
		}
		return rec.Code, r
	}

	t.Run("Email", func(t *testing.T) {
		code, r := call("/v1/person/enrich", `{"email":"JANE.DOE@acme.com "}`)
		if code != http.StatusOK || !r.Match || r.Person.FullName != "Jane Doe" || r.MatchedOn != enrichd.MatchOnEmail || r.Credits.Used != 1 {
			t.Fatalf("status=%d %+v", code, r)
		}
	})
	t.Run("LinkedIn", func(t *testing.T) {
		code, r := call("/v1/person/enrich", `{"linkedin_url":"linkedin.com/in/janedoe/","fields":["full_name"]}`)
		if code != http.StatusOK || !r.Match || r.Person.FullName != "Jane Doe" || r.Person.Title != "" {
			t.Fatalf("status=%d %+v", code, r)
		}
	})
	t.Run("NameAndCompany", func(t *testing.T) {
		code, r := call("/v1/person/enrich", `{"first_name":"Jane","last_name":"Doe","company_domain":"https://www.acme.com/"}`)
		if code != http.StatusOK || !r.Match || r.Person.FullName != "Jane Doe" {
			t.Fatalf("status=%d %+v %+v", code, r, r.Error)
		}
	})
	t.Run("Miss", func(t *testing.T) {
		code, r := call("/v1/person/enrich", `{"email":"nobody@example.org"}`)
		if code != http.StatusOK || r.Match || r.Credits.Used != 0 {
			t.Fatalf("status=%d %+v", code, r)
		}
	})
	t.Run("Company", func(t *testing.T) {
		code, r := call("/v1/company/enrich", `{"domain":"ACME.com"}`)
		if code != http.StatusOK || !r.Match || r.Company.Name != "Acme" {
			t.Fatalf("status=%d %+v", code, r)
		}
	})
	t.Run("Search", func(t *testing.T) {
		code, r := call("/v1/person/search", `{"filters":{"field":"basic_profile.name","type":"=","value":"Jane Doe"}}`)
		if code != http.StatusOK || len(r.People) != 1 || r.People[0].FullName != "Jane Doe" {
			t.Fatalf("status=%d %+v %+v", code, r, r.Error)
		}
	})
	t.Run("Ledger", func(t *testing.T) {
		entries, err := accounts.Usage(ctx, "", time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var debited int64
		for _, e := range entries {
			if e.API == enrichd.APINative {
				debited += e.Credits
			}
		}
		k, err := accounts.FindAPIKeyByID(ctx, env.keyID) // Authenticate may answer from its cache
		if err != nil {
			t.Fatal(err)
		}
		if debited != 4 || k.Balance != 6 {
			t.Fatalf("debited=%d balance=%d, want 4 and 6 (3 matches and a company)", debited, k.Balance)
		}
	})
}

// BenchmarkEndToEnd_SQLite measures an email enrichment through loopback
// HTTP over the real engine, store and accounts (auth, charge and ledger
// included) against a bare handler writing the same bytes.
func BenchmarkEndToEnd_SQLite(b *testing.B) {
	env := newE2E(b, 1<<40)
	body := []byte(`{"email":"jane.doe@acme.com"}`)
	rec := post(b, env.h, "/v1/person/enrich", env.secret, body)
	if rec.Code != 200 {
		b.Fatalf("status=%d %s", rec.Code, rec.Body)
	}
	canned := rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(canned)
	})
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"native", env.h}, {"bare", bare}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/person/enrich", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+env.secret)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status=%d", resp.StatusCode)
					}
				}
			})
		})
	}
}
