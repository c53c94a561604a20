// Package httpapi is enrichd's HTTP server: it mounts the native API and the
// vendor dialects (see routes.go) behind one middleware chain that assigns
// request ids, limits bodies, recovers panics, logs and records metrics, and
// serves the operational endpoints /healthz, /readyz and /metrics.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// Defaults of Config.
const (
	DefaultAddr              = "127.0.0.1:8080"
	DefaultMaxBodyBytes      = 1 << 20 // 1 MiB: a batch of 100 enrichment requests fits easily
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second // a 100-person batch on a cold cache must still finish
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultReadyTimeout      = 2 * time.Second
)

// Config configures a Server. Zero values take the Default* constants.
type Config struct {
	Addr              string
	MaxBodyBytes      int64
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long Shutdown waits for in-flight requests
	// when its context has no deadline.
	ShutdownTimeout time.Duration
	// AdminToken protects /admin/v1; empty disables the admin API.
	AdminToken string
	// Version is reported by GET /.
	Version string
	// Logger receives access and error logs; nil discards them.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Server is the enrichd HTTP server. It is an http.Handler (for tests and
// embedding) and owns an http.Server for ListenAndServe and Shutdown.
type Server struct {
	cfg     Config
	handler http.Handler
	metrics *Metrics
	ready   func(context.Context) error
	http    *http.Server
	ln      net.Listener
}

// NewServer builds the server over s. ready reports whether the store is
// reachable and its schema current (it backs /readyz); nil means always ready.
// NewServer installs its Prometheus metrics as s.Kit.Metrics when s.Kit has none.
func NewServer(cfg Config, s *kit.Services, ready func(ctx context.Context) error) *Server {
	cfg = cfg.withDefaults()
	srv := &Server{cfg: cfg, metrics: NewMetrics(), ready: ready}
	if s != nil && s.Kit != nil && s.Kit.Metrics == nil {
		s.Kit.Metrics = srv.metrics
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", srv.handleHealthz)
	mux.HandleFunc("/readyz", srv.handleReadyz)
	mux.Handle("/metrics", srv.metrics.Handler())
	mux.HandleFunc("/{$}", srv.handleIndex)
	mux.HandleFunc("/", handleNotFound)
	if s != nil {
		routes(mux, s, cfg)
	}
	srv.handler = srv.middleware(mux)
	srv.http = &http.Server{
		Addr:              cfg.Addr,
		Handler:           srv.handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		MaxHeaderBytes:    64 << 10,
	}
	return srv
}

// ServeHTTP serves r through the full middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Metrics returns the server's metrics (also installed as kit.Metrics).
func (s *Server) Metrics() *Metrics { return s.metrics }

// Listen binds the configured address, so that Addr reports the real port
// when the address asked for port 0.
func (s *Server) Listen() error {
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address after Listen, else the configured one.
func (s *Server) Addr() string {
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.cfg.Addr
}

// ListenAndServe listens (unless Listen was called) and serves until
// Shutdown. It returns nil after a graceful Shutdown.
func (s *Server) ListenAndServe() error {
	if err := s.Listen(); err != nil {
		return err
	}
	if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests to
// finish, up to ctx's deadline or Config.ShutdownTimeout when ctx has none.
func (s *Server) Shutdown(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
		defer cancel()
	}
	if err := s.http.Shutdown(ctx); err != nil {
		// NOTE: past the deadline, cut the stragglers rather than hang the process.
		s.http.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// handleHealthz reports liveness: the process answers HTTP.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

// handleReadyz reports readiness: the store answers and its schema is current.
// Load balancers use it to take a node out while its database is away.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), DefaultReadyTimeout)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.cfg.Logger.LogAttrs(r.Context(), slog.LevelWarn, "not ready",
				slog.String("request_id", kit.RequestID(r.Context())), slog.Any("err", err))
			writeJSONValue(w, http.StatusServiceUnavailable, map[string]string{
				"status": "unavailable", "reason": readyReason(err),
			})
			return
		}
	}
	writeJSON(w, http.StatusOK, []byte(`{"status":"ready"}`))
}

// handleIndex answers GET / with what this server is and where to look next.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	writeJSONValue(w, http.StatusOK, map[string]any{
		"name":    "enrichd",
		"version": s.cfg.Version,
		"links": map[string]string{
			"docs": "/docs", "openapi": "/openapi.json",
			"health": "/healthz", "ready": "/readyz", "metrics": "/metrics",
		},
	})
}

func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	Error(w, r, errMethodNotAllowed)
	return false
}
