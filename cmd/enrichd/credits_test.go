package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestCredits_Grant(t *testing.T) {
	db := filepath.Join(t.TempDir(), "credits.db")
	secret := mustCreateKey(t, db, "--name", "acme", "--credits", "10")
	accounts := accountsOf(t, db)
	k, err := accounts.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
		wantOut string
	}{
		{"Positional", []string{"credits", "grant", k.ID, "5"}, "", "balance now 15"},
		{"ByPrefixWithNote", []string{"credits", "grant", k.Prefix, "5", "--note", "invoice 7"}, "", "balance now 20"},
		{"Flags", []string{"credits", "grant", "--key", k.ID, "--credits", "-20"}, "", "Took back 20 credits"},
		{"ErrBelowZero", []string{"credits", "grant", "--key", k.ID, "--credits", "-1"}, "Cannot take back", ""},
		{"ErrZero", []string{"credits", "grant", k.ID, "0"}, "non-zero", ""},
		{"ErrNotNumber", []string{"credits", "grant", k.ID, "lots"}, "non-zero whole number", ""},
		{"ErrMissing", []string{"credits", "grant", k.ID}, "want a KEY and a number", ""},
		{"ErrUnknownKey", []string{"credits", "grant", "0000000000000000", "5"}, "not found", ""},
		{"ErrSubcommand", []string{"credits", "give", k.ID, "5"}, "unknown subcommand", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := cli(t, db, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error()+errOut, tt.wantErr) {
					t.Fatalf("err=%v stderr=%s, want %q", err, errOut, tt.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("err=%v out=%s, want %q", err, out, tt.wantOut)
			}
		})
	}
	got, _ := accounts.FindAPIKeyByID(context.Background(), k.ID)
	if got.Balance != 0 {
		t.Fatalf("balance=%d, want 0", got.Balance)
	}
}
