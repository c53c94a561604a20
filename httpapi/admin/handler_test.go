package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/admin"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/sqlite"
)

const token = "admin-token-for-tests"

func mustHandler(tb testing.TB, token string) (http.Handler, *sqlite.AccountService) {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "admin.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	accounts := sqlite.NewAccountService(db)
	return admin.NewHandler(&kit.Services{Kit: &kit.Kit{Accounts: accounts}}, token), accounts
}

type scenario struct {
	name         string
	method, url  string
	headers      map[string]string
	body         string
	wantStatus   int
	wantContains []string
}

func run(t *testing.T, h http.Handler, tt scenario) map[string]any {
	t.Helper()
	r := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
	for k, v := range tt.headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != tt.wantStatus {
		t.Fatalf("%s %s: status=%d body=%s, want %d", tt.method, tt.url, w.Code, w.Body, tt.wantStatus)
	}
	for _, s := range tt.wantContains {
		if !strings.Contains(w.Body.String(), s) {
			t.Fatalf("%s %s: body=%s, want %q", tt.method, tt.url, w.Body, s)
		}
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content-type=%q", ct)
	}
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not a JSON object: %s", w.Body)
	}
	return v
}

var auth = map[string]string{"Authorization": "Bearer " + token}

// Ensure every path of bad or missing admin credentials is refused before
// routing, and that a customer key can never reach the admin API.
func TestAdmin_Credentials(t *testing.T) {
	h, accounts := mustHandler(t, token)
	_, customer, err := accounts.CreateAPIKey(context.Background(), "customer", enrichd.DefaultPlan(), 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []scenario{
		{"Missing", "GET", "/admin/v1/keys", nil, "", 401, []string{`"unauthorized"`, "Missing admin token"}},
		{"MissingOnUnknownPath", "GET", "/admin/v1/nothing", nil, "", 401, nil},
		{"EmptyBearer", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Bearer "}, "", 401, nil},
		{"BasicScheme", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Basic " + token}, "", 401, nil},
		{"Wrong", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Bearer nope"}, "", 401, []string{"Invalid admin token"}},
		{"Prefix", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Bearer " + token[:5]}, "", 401, nil},
		{"Longer", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Bearer " + token + "x"}, "", 401, nil},
		{"CustomerKeyBearer", "GET", "/admin/v1/keys", map[string]string{"Authorization": "Bearer " + customer}, "", 403, []string{"Customer API keys"}},
		{"CustomerKeyHeader", "POST", "/admin/v1/keys", map[string]string{"X-Admin-Token": customer}, `{"name":"x"}`, 403, nil},
		{"CustomerKeyAsAPIKey", "GET", "/admin/v1/keys", map[string]string{"X-API-Key": customer}, "", 401, nil},
		{"OKBearer", "GET", "/admin/v1/keys", auth, "", 200, []string{`"keys"`}},
		{"OKBearerLowerCase", "GET", "/admin/v1/keys", map[string]string{"Authorization": "bearer " + token}, "", 200, nil},
		{"OKHeader", "GET", "/admin/v1/keys", map[string]string{"X-Admin-Token": token}, "", 200, nil},
	} {
		t.Run(tt.name, func(t *testing.T) { run(t, h, tt) })
	}
	t.Run("Disabled", func(t *testing.T) {
		// Ensure an empty configured token disables the API, whatever is sent.
		h, _ := mustHandler(t, "")
		for _, hdr := range []map[string]string{nil, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}} {
			run(t, h, scenario{"", "GET", "/admin/v1/keys", hdr, "", 404, []string{"disabled"}})
		}
	})
}

// Ensure the key lifecycle through the admin API: create (secret once),
// list, get, plan, grant, usage, revoke; and the errors of each.
func TestAdmin_Keys(t *testing.T) {
	h, accounts := mustHandler(t, token)
	created := run(t, h, scenario{"", "POST", "/admin/v1/keys", auth, `{"name":"acme","credits":100,"expires_in":"30d"}`, 201, []string{`"secret": "ek_live_`, `"requests_per_minute": 600`}})
	key := created["key"].(map[string]any)
	id := key["id"].(string)
	secret := created["secret"].(string)
	if key["expires_at"] == nil {
		t.Fatal("expires_in ignored")
	}
	if _, err := accounts.Authenticate(context.Background(), secret); err != nil {
		t.Fatalf("created secret does not authenticate: %v", err)
	}
	if _, err := accounts.Charge(context.Background(), enrichd.Charge{KeyID: id, API: "clodura", Endpoint: "enrich", Outcome: "person", Credits: 2}); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []scenario{
		{"List", "GET", "/admin/v1/keys", auth, "", 200, []string{id, `"status": "active"`}},
		{"ListHidesSecret", "GET", "/admin/v1/keys/" + id, auth, "", 200, []string{`"balance": 98`}},
		{"GetPlan", "GET", "/admin/v1/keys/" + id + "/plan", auth, "", 200, []string{`"name": "default"`}},
		{"UpdatePlan", "PUT", "/admin/v1/keys/" + id + "/plan", auth, `{"name":"basic","requests_per_minute":5,"apis":["clodura"],"prices":{"clodura:person":3}}`, 200, []string{`"basic"`, `"clodura:person": 3`}},
		{"Grant", "POST", "/admin/v1/keys/" + id + "/grants", auth, `{"credits":50,"note":"invoice 7"}`, 200, []string{`"balance": 148`}},
		{"TakeBack", "POST", "/admin/v1/keys/" + id + "/grants", auth, `{"credits":-8}`, 200, []string{`"balance": 140`}},
		{"KeyUsage", "GET", "/admin/v1/keys/" + id + "/usage?entries=true", auth, "", 200, []string{`"debited": 2`, `"granted": 142`, `"invoice 7"`}},
		{"AllUsage", "GET", "/admin/v1/usage?since=1h", auth, "", 200, []string{`"requests": 1`}},
		{"UsageByQuery", "GET", "/admin/v1/usage?key_id=" + id + "&since=2020-01-01", auth, "", 200, []string{`"debited": 2`}},
		{"Revoke", "DELETE", "/admin/v1/keys/" + id, auth, "", 200, []string{`"status": "revoked"`, `"revoked_at"`}},
		{"RevokeAgain", "POST", "/admin/v1/keys/" + id + "/revoke", auth, "", 200, []string{`"revoked"`}},

		{"ErrCreateNoName", "POST", "/admin/v1/keys", auth, `{"credits":1}`, 400, []string{`"name": "is required"`}},
		{"ErrCreateNegative", "POST", "/admin/v1/keys", auth, `{"name":"x","credits":-5}`, 400, []string{`"credits"`}},
		{"ErrCreateBadPlan", "POST", "/admin/v1/keys", auth, `{"name":"x","plan":{"name":"p","apis":["zoominfo"]}}`, 400, []string{`unknown API \"zoominfo\"`}},
		{"ErrCreateUnknownField", "POST", "/admin/v1/keys", auth, `{"name":"x","credit":5}`, 400, []string{`"credit": "unknown field"`}},
		{"ErrCreateWrongType", "POST", "/admin/v1/keys", auth, `{"name":"x","credits":"5"}`, 400, []string{`"credits"`}},
		{"ErrCreateMalformed", "POST", "/admin/v1/keys", auth, `{"name":`, 400, []string{"JSON"}},
		{"ErrCreateEmpty", "POST", "/admin/v1/keys", auth, ``, 400, []string{"JSON object"}},
		{"ErrCreateTwoObjects", "POST", "/admin/v1/keys", auth, `{"name":"x"}{"name":"y"}`, 400, nil},
		{"ErrCreateBothExpiries", "POST", "/admin/v1/keys", auth, `{"name":"x","expires_in":"1h","expires_at":"2099-01-01T00:00:00Z"}`, 400, []string{"expires_in"}},
		{"ErrCreateBadExpiresIn", "POST", "/admin/v1/keys", auth, `{"name":"x","expires_in":"soon"}`, 400, []string{"expires_in"}},
		{"ErrCreatePastExpiry", "POST", "/admin/v1/keys", auth, `{"name":"x","expires_at":"2001-01-01T00:00:00Z"}`, 400, []string{"expires_at"}},
		{"ErrGetUnknown", "GET", "/admin/v1/keys/0000000000000000", auth, "", 404, []string{`"not_found"`}},
		{"ErrRevokeUnknown", "DELETE", "/admin/v1/keys/0000000000000000", auth, "", 404, nil},
		{"ErrPlanInvalid", "PUT", "/admin/v1/keys/" + id + "/plan", auth, `{"requests_per_minute":-1}`, 400, []string{`"requests_per_minute"`, `"name"`}},
		{"ErrPlanUnknownKey", "PUT", "/admin/v1/keys/0000000000000000/plan", auth, `{"name":"p"}`, 404, nil},
		{"ErrGrantZero", "POST", "/admin/v1/keys/" + id + "/grants", auth, `{"credits":0}`, 400, nil},
		{"ErrGrantBelowZero", "POST", "/admin/v1/keys/" + id + "/grants", auth, `{"credits":-1000}`, 400, []string{"Cannot take back"}},
		{"ErrGrantUnknownKey", "POST", "/admin/v1/keys/0000000000000000/grants", auth, `{"credits":5}`, 404, nil},
		{"ErrUsageBadSince", "GET", "/admin/v1/usage?since=yesterday", auth, "", 400, []string{"Invalid time"}},
		{"ErrUsageBadEntries", "GET", "/admin/v1/usage?entries=maybe", auth, "", 400, nil},
		{"ErrUsageUnknownKey", "GET", "/admin/v1/usage?key_id=0000000000000000", auth, "", 404, nil},
		{"ErrMethod", "PATCH", "/admin/v1/keys", auth, "", 405, []string{"method_not_allowed"}},
		{"ErrUnknownPath", "GET", "/admin/v1/bogus", auth, "", 404, []string{"No admin endpoint"}},
	} {
		t.Run(tt.name, func(t *testing.T) { run(t, h, tt) })
	}
	if _, err := accounts.Authenticate(context.Background(), secret); enrichd.ErrorCode(err) != enrichd.EUNAUTHORIZED {
		t.Fatalf("revoked key still authenticates: %v", err)
	}
}
