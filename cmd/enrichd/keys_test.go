package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
)

// cli runs the command line against db and returns stdout, stderr and the error.
func cli(t *testing.T, db string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if db != "" {
		args = append(args, "--db", db)
	}
	err := run(context.Background(), args, envOf(nil), strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

var secretRE = regexp.MustCompile(`^ek_live_[A-Z2-7]{26}$`)

// mustCreateKey runs keys create and returns the printed secret.
func mustCreateKey(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errOut, err := cli(t, db, append([]string{"keys", "create"}, args...)...)
	if err != nil {
		t.Fatalf("keys create: %v\n%s", err, errOut)
	}
	secret := lastLine(out)
	if !secretRE.MatchString(secret) {
		t.Fatalf("last line %q is not a key alone; stdout:\n%s", secret, out)
	}
	return secret
}

// accountsOf opens the store for checks behind the CLI's back.
func accountsOf(t *testing.T, db string) enrichd.AccountService {
	t.Helper()
	st, err := openStores(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.Accounts
}

func TestKeys_Create(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	t.Run("Contract", func(t *testing.T) {
		// Ensure the exact contract: enrichd keys create --db DSN --name NAME --credits N prints the key alone last.
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"keys", "create", "--db", db, "--name", "acme", "--credits", "1000"}, envOf(nil), strings.NewReader(""), &stdout, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		secret := lastLine(stdout.String())
		if !secretRE.MatchString(secret) || !strings.HasSuffix(stdout.String(), secret+"\n") {
			t.Fatalf("stdout=%q", stdout.String())
		}
		k, err := accountsOf(t, db).Authenticate(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		want := enrichd.DefaultPlan()
		if k.Name != "acme" || k.Balance != 1000 || k.Plan.Name != want.Name || k.Plan.RequestsPerMinute != 600 || k.Plan.DailyQuota != 0 ||
			len(k.Plan.APIs) != 0 || strings.Join(k.Plan.FieldPermissions, ",") != "contact,certifications,honors" || k.ExpiresAt != nil {
			t.Fatalf("key=%+v", k)
		}
	})
	t.Run("EnvDB", func(t *testing.T) {
		// Ensure ENRICHD_DB is used when --db is absent.
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"keys", "create", "--name", "env"}, envOf(map[string]string{EnvDB: db}), strings.NewReader(""), &stdout, &stderr)
		if err != nil || !secretRE.MatchString(lastLine(stdout.String())) {
			t.Fatalf("err=%v stdout=%s", err, stdout.String())
		}
	})
	t.Run("CustomPlan", func(t *testing.T) {
		secret := mustCreateKey(t, db, "--name", "basic", "--credits", "5", "--rpm", "10", "--daily-quota", "100",
			"--apis", "clodura,apione", "--deny", "clodura:enrich", "--fields", "none", "--price", "clodura:person=1", "--expires", "30d")
		k, err := accountsOf(t, db).Authenticate(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		p := k.Plan
		if p.Name != "custom" || p.RequestsPerMinute != 10 || p.DailyQuota != 100 || strings.Join(p.APIs, ",") != "clodura,apione" ||
			strings.Join(p.DeniedEndpoints, ",") != "clodura:enrich" || len(p.FieldPermissions) != 0 || p.Prices["clodura:person"] != 1 || k.ExpiresAt == nil {
			t.Fatalf("key=%+v", k)
		}
	})
	for _, tt := range []struct {
		name      string
		args      []string
		wantUsage bool
		wantMsg   string
	}{
		{"ErrNoName", []string{"--credits", "5"}, true, "--name is required"},
		{"ErrNegativeCredits", []string{"--name", "x", "--credits", "-5"}, true, "--credits"},
		{"ErrBadAPI", []string{"--name", "x", "--apis", "zoominfo"}, false, "unknown API"},
		{"ErrBadDeny", []string{"--name", "x", "--deny", "enrich"}, false, "api:endpoint"},
		{"ErrBadPrice", []string{"--name", "x", "--price", "clodura=1"}, true, "price"},
		{"ErrBadExpiry", []string{"--name", "x", "--expires", "someday"}, true, "--expires"},
		{"ErrPastExpiry", []string{"--name", "x", "--expires", "2001-01-01"}, false, "expires_at"},
		{"ErrExtraArg", []string{"--name", "x", "extra"}, true, "unexpected argument"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := cli(t, db, append([]string{"keys", "create"}, tt.args...)...)
			var ue usageError
			if err == nil || isUsage(err, &ue) != tt.wantUsage || !strings.Contains(err.Error()+errOut, tt.wantMsg) {
				t.Fatalf("err=%v stderr=%s, want usage=%v %q", err, errOut, tt.wantUsage, tt.wantMsg)
			}
			if strings.Contains(out, "ek_live_") {
				t.Fatal("a key was printed")
			}
		})
	}
}

func isUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}

