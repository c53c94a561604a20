package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/ratelimit"
)

// serveGCPercent is the GC target of serve unless GOGC is set.
const serveGCPercent = 300

// runServe serves the APIs until ctx is cancelled (SIGTERM or SIGINT in
// main), then shuts down gracefully: in-flight requests finish first.
//
// Logs are JSON lines on stderr; stdout carries only what a person should read
// (the demo key and curl commands).
func runServe(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeConfig(args, env, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	logger.Info("starting enrichd", "version", versionString(), "config", cfg.String())
	if env("GOGC") == "" {
		// NOTE: every request leaves short-lived garbage (decoded documents,
		// request and response values) over a small live heap; collecting
		// a third as often saved ~5-15% of a served look-up's CPU for ~18 MB
		// more resident memory at 200,000 people (issue 5, DECISIONS.md).
		// GOGC overrides it.
		debug.SetGCPercent(serveGCPercent)
	}

	st, err := openStores(ctx, cfg.DB, !cfg.NoMigrate)
	if err != nil {
		return err
	}
	defer st.Close()

	// Redis first: a bad --redis should fail before the demo data loads.
	limiter, closeLimiter, err := newLimiter(ctx, cfg.RedisURL)
	if err != nil {
		return err
	}
	defer closeLimiter()

	var banner *demoBanner
	if cfg.Demo {
		if banner, err = prepareDemo(ctx, cfg, st, logger, stdout); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted while loading the demo data: run `enrichd serve --demo` again to finish")
			}
			return err
		}
	}

	svcs := &kit.Services{
		People:    st.People,
		Companies: st.Companies,
		Matcher:   match.NewEngine(st.People, st.Companies, st.Keyer),
		Kit: &kit.Kit{
			Accounts: st.Accounts,
			Limiter:  limiter,
			Prices:   kit.DefaultPrices(),
			Logger:   logger,
		},
		Logger: logger,
	}
	srv := httpapi.NewServer(httpapi.Config{
		Addr:            cfg.Addr,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		ShutdownTimeout: cfg.ShutdownTimeout,
		AdminToken:      cfg.AdminToken,
		Version:         versionString(),
		Logger:          logger,
	}, svcs, st.ready)
	if err := srv.Listen(); err != nil {
		return err
	}
	logger.Info("listening", "addr", srv.Addr(), "url", "http://"+srv.Addr(), "store", st.Backend)
	if banner != nil {
		banner.print(stdout, "http://"+srv.Addr())
	}

	if cfg.PprofAddr != "" {
		stopPprof, err := servePprof(cfg.PprofAddr, logger)
		if err != nil {
			return err
		}
		defer stopPprof()
	}

	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down: waiting for in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-served; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// newLimiter returns the rate limiter: shared through Redis when url is set
// (every node then enforces the same per-key limits), in-process otherwise.
func newLimiter(ctx context.Context, url string) (enrichd.Limiter, func(), error) {
	if url == "" {
		return ratelimit.NewMemory(), func() {}, nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, usageErrorf("invalid --redis URL: %v", err)
	}
	client := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("connect to redis %s: %w", redactDSN(url), err)
	}
	return ratelimit.NewRedis(client), func() { client.Close() }, nil
}

// servePprof serves the runtime profiles on their own listener, so that the
// public address never exposes them.
func servePprof(addr string, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	logger.Info("serving profiles", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return func() { srv.Close() }, nil
}
