// Package admin is the operator's API at /admin/v1: it manages API keys,
// plans, credit grants and usage reports. It is protected by the admin token
// of the server's configuration, never by a customer API key.
//
//	GET    /admin/v1/keys                 list keys
//	POST   /admin/v1/keys                 create a key: {"name", "credits", "plan"?, "expires_at"?, "expires_in"?} → 201 {"key", "secret"}
//	GET    /admin/v1/keys/{id}            one key
//	DELETE /admin/v1/keys/{id}            revoke (also POST /admin/v1/keys/{id}/revoke)
//	PUT    /admin/v1/keys/{id}/plan       replace the plan: a Plan object
//	POST   /admin/v1/keys/{id}/grants     add credits: {"credits", "note"?} (negative takes back)
//	GET    /admin/v1/keys/{id}/usage      that key's usage (?since=, ?entries=true)
//	GET    /admin/v1/usage                usage of every key (?key_id=, ?since=, ?entries=true)
//
// Errors are {"error": {"code", "message", "fields"?}} with the statuses of
// the native API.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// Prefix is where the admin API is mounted.
const Prefix = "/admin/v1/"

// DefaultUsagePeriod is the report period when ?since= is absent.
const DefaultUsagePeriod = 30 * 24 * time.Hour

type handler struct {
	accounts enrichd.AccountService
	kit      *kit.Kit
	token    [32]byte // SHA-256 of the admin token
	enabled  bool
	now      func() time.Time
}

// NewHandler returns the admin API over s.Kit.Accounts, protected by token.
// An empty token disables it: every path answers 404 saying so.
func NewHandler(s *kit.Services, token string) http.Handler {
	h := &handler{kit: s.Kit, enabled: token != "", token: sha256.Sum256([]byte(token)), now: time.Now}
	if s.Kit != nil {
		h.accounts = s.Kit.Accounts
	}
	mux := http.NewServeMux()
	mux.HandleFunc(Prefix+"keys", h.methods(map[string]http.HandlerFunc{"GET": h.handleListKeys, "POST": h.handleCreateKey}))
	mux.HandleFunc(Prefix+"keys/{id}", h.methods(map[string]http.HandlerFunc{"GET": h.handleGetKey, "DELETE": h.handleRevokeKey}))
	mux.HandleFunc(Prefix+"keys/{id}/revoke", h.methods(map[string]http.HandlerFunc{"POST": h.handleRevokeKey}))
	mux.HandleFunc(Prefix+"keys/{id}/plan", h.methods(map[string]http.HandlerFunc{"GET": h.handleGetPlan, "PUT": h.handleUpdatePlan}))
	mux.HandleFunc(Prefix+"keys/{id}/grants", h.methods(map[string]http.HandlerFunc{"POST": h.handleGrant}))
	mux.HandleFunc(Prefix+"keys/{id}/usage", h.methods(map[string]http.HandlerFunc{"GET": h.handleUsage}))
	mux.HandleFunc(Prefix+"usage", h.methods(map[string]http.HandlerFunc{"GET": h.handleUsage}))
	mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, enrichd.Errorf(enrichd.ENOTFOUND, "No admin endpoint %s %s.", r.Method, r.URL.Path))
	})
	return h.authenticate(mux)
}

// authenticate refuses every request without the admin token before any
// routing, so that not even the shape of the admin API leaks.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.enabled {
			writeError(w, enrichd.Errorf(enrichd.ENOTFOUND, "The admin API is disabled: configure an admin token (ENRICHD_ADMIN_TOKEN) to enable it."))
			return
		}
		token, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="enrichd-admin"`)
			writeError(w, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Missing admin token: send Authorization: Bearer <admin token>."))
			return
		}
		// NOTE: hashing both sides first makes the comparison constant-time
		// in the token's length too.
		got := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(got[:], h.token[:]) != 1 {
			if strings.HasPrefix(token, enrichd.APIKeySecretPrefix) {
				writeError(w, enrichd.Errorf(enrichd.EFORBIDDEN, "Customer API keys cannot use the admin API."))
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="enrichd-admin", error="invalid_token"`)
			writeError(w, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Invalid admin token."))
			return
		}
		if h.accounts == nil {
			writeError(w, enrichd.Errorf(enrichd.EUNAVAILABLE, "No account store is configured."))
			return
		}
		w.Header().Set("Cache-Control", "no-store") // answers carry secrets and balances
		next.ServeHTTP(w, r)
	})
}