func TestKeys_ListShowUpdateRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	out, _, err := cli(t, db, "keys", "list")
	if err != nil || !strings.Contains(out, "No API keys") {
		t.Fatalf("empty list: %v %s", err, out)
	}
	secret := mustCreateKey(t, db, "--name", "acme", "--credits", "7")
	mustCreateKey(t, db, "--name", "other")
	accounts := accountsOf(t, db)
	k, err := accounts.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}

	out, _, err = cli(t, db, "keys", "list")
	if err != nil || !strings.Contains(out, k.ID) || !strings.Contains(out, k.Prefix) || !strings.Contains(out, "other") || strings.Contains(out, secret) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, _, err = cli(t, db, "keys", "list", "--json")
	var listed []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 2 || listed[0]["status"] != "active" {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	for _, ref := range []string{k.ID, k.Prefix, secret} {
		out, _, err = cli(t, db, "keys", "show", ref)
		if err != nil || !strings.Contains(out, "Balance:") || !strings.Contains(out, "7 credits") || strings.Contains(out, secret) {
			t.Fatalf("show %s: %v\n%s", ref, err, out)
		}
	}
	if _, _, err := cli(t, db, "keys", "show", "0000000000000000"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("show unknown: %v", err)
	}
	if _, _, err := cli(t, db, "keys", "show", "ek_live_ZZZZ"); err == nil || !strings.Contains(err.Error(), "no API key") {
		t.Fatalf("show unknown prefix: %v", err)
	}

	// update changes only what is given.
	out, _, err = cli(t, db, "keys", "update", k.ID, "--rpm", "5", "--price", "apione:success=2")
	if err != nil || !strings.Contains(out, "5/min") {
		t.Fatalf("update: %v\n%s", err, out)
	}
	got, _ := accounts.FindAPIKeyByID(context.Background(), k.ID)
	if got.Plan.RequestsPerMinute != 5 || got.Plan.Prices["apione:success"] != 2 || len(got.Plan.FieldPermissions) != 3 || got.Plan.Name != "default" {
		t.Fatalf("plan=%+v", got.Plan)
	}
	if _, _, err := cli(t, db, "keys", "update", k.ID); err == nil {
		t.Fatal("update without flags accepted")
	}
	if _, _, err := cli(t, db, "keys", "update", k.ID, "--rpm", "-1"); err == nil || !strings.Contains(err.Error(), "requests_per_minute") {
		t.Fatalf("update invalid: %v", err)
	}

	out, _, err = cli(t, db, "keys", "revoke", k.Prefix)
	if err != nil || !strings.Contains(out, "Revoked") {
		t.Fatalf("revoke: %v\n%s", err, out)
	}
	// A fresh store handle: another process's cache may hold the key for sqlite.AuthCacheTTL.
	if _, err := accountsOf(t, db).Authenticate(context.Background(), secret); enrichd.ErrorCode(err) != enrichd.EUNAUTHORIZED {
		t.Fatalf("revoked key authenticates: %v", err)
	}
	out, _, _ = cli(t, db, "keys", "list")
	if !strings.Contains(out, "revoked") {
		t.Fatalf("list after revoke:\n%s", out)
	}
	for _, args := range [][]string{{"keys", "revoke"}, {"keys", "frob"}, {"keys", "show"}} {
		if _, _, err := cli(t, db, args...); err == nil {
			t.Fatalf("%v accepted", args)
		}
	}
	if _, _, err := cli(t, "", "keys"); err == nil {
		t.Fatal("keys without subcommand accepted")
	}
	if _, errOut, err := cli(t, "", "keys", "--help"); err != errHelp || !strings.Contains(errOut, "600 requests per minute") {
		t.Fatalf("help: %v %s", err, errOut)
	}
}
