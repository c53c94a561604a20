package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRun_Dispatch(t *testing.T) {
	for _, tt := range []struct {
		Name       string
		Args       []string
		WantUsage  bool
		WantErr    bool
		WantStdout string
		WantStderr string
	}{
		{Name: "NoCommand", Args: nil, WantUsage: true, WantStderr: "Commands:"},
		{Name: "Help", Args: []string{"help"}, WantStdout: "serve"},
		{Name: "HelpFlag", Args: []string{"--help"}, WantStdout: "import"},
		{Name: "HelpCommand", Args: []string{"help", "serve"}, WantStderr: "--demo"},
		{Name: "Unknown", Args: []string{"frobnicate"}, WantUsage: true},
		{Name: "Version", Args: []string{"version"}, WantStdout: "enrichd "},
		{Name: "BadFlag", Args: []string{"serve", "--no-such-flag"}, WantUsage: true, WantStderr: "no-such-flag"},
		{Name: "MigrateExtraArg", Args: []string{"migrate", "--db", filepath.Join(t.TempDir(), "x.db"), "extra"}, WantUsage: true},
		{Name: "MigrateMissingDir", Args: []string{"migrate", "--db", "/nonexistent/dir/x.db"}, WantErr: true},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.Args, envOf(nil), strings.NewReader(""), &stdout, &stderr)
			var ue usageError
			if got := errors.As(err, &ue); got != tt.WantUsage {
				t.Fatalf("usage error=%v, want %v (err %v)", got, tt.WantUsage, err)
			}
			if tt.WantErr && err == nil {
				t.Fatal("want an error")
			}
			if !tt.WantUsage && !tt.WantErr && err != nil {
				t.Fatalf("err=%v", err)
			}
			if !strings.Contains(stdout.String(), tt.WantStdout) {
				t.Fatalf("stdout %q lacks %q", stdout.String(), tt.WantStdout)
			}
			if !strings.Contains(stderr.String(), tt.WantStderr) {
				t.Fatalf("stderr %q lacks %q", stderr.String(), tt.WantStderr)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		Name string
		Err  error
		Want int
	}{
		{"OK", nil, 0},
		{"Help", errHelp, 0},
		{"Usage", usageErrorf("bad"), 2},
		{"Other", errors.New("boom"), 1},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := exitCode(tt.Err, &stderr); got != tt.Want {
				t.Fatalf("exit=%d, want %d", got, tt.Want)
			}
			if tt.Want != 0 && !strings.Contains(stderr.String(), "enrichd: ") {
				t.Fatalf("stderr %q", stderr.String())
			}
		})
	}
}

func TestParseServeConfig(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		Name    string
		Args    []string
		Env     map[string]string
		Check   func(c ServeConfig) bool
		WantErr string
	}{
		{Name: "Defaults", Check: func(c ServeConfig) bool {
			return c.DB == "./enrichd.db" && c.Addr == "127.0.0.1:8080" && c.LogLevel == slog.LevelInfo && c.MaxBodyBytes == 1<<20 && !c.Demo
		}},
		{Name: "DemoDefaultDB", Args: []string{"--demo"}, Check: func(c ServeConfig) bool { return c.DB == "./enrichd-demo.db" && c.Demo }},
		{Name: "DemoWithDB", Args: []string{"--demo", "--db", "x.db"}, Check: func(c ServeConfig) bool { return c.DB == "x.db" }},
		{Name: "Env", Env: map[string]string{
			"ENRICHD_DB": "postgres://u:pw@h/db", "ENRICHD_ADDR": ":9999", "ENRICHD_REDIS_URL": "redis://r:6379/0",
			"ENRICHD_ADMIN_TOKEN": "tok", "ENRICHD_LOG_LEVEL": "warn", "ENRICHD_MAX_BODY_BYTES": "2048", "ENRICHD_SHUTDOWN_TIMEOUT": "5s",
		}, Check: func(c ServeConfig) bool {
			return c.DB == "postgres://u:pw@h/db" && c.Addr == ":9999" && c.RedisURL == "redis://r:6379/0" && c.AdminToken == "tok" &&
				c.LogLevel == slog.LevelWarn && c.MaxBodyBytes == 2048 && c.ShutdownTimeout == 5*time.Second
		}},
		{Name: "FlagsBeatEnv", Args: []string{"--db", "f.db", "--addr", "127.0.0.1:1", "--admin-token", "flag", "--log-level", "debug"},
			Env: map[string]string{"ENRICHD_DB": "e.db", "ENRICHD_ADDR": ":2", "ENRICHD_ADMIN_TOKEN": "env", "ENRICHD_LOG_LEVEL": "error"},
			Check: func(c ServeConfig) bool {
				return c.DB == "f.db" && c.Addr == "127.0.0.1:1" && c.AdminToken == "flag" && c.LogLevel == slog.LevelDebug
			}},
		{Name: "PprofEnv", Env: map[string]string{"ENRICHD_PPROF_ADDR": "127.0.0.1:6060"}, Check: func(c ServeConfig) bool { return c.PprofAddr == "127.0.0.1:6060" }},
		{Name: "TokenFile", Env: map[string]string{"ENRICHD_ADMIN_TOKEN_FILE": tokenFile}, Check: func(c ServeConfig) bool { return c.AdminToken == "from-file" }},
		{Name: "TokenFileMissing", Env: map[string]string{"ENRICHD_ADMIN_TOKEN_FILE": "/nonexistent"}, WantErr: "ENRICHD_ADMIN_TOKEN_FILE"},
		{Name: "BadLevel", Args: []string{"--log-level", "loud"}, WantErr: "invalid log level"},
		{Name: "BadBodyEnv", Env: map[string]string{"ENRICHD_MAX_BODY_BYTES": "lots"}, WantErr: "ENRICHD_MAX_BODY_BYTES"},
		{Name: "ZeroBody", Args: []string{"--max-body-bytes", "0"}, WantErr: "must be positive"},
		{Name: "EmptyDB", Args: []string{"--db", ""}, WantErr: "--db must not be empty"},
		{Name: "ExtraArg", Args: []string{"extra"}, WantErr: "unexpected argument"},
	} {
		t.Run(tt.Name, func(t *testing.T) {
			c, err := parseServeConfig(tt.Args, envOf(tt.Env), &bytes.Buffer{})
			if tt.WantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.WantErr) {
					t.Fatalf("err=%v, want %q", err, tt.WantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.Check(c) {
				t.Fatalf("config %+v", c)
			}
		})
	}
}

