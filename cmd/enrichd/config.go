package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/enrichd/enrichd/httpapi"
)

// Defaults of the command line.
const (
	DefaultDB     = "./enrichd.db"
	DefaultDemoDB = "./enrichd-demo.db"
)

// Environment variables; a flag given on the command line wins over its variable.
const (
	EnvDB              = "ENRICHD_DB"
	EnvAddr            = "ENRICHD_ADDR"
	EnvRedisURL        = "ENRICHD_REDIS_URL"
	EnvAdminToken      = "ENRICHD_ADMIN_TOKEN"
	EnvAdminTokenFile  = "ENRICHD_ADMIN_TOKEN_FILE"
	EnvLogLevel        = "ENRICHD_LOG_LEVEL"
	EnvMaxBodyBytes    = "ENRICHD_MAX_BODY_BYTES"
	EnvShutdownTimeout = "ENRICHD_SHUTDOWN_TIMEOUT"
	EnvPprofAddr       = "ENRICHD_PPROF_ADDR"
)

// ServeConfig is the configuration of `enrichd serve`.
type ServeConfig struct {
	DB              string
	Addr            string
	RedisURL        string
	AdminToken      string
	LogLevel        slog.Level
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration
	NoMigrate       bool
	Demo            bool
	// PprofAddr serves net/http/pprof on its own listener when set; never on
	// the public address, since profiles reveal internals.
	PprofAddr string
}

// DefaultServeConfig returns the defaults, before environment and flags.
func DefaultServeConfig() ServeConfig {
	return ServeConfig{
		DB:              DefaultDB,
		Addr:            httpapi.DefaultAddr,
		LogLevel:        slog.LevelInfo,
		MaxBodyBytes:    httpapi.DefaultMaxBodyBytes,
		ShutdownTimeout: httpapi.DefaultShutdownTimeout,
	}
}

// String describes c for the start-up log, with secrets masked.
func (c ServeConfig) String() string {
	token := "(none)"
	if c.AdminToken != "" {
		token = "(set)"
	}
	return fmt.Sprintf("db=%s addr=%s redis=%s admin_token=%s log_level=%s max_body_bytes=%d",
		redactDSN(c.DB), c.Addr, redactDSN(c.RedisURL), token, c.LogLevel, c.MaxBodyBytes)
}

// parseServeConfig fills a ServeConfig from defaults, then env, then args.
func parseServeConfig(args []string, env func(string) string, stderr io.Writer) (ServeConfig, error) {
	c := DefaultServeConfig()
	fs := newFlagSet("serve", stderr, `Usage: enrichd serve [flags]

Serves the native API and the Crustdata, Clodura, Ocean.io and ApiOne dialects,
plus /healthz, /readyz and /metrics. Stops gracefully on SIGTERM or SIGINT.
`)
	fs.StringVar(&c.DB, "db", c.DB, "SQLite file path, or a postgres:// URL (env "+EnvDB+"; default "+DefaultDemoDB+" with --demo)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address HOST:PORT (env "+EnvAddr+")")
	fs.StringVar(&c.RedisURL, "redis", "", "Redis URL to share rate limits between nodes, e.g. redis://127.0.0.1:6379/0 (env "+EnvRedisURL+"); empty: in-process limits")
	fs.StringVar(&c.AdminToken, "admin-token", "", "token for the /admin/v1 API (env "+EnvAdminToken+" or "+EnvAdminTokenFile+"); empty: admin API disabled")
	level := fs.String("log-level", "info", "debug|info|warn|error; info logs every request (env "+EnvLogLevel+")")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (env "+EnvMaxBodyBytes+")")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long SIGTERM waits for in-flight requests (env "+EnvShutdownTimeout+")")
	fs.StringVar(&c.PprofAddr, "pprof-addr", "", "serve Go profiles (/debug/pprof/) on this separate address, e.g. 127.0.0.1:6060 (env "+EnvPprofAddr+"); empty: off")
	fs.BoolVar(&c.NoMigrate, "no-migrate", false, "refuse to start on an old schema instead of migrating it")
	fs.BoolVar(&c.Demo, "demo", false, "serve a generated demo store, creating it and a demo API key on first run")
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	set := setFlags(fs)

	if !set["db"] {
		if v := env(EnvDB); v != "" {
			c.DB = v
		} else if c.Demo {
			c.DB = DefaultDemoDB
		}
	}
	if !set["addr"] && env(EnvAddr) != "" {
		c.Addr = env(EnvAddr)
	}
	if !set["redis"] {
		c.RedisURL = env(EnvRedisURL)
	}
	if !set["admin-token"] {
		c.AdminToken = env(EnvAdminToken)
		if f := env(EnvAdminTokenFile); c.AdminToken == "" && f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return c, fmt.Errorf("%s: %w", EnvAdminTokenFile, err)
			}
			c.AdminToken = strings.TrimSpace(string(b))
		}
	}
	if !set["pprof-addr"] {
		c.PprofAddr = env(EnvPprofAddr)
	}
	if !set["log-level"] && env(EnvLogLevel) != "" {
		*level = env(EnvLogLevel)
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, usageErrorf("invalid log level %q: want debug, info, warn or error", *level)
	}
	if !set["max-body-bytes"] && env(EnvMaxBodyBytes) != "" {
		n, err := strconv.ParseInt(env(EnvMaxBodyBytes), 10, 64)
		if err != nil {
			return c, usageErrorf("invalid %s %q: want a number of bytes", EnvMaxBodyBytes, env(EnvMaxBodyBytes))
		}
		c.MaxBodyBytes = n
	}
	if !set["shutdown-timeout"] && env(EnvShutdownTimeout) != "" {
		d, err := time.ParseDuration(env(EnvShutdownTimeout))
		if err != nil {
			return c, usageErrorf("invalid %s %q: want a duration such as 30s", EnvShutdownTimeout, env(EnvShutdownTimeout))
		}
		c.ShutdownTimeout = d
	}

	switch {
	case c.DB == "":
		return c, usageErrorf("--db must not be empty")
	case c.Addr == "":
		return c, usageErrorf("--addr must not be empty")
	case c.MaxBodyBytes <= 0:
		return c, usageErrorf("--max-body-bytes must be positive")
	case c.ShutdownTimeout <= 0:
		return c, usageErrorf("--shutdown-timeout must be positive")
	case fs.NArg() > 0:
		return c, usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	return c, nil
}

// dbFlag registers --db on fs; resolveDB applies the environment afterwards.
// Every subcommand that opens the store uses the pair, so that --db and
// ENRICHD_DB mean the same everywhere.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", DefaultDB, "SQLite file path, or a postgres:// URL (env "+EnvDB+")")
}

// resolveDB returns the --db value, or ENRICHD_DB when --db was not given.
func resolveDB(fs *flag.FlagSet, db string, env func(string) string) string {
	if !setFlags(fs)["db"] {
		if v := env(EnvDB); v != "" {
			return v
		}
	}
	return db
}

// newFlagSet returns a flag set that reports errors instead of exiting, and
// prints usage (a header, then the flags) to stderr.
func newFlagSet(name string, stderr io.Writer, header string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, header)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; -h and --help print usage and return errHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err == flag.ErrHelp {
		return errHelp
	} else if err != nil {
		return usageError{msg: err.Error(), printed: true} // flag printed the message and usage
	}
	return nil
}

func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// redactDSN hides the password of a URL-shaped DSN.
func redactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return dsn
	}
	userinfo := rest[:at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return scheme + "://" + user + ":xxxxx" + rest[at:]
	}
	return dsn
}

// isPostgres reports whether dsn selects the PostgreSQL store.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
