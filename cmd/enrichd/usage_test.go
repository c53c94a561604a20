package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
)

func TestUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "usage.db")
	sa := mustCreateKey(t, db, "--name", "a", "--credits", "100")
	mustCreateKey(t, db, "--name", "b", "--credits", "50")
	accounts := accountsOf(t, db)
	a, _ := accounts.Authenticate(context.Background(), sa)
	for _, c := range []enrichd.Charge{
		{KeyID: a.ID, RequestID: "r1", API: "clodura", Endpoint: "enrich", Outcome: "person", Credits: 2},
		{KeyID: a.ID, RequestID: "r2", API: "clodura", Endpoint: "enrich", Outcome: "person", Credits: 2},
		{KeyID: a.ID, RequestID: "r3", API: "clodura", Endpoint: "enrich", Outcome: "none", Credits: 0},
	} {
		if _, err := accounts.Charge(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("Table", func(t *testing.T) {
		out, _, err := cli(t, db, "usage")
		if err != nil || !strings.Contains(out, "Total: 3 requests, 4 credits spent, 150 credits granted.") || !strings.Contains(out, "person") {
			t.Fatalf("err=%v\n%s", err, out)
		}
	})
	t.Run("OneKeyJSON", func(t *testing.T) {
		out, _, err := cli(t, db, "usage", "--key", a.Prefix, "--json", "--entries", "--since", "1h")
		var v struct {
			KeyID   string               `json:"key_id"`
			Summary enrichd.UsageSummary `json:"summary"`
			Entries []enrichd.Charge     `json:"entries"`
		}
		if err != nil || json.Unmarshal([]byte(out), &v) != nil {
			t.Fatalf("err=%v\n%s", err, out)
		}
		if v.KeyID != a.ID || v.Summary.Debited != 4 || v.Summary.Granted != 100 || len(v.Entries) != 4 {
			t.Fatalf("%+v", v)
		}
	})
	t.Run("Entries", func(t *testing.T) {
		out, _, err := cli(t, db, "usage", "--entries")
		if err != nil || !strings.Contains(out, "r2") || !strings.Contains(out, "initial credits") {
			t.Fatalf("err=%v\n%s", err, out)
		}
	})
	t.Run("FutureIsEmpty", func(t *testing.T) {
		out, _, err := cli(t, db, "usage", "--since", "2999-01-01")
		if err != nil || !strings.Contains(out, "Total: 0 requests") {
			t.Fatalf("err=%v\n%s", err, out)
		}
	})
	for _, args := range [][]string{{"usage", "--since", "last week"}, {"usage", "--key", "0000000000000000"}, {"usage", "extra"}} {
		if _, _, err := cli(t, db, args...); err == nil {
			t.Fatalf("%v accepted", args)
		}
	}
}
