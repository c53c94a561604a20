package kit

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/enrichd/enrichd"
)

// Idempotency headers.
const (
	// HeaderIdempotencyKey names a request so that its retries are answered,
	// and charged, once.
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderIdempotentReplayed marks a replayed answer.
	HeaderIdempotentReplayed = "Idempotent-Replayed"
)

const (
	// idempotencyLease is how long a reservation blocks duplicates before it
	// is presumed dead (its node crashed): longer than any request may run.
	idempotencyLease = 2 * time.Minute
	// idempotencyWait is how long a duplicate waits for the first request to
	// finish before it is refused with ECONFLICT.
	idempotencyWait = 10 * time.Second
	// idempotencyPurgeEvery spaces the deletions of expired records.
	idempotencyPurgeEvery = time.Hour
	maxIdempotencyKeyLen  = 255
)

// notReplayed are headers that describe the new request, not the answer.
var notReplayed = map[string]bool{"Date": true, "X-Request-Id": true}

func (k *Kit) idempotencyStore() enrichd.IdempotencyService {
	if k.Idempotency != nil {
		return k.Idempotency
	}
	s, _ := k.Accounts.(enrichd.IdempotencyService)
	return s
}

// validIdempotencyKey accepts 1 to 255 visible ASCII characters, as the
// IETF Idempotency-Key draft and Stripe do (UUIDs, ULIDs, hashes…).
func validIdempotencyKey(s string) bool {
	if len(s) == 0 || len(s) > maxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// fingerprint identifies what was asked, so that a key reused for a
// different request is refused instead of answered with the wrong response.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method+"\x00"+r.URL.Path+"\x00"+r.URL.RawQuery+"\x00")
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// serveIdempotent runs run at most once for (key, idem): it reserves the
// pair first, so that concurrent duplicates can never both run, then either
// replays the stored answer or runs the request and stores its answer.
//
// NOTE: an answer is stored when the request charged anything or succeeded
// (status < 400). Failures that charged nothing (bad input, 402, 429, 5xx)
// release the reservation so that a retry runs afresh: that can never charge
// twice, and it lets a client retry after topping up or waiting out a limit.
func (k *Kit) serveIdempotent(store enrichd.IdempotencyService, d Dialect, key *enrichd.APIKey, idem string, w http.ResponseWriter, r *http.Request, run func(http.ResponseWriter, *http.Request)) {
	if !validIdempotencyKey(idem) {
		d.WriteError(w, r, enrichd.Errorf(enrichd.EINVALID, "The Idempotency-Key header must be 1 to %d printable ASCII characters.", maxIdempotencyKeyLen))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if enrichd.AsError(err) == nil {
			err = enrichd.Errorf(enrichd.EINVALID, "Could not read the request body.")
		}
		d.WriteError(w, r, err)
		return
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))

	ctx := r.Context()
	fp := fingerprint(r, body)
	resp, err := reserve(ctx, store, key.ID, idem, fp)
	if err != nil {
		k.logError(r, err)
		d.WriteError(w, r, err)
		return
	}
	if resp != nil {
		replay(w, resp)
		return
	}
	k.maybePurge(ctx, store)

	m := &meter{}
	rec := &captureWriter{ResponseWriter: w}
	r = r.WithContext(context.WithValue(ctx, meterCtx, m))
	// NOTE: the outcome is written even if the client went away, and a
	// panicking handler releases its reservation before the server's
	// recovery answers 500.
	bg := context.WithoutCancel(ctx)
	completed := false
	defer func() {
		if completed {
			return
		}
		if err := store.ReleaseIdempotencyKey(bg, key.ID, idem); err != nil {
			k.logError(r, err)
		}
	}()
	run(rec, r)
	status := rec.statusOrOK()
	if !m.charged.Load() && status >= 400 {
		return // released by the deferred call
	}
	err = store.CompleteIdempotencyKey(bg, key.ID, idem, enrichd.IdempotentResponse{Status: status, Header: rec.header, Body: rec.body.Bytes()})
	if err != nil {
		// The answer went out; a retry will wait for the lease to expire and then run again.
		if k.Logger != nil {
			k.Logger.ErrorContext(ctx, "storing idempotent response failed", "request_id", RequestID(ctx), "err", err)
		}
	}
	completed = true
}

// reserve claims (keyID, idem), waiting while another request holds it.
func reserve(ctx context.Context, store enrichd.IdempotencyService, keyID, idem, fp string) (*enrichd.IdempotentResponse, error) {
	deadline := time.Now().Add(idempotencyWait)
	pause := 10 * time.Millisecond
	for {
		resp, err := store.ReserveIdempotencyKey(ctx, keyID, idem, fp, idempotencyLease)
		if enrichd.ErrorCode(err) != enrichd.ECONFLICT || time.Now().Add(pause).After(deadline) {
			return resp, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		pause = min(pause*2, 250*time.Millisecond)
	}
}

func replay(w http.ResponseWriter, resp *enrichd.IdempotentResponse) {
	h := w.Header()
	for name, values := range resp.Header {
		if !notReplayed[http.CanonicalHeaderKey(name)] {
			h[name] = values
		}
	}
	h.Set(HeaderIdempotentReplayed, "true")
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// maybePurge deletes expired idempotency records at most once per
// idempotencyPurgeEvery per process, in the background.
func (k *Kit) maybePurge(ctx context.Context, store enrichd.IdempotencyService) {
	now := time.Now()
	last := k.lastPurge.Load()
	if now.UnixNano()-last < int64(idempotencyPurgeEvery) || !k.lastPurge.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := store.PurgeIdempotencyKeys(ctx, now.Add(-enrichd.IdempotencyTTL)); err != nil && k.Logger != nil {
			k.Logger.Error("purging idempotency records failed", "err", err)
		}
	}()
}

// captureWriter passes an answer through and keeps a copy to store.
type captureWriter struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

// WriteHeader snapshots the headers with the status, as they go out.
func (c *captureWriter) WriteHeader(status int) {
	if c.status != 0 {
		return
	}
	c.status = status
	c.header = c.ResponseWriter.Header().Clone()
	c.ResponseWriter.WriteHeader(status)
}

// Write passes p through and keeps a copy.
func (c *captureWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	c.body.Write(p)
	return c.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *captureWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *captureWriter) statusOrOK() int {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK) // the handler wrote nothing: net/http answers 200
	}
	return c.status
}

// newRequestID returns a random 16-hex-character request id.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