func TestServeConfig_StringMasksSecrets(t *testing.T) {
	c := DefaultServeConfig()
	c.DB, c.AdminToken, c.RedisURL = "postgres://app:s3cret@db:5432/enrichd", "t0ken", "redis://:redispw@r:6379/0"
	s := c.String()
	for _, secret := range []string{"s3cret", "t0ken", "redispw"} {
		if strings.Contains(s, secret) {
			t.Fatalf("%q leaks %q", s, secret)
		}
	}
	if !strings.Contains(s, "app:xxxxx@db:5432") {
		t.Fatalf("%q does not show the masked DSN", s)
	}
}

func TestDemoHelpers(t *testing.T) {
	for _, tt := range []struct{ In, Want string }{
		{"./enrichd-demo.db", "./enrichd-demo.key"},
		{"/tmp/x/demo.sqlite", "/tmp/x/demo.key"},
		{"postgres://localhost/test", "enrichd-demo.key"},
	} {
		if got := demoKeyPath(tt.In); got != tt.Want {
			t.Errorf("demoKeyPath(%q)=%q, want %q", tt.In, got, tt.Want)
		}
	}
	if got, want := shellQuote(`{"name":"O'Brien"}`), `'{"name":"O'\''Brien"}'`; got != want {
		t.Errorf("shellQuote=%s, want %s", got, want)
	}
}

func TestOpenStores_SQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")

	// Without migrating, a fresh file is refused with a hint.
	if _, err := openStores(ctx, path, false); err == nil || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("err=%v, want a refusal naming migrate", err)
	}
	st, err := openStores(ctx, path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.ready(ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	if n, err := st.People.CountPeople(ctx); err != nil || n != 0 {
		t.Fatalf("count=%d err=%v", n, err)
	}
	if st.Backend != "sqlite" || st.Keyer == nil || st.Ingest == nil || st.Accounts == nil || st.Companies == nil {
		t.Fatalf("incomplete stores %+v", st)
	}
	if _, err := openStores(ctx, t.TempDir(), true); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("err=%v, want a directory error", err)
	}
}

// Ensure --demo never loads demo people into a store of real data.
func TestPrepareDemo_RefusesForeignStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "real.db")
	st, err := openStores(ctx, path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = st.Ingest.Ingest(ctx, []enrichd.IngestRecord{{Person: &enrichd.Person{
		FirstName: "Real", LastName: "Customer", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/real-customer"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultServeConfig()
	cfg.DB, cfg.Demo = path, true
	var out bytes.Buffer
	_, err = prepareDemo(ctx, cfg, st, slog.New(slog.DiscardHandler), &out)
	if err == nil || !strings.Contains(err.Error(), "not the demo's") {
		t.Fatalf("err=%v, want a refusal", err)
	}
	if n, _ := st.People.CountPeople(ctx); n != 1 {
		t.Fatalf("store has %d people, want the 1 it had", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "real.key")); err == nil {
		t.Fatal("a demo key file was written for a foreign store")
	}
}

func TestServePprof(t *testing.T) {
	stop, err := servePprof("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := servePprof("256.0.0.1:1", slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "pprof") {
		t.Fatalf("err=%v, want a pprof listen error", err)
	}
}
