package httpapi

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// headerRequestID carries the request id in both directions.
const headerRequestID = "X-Request-Id"

// middleware wraps every request: request id, body limit, panic recovery,
// metrics and the access log.
//
// NOTE: it sits on the hot path, whose throughput is a target (≥ 50% of a bare
// handler), so it allocates little: one recorder, one context value, and
// cached metric children; the access log is skipped below Info level.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(headerRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(headerRequestID, id)
		if r.Body != nil && r.Body != http.NoBody {
			// The original w goes to MaxBytesReader so that it can close the connection.
			mbr := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
			r.Body = &limitedBody{rc: mbr, c: mbr, max: s.cfg.MaxBodyBytes}
		}
		rec := &recorder{ResponseWriter: w}
		r = r.WithContext(kit.WithRequestID(r.Context(), id))

		s.metrics.inFlight.Inc()
		defer func() {
			p := recover()
			if p != nil && p != http.ErrAbortHandler {
				s.cfg.Logger.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					slog.String("request_id", id), slog.String("method", r.Method),
					slog.String("path", r.URL.Path), slog.Any("panic", p),
					slog.String("stack", string(debug.Stack())))
				if !rec.wroteHeader {
					Error(rec, r, enrichd.Errorf(enrichd.EINTERNAL, "Internal error."))
				} else {
					rec.status = http.StatusInternalServerError
				}
			}
			s.metrics.inFlight.Dec()
			// NOTE: the muxes record the matched pattern on r (no StripPrefix in
			// routes.go), so that the label is the innermost pattern, never the
			// raw path: bounded cardinality.
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observeRequest(route, status, d)
			s.logRequest(r, id, route, status, rec.bytes, d)
			if p == http.ErrAbortHandler {
				panic(p) // net/http's signal to abort the connection silently
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

func (s *Server) logRequest(r *http.Request, id, route string, status int, bytes int64, d time.Duration) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	l := s.cfg.Logger
	if !l.Enabled(r.Context(), level) {
		return
	}
	// NOTE: a hand-built record skips the caller look-up (runtime.Callers)
	// that Logger.LogAttrs does on every call.
	rec := slog.NewRecord(time.Now(), level, "request", 0)
	rec.AddAttrs(
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	)
	l.Handler().Handle(r.Context(), rec)
}

// validRequestID accepts an incoming id only if it is short and made of safe
// characters, so that it can go into logs and headers unescaped.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 16 random hex characters. Request ids need to be
// unique, not secret, so the fast per-thread generator is enough.
func newRequestID() string {
	var b [16]byte
	v := rand.Uint64()
	const hex = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b[i] = hex[v&0xf]
		v >>= 4
	}
	return string(b[:])
}

// recorder captures the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status = code
		r.wroteHeader = code >= 200 // 1xx informational answers are not final
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Flush lets streaming handlers flush through the recorder.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		if !r.wroteHeader {
			r.status, r.wroteHeader = http.StatusOK, true
		}
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// statusText caches the label value of each status code.
var statusText = func() (t [600]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()