// bearer returns the token of "Authorization: Bearer <token>" or of X-Admin-Token.
func bearer(r *http.Request) (string, bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return "", false
		}
		return strings.TrimSpace(token), true
	}
	if t := r.Header.Get("X-Admin-Token"); t != "" {
		return t, true
	}
	return "", false
}

// methods dispatches by method and answers 405 with Allow in the admin envelope.
func (h *handler) methods(m map[string]http.HandlerFunc) http.HandlerFunc {
	allow := make([]string, 0, len(m))
	for method := range m {
		allow = append(allow, method)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if f, ok := m[r.Method]; ok {
			f(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: errorDetail{Code: "method_not_allowed", Message: fmt.Sprintf("Method %s is not allowed here.", r.Method)}})
	}
}

// createKeyRequest is the body of POST /admin/v1/keys.
type createKeyRequest struct {
	Name      string        `json:"name"`
	Credits   int64         `json:"credits"`
	Plan      *enrichd.Plan `json:"plan"`       // default: enrichd.DefaultPlan
	ExpiresAt *time.Time    `json:"expires_at"` // RFC 3339
	ExpiresIn string        `json:"expires_in"` // or a duration from now: "720h", "30d"
}

// createKeyResponse is shown once: the secret is not stored.
type createKeyResponse struct {
	Key    *enrichd.APIKey `json:"key"`
	Secret string          `json:"secret"`
	Note   string          `json:"note"`
}

func (h *handler) handleCreateKey(w http.ResponseWriter, r *http.Request) {
	var req createKeyRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ExpiresIn != "" {
		if req.ExpiresAt != nil {
			h.fail(w, r, enrichd.InvalidFields("Invalid API key.", map[string]string{"expires_in": "give expires_at or expires_in, not both"}))
			return
		}
		d, err := parseAge(req.ExpiresIn)
		if err != nil {
			h.fail(w, r, enrichd.InvalidFields("Invalid API key.", map[string]string{"expires_in": "must be a duration such as 720h or 30d"}))
			return
		}
		t := h.now().Add(d)
		req.ExpiresAt = &t
	}
	plan := enrichd.DefaultPlan()
	if req.Plan != nil {
		plan = *req.Plan
	}
	key, secret, err := h.accounts.CreateAPIKey(r.Context(), req.Name, plan, req.Credits, req.ExpiresAt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, createKeyResponse{Key: key, Secret: secret, Note: "Store the secret now: it is not shown again."})
}

// keyView is a key with its computed status.
type keyView struct {
	*enrichd.APIKey
	Status string `json:"status"` // active | revoked | expired
}

func (h *handler) view(k *enrichd.APIKey) keyView {
	return keyView{APIKey: k, Status: k.KeyStatus(h.now())}
}

func (h *handler) handleListKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := h.accounts.FindAPIKeys(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]keyView, len(keys))
	for i, k := range keys {
		out[i] = h.view(k)
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": out})
}

func (h *handler) handleGetKey(w http.ResponseWriter, r *http.Request) {
	k, err := h.accounts.FindAPIKeyByID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.view(k))
}

func (h *handler) handleRevokeKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.accounts.RevokeAPIKey(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.handleGetKey(w, r)
}

func (h *handler) handleGetPlan(w http.ResponseWriter, r *http.Request) {
	k, err := h.accounts.FindAPIKeyByID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, k.Plan)
}

func (h *handler) handleUpdatePlan(w http.ResponseWriter, r *http.Request) {
	var plan enrichd.Plan
	if err := decode(r, &plan); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.accounts.UpdatePlan(r.Context(), r.PathValue("id"), plan); err != nil {
		h.fail(w, r, err)
		return
	}
	h.handleGetKey(w, r)
}

// grantRequest is the body of POST /admin/v1/keys/{id}/grants.
type grantRequest struct {
	Credits int64  `json:"credits"`
	Note    string `json:"note"`
}

func (h *handler) handleGrant(w http.ResponseWriter, r *http.Request) {
	var req grantRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	balance, err := h.accounts.Grant(r.Context(), id, req.Credits, req.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"key_id": id, "granted": req.Credits, "balance": balance})
}

// usageResponse reports the ledger over a period.
type usageResponse struct {
	KeyID   string               `json:"key_id,omitempty"`
	Since   time.Time            `json:"since"`
	Summary enrichd.UsageSummary `json:"summary"`
	Entries []enrichd.Charge     `json:"entries,omitempty"` // with ?entries=true
}

func (h *handler) handleUsage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	keyID := r.PathValue("id")
	if keyID == "" {
		keyID = q.Get("key_id")
	}
	since := h.now().Add(-DefaultUsagePeriod)
	if s := q.Get("since"); s != "" {
		t, err := enrichd.ParseSince(s, h.now())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		since = t
	}
	withEntries := false
	if s := q.Get("entries"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			h.fail(w, r, enrichd.InvalidFields("Invalid query.", map[string]string{"entries": "must be true or false"}))
			return
		}
		withEntries = b
	}
	if keyID != "" {
		// A typo'd id is an error, not an empty report.
		if _, err := h.accounts.FindAPIKeyByID(r.Context(), keyID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	entries, err := h.accounts.Usage(r.Context(), keyID, since)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	resp := usageResponse{KeyID: keyID, Since: since.UTC(), Summary: enrichd.SummarizeUsage(entries)}
	if withEntries {
		resp.Entries = entries
	}
	writeJSON(w, http.StatusOK, resp)
}

// parseAge reads "720h" or "30d".
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("bad age %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad age %q", s)
	}
	return d, nil
}

// decode reads one JSON object into v, refusing unknown fields and trailing data.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if e := enrichd.AsError(err); e != nil {
			return e // e.g. the server's body limit
		}
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return enrichd.Errorf(enrichd.EINVALID, "The request body must be a JSON object.")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return enrichd.Errorf(enrichd.EINVALID, "Malformed JSON: the body ends too early.")
		case errors.As(err, &syn):
			return enrichd.Errorf(enrichd.EINVALID, "Malformed JSON at byte %d.", syn.Offset)
		case errors.As(err, &typ):
			return enrichd.InvalidFields("Invalid request body.", map[string]string{typ.Field: "must be " + typ.Type.String()})
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return enrichd.InvalidFields("Invalid request body.", map[string]string{field: "unknown field"})
		}
		return enrichd.Errorf(enrichd.EINVALID, "Invalid request body: %v", err)
	}
	if dec.More() {
		return enrichd.Errorf(enrichd.EINVALID, "The request body must hold one JSON object.")
	}
	return nil
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if h.kit != nil {
		h.kit.LogError(r, err)
	}
	writeError(w, err)
}

// statuses maps application error codes to HTTP statuses, as the native API does.
var statuses = map[string]int{
	enrichd.EINVALID:        http.StatusBadRequest,
	enrichd.EUNAUTHORIZED:   http.StatusUnauthorized,
	enrichd.EPAYMENT:        http.StatusPaymentRequired,
	enrichd.EFORBIDDEN:      http.StatusForbidden,
	enrichd.ENOTFOUND:       http.StatusNotFound,
	enrichd.ECONFLICT:       http.StatusConflict,
	enrichd.ERATELIMIT:      http.StatusTooManyRequests,
	enrichd.EQUOTA:          http.StatusTooManyRequests,
	enrichd.ENOTIMPLEMENTED: http.StatusNotImplemented,
	enrichd.EUNAVAILABLE:    http.StatusServiceUnavailable,
	enrichd.EINTERNAL:       http.StatusInternalServerError,
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

// writeError writes err in the admin envelope; internal errors say only "Internal error.".
func writeError(w http.ResponseWriter, err error) {
	code := enrichd.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	d := errorDetail{Code: code, Message: enrichd.ErrorMessage(err)}
	if e := enrichd.AsError(err); e != nil {
		d.Fields = e.Fields
	}
	writeJSON(w, status, errorBody{Error: d})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, buf = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(buf, '\n'))
}
