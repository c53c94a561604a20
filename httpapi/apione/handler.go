// Package apione serves ApiOne's People Enrichment API
// (POST /api/v1/people/enrich) over enrichd's store, so that an ApiOne client
// switches to enrichd by changing only its base URL and key. See README.md
// for what is supported and where enrichd knowingly differs.
package apione

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/internal/flatjson"
	"github.com/enrichd/enrichd/internal/jsonw"
	"github.com/enrichd/enrichd/match"
)

// Route and metering names.
const (
	// EnrichPath is ApiOne's People Enrichment endpoint.
	EnrichPath = "/api/v1/people/enrich"
	// EnrichEndpoint names the endpoint in plans (DeniedEndpoints "apione:people/enrich") and the ledger.
	EnrichEndpoint = "people/enrich"
	// MaxBodyBytes bounds a request body; one lookup is a few hundred bytes.
	MaxBodyBytes = 64 << 10
	// MinConfidence is the calibrated probability below which a candidate is
	// a not_found: below one half it is more likely someone else.
	MinConfidence = 0.5
)

// Price book items (kit.DefaultPrices "apione:<item>") and ledger outcomes.
const (
	itemSuccess  = "success"
	itemNotFound = "not_found"
)

// handler serves the ApiOne dialect.
type handler struct {
	s *kit.Services
}

// NewHandler returns the ApiOne API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	h := &handler{s: s}
	d := kit.Dialect{API: enrichd.APIApiOne, Secret: kit.HeaderSecret("X-API-Key", errMissingKey), WriteError: writeError}
	mux := http.NewServeMux()
	mux.Handle(EnrichPath, kit.OnlyPOST(writeError, codeMethodNotAllow, s.Kit.Protect(d, EnrichEndpoint, http.HandlerFunc(h.handleEnrich))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &enrichd.Error{Code: codeNoRoute, Message: "No endpoint " + r.Method + " " + r.URL.Path + "."})
	})
	return mux
}

// handleEnrich serves POST /api/v1/people/enrich.
//
// ApiOne's field docs: "You must provide either email alone, or all three of
// first_name, last_name, and domain."
//   - email: professional email address of the person
//   - first_name, last_name: the person's names
//   - domain: company domain, e.g. stripe.com
//
// Credits: 4 per successful call, 1 for a 404 not_found.
func (h *handler) handleEnrich(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRequest(r.Body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := h.s.Matcher.MatchPerson(r.Context(), req.matchRequest())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := m.Best()
	item := itemSuccess
	if c == nil || c.Person == nil || c.Confidence < MinConfidence {
		item = itemNotFound
	}
	credits := h.s.Kit.Price(r, enrichd.APIApiOne, item)
	if _, err := h.s.Kit.Charge(r, enrichd.APIApiOne, EnrichEndpoint, item, credits); err != nil {
		if enrichd.ErrorCode(err) == enrichd.EPAYMENT {
			writeError(w, r, errNoPayment)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.s.Kit.ObserveMatch(enrichd.APIApiOne, EnrichEndpoint, item)
	if item == itemNotFound {
		writeErrorCharged(w, r, errNotFound, credits)
		return
	}
	writeJSON(w, http.StatusOK, &enrichResponse{
		Status:      statusSuccess,
		RequestID:   requestID(r),
		CreditsUsed: credits,
		Data:        toData(c, m),
	})
}

// fail logs err if it is internal and writes it.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.s.Kit.LogError(r, err)
	writeError(w, r, err)
}

// decodeRequest reads and validates a request body; every failure is a 400
// (missing_param, invalid_param or invalid_json) and costs nothing.
func decodeRequest(body io.Reader) (*enrichRequest, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxBodyBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(data) > MaxBodyBytes:
		return nil, &enrichd.Error{Code: codeInvalidJSON, Message: "Request body too large: at most " + strconv.Itoa(MaxBodyBytes) + " bytes."}
	case err != nil:
		return nil, &enrichd.Error{Code: codeInvalidJSON, Message: "Could not read the request body."}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &enrichd.Error{Code: codeMissingParam, Message: "Request body is empty. " + wantParams}
	}
	var req enrichRequest
	if !flatjson.Scan(data, req.setString) {
		req = enrichRequest{}
		if err := json.Unmarshal(data, &req); err != nil {
			return nil, jsonError(err)
		}
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	return &req, nil
}

const wantParams = "Provide either email, or first_name, last_name and domain."

// jsonError turns a decoding error into a client-safe 400.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return &enrichd.Error{Code: codeInvalidJSON, Message: "Request body must be a JSON object."}
		}
		return &enrichd.Error{Code: codeInvalidParam, Message: te.Field + " must be a string.",
			Fields: map[string]string{te.Field: "must be a string"}}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &enrichd.Error{Code: codeInvalidJSON, Message: "Malformed JSON at byte " + strconv.FormatInt(se.Offset, 10) + "."}
	}
	return &enrichd.Error{Code: codeInvalidJSON, Message: "Malformed JSON."}
}

// validate trims the fields and applies the doc's rule: email alone, or all
// of first_name, last_name and domain. Values that cannot identify anyone
// (a malformed email or domain) are rejected before anything is charged.
func (q *enrichRequest) validate() error {
	q.Email = strings.TrimSpace(q.Email)
	q.FirstName = strings.TrimSpace(q.FirstName)
	q.LastName = strings.TrimSpace(q.LastName)
	q.Domain = strings.TrimSpace(q.Domain)
	if q.Email != "" {
		if _, ok := match.CleanEmail(q.Email); !ok {
			return &enrichd.Error{Code: codeInvalidParam, Message: "email is not a valid email address.",
				Fields: map[string]string{"email": "not a valid email address"}}
		}
		return nil
	}
	missing := map[string]string{}
	var names []string
	for _, f := range []struct{ name, value string }{{"first_name", q.FirstName}, {"last_name", q.LastName}, {"domain", q.Domain}} {
		if f.value == "" {
			missing[f.name] = "required when email is not provided"
			names = append(names, f.name)
		}
	}
	if len(missing) > 0 {
		msg := wantParams
		if len(names) < 3 {
			msg = "Missing " + strings.Join(names, ", ") + ". " + wantParams
		}
		return &enrichd.Error{Code: codeMissingParam, Message: msg, Fields: missing}
	}
	if _, ok := match.RegistrableDomain(q.Domain); !ok {
		return &enrichd.Error{Code: codeInvalidParam, Message: "domain is not a valid company domain, e.g. stripe.com.",
			Fields: map[string]string{"domain": "not a valid domain"}}
	}
	return nil
}

// matchRequest converts the request for the engine.
func (q *enrichRequest) matchRequest() enrichd.MatchRequest {
	return enrichd.MatchRequest{
		Email:         q.Email,
		FirstName:     q.FirstName,
		LastName:      q.LastName,
		CompanyDomain: q.Domain,
		TopK:          1,
		MinConfidence: MinConfidence,
	}
}

// toData converts the best candidate.
func toData(c *enrichd.Candidate, m *enrichd.Match) *personData {
	p := c.Person
	job := p.CurrentJob()
	d := &personData{Confidence: roundConfidence(c.Confidence)}

	name := p.FullName
	if name == "" {
		name = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	d.FullName = opt(name)
	d.Email = opt(businessEmail(p, m))

	title := p.Title
	if title == "" && job != nil {
		title = job.Title
	}
	d.Title = opt(title)

	level := p.Seniority
	if level == "" && job != nil {
		level = job.Seniority
	}
	switch level {
	case enrichd.SeniorityExecutive, enrichd.SenioritySenior, enrichd.SeniorityMid, enrichd.SeniorityJunior:
	default:
		// Only the documented four values may reach the client.
		level = match.InferSeniority(title)
	}
	d.Seniority = opt(level)

	var dept string
	switch {
	case len(p.Departments) > 0:
		dept = p.Departments[0]
	case job != nil && job.Department != "":
		dept = job.Department
	default:
		if ds := match.InferDepartments(title); len(ds) > 0 {
			dept = ds[0]
		}
	}
	d.Department = opt(dept)

	switch {
	case job != nil:
		d.CompanyName, d.CompanyDomain = opt(job.CompanyName), opt(job.CompanyDomain)
	case m.Company != nil:
		// No current job on record: the company the request named is the best answer.
		d.CompanyName, d.CompanyDomain = opt(m.Company.Name), opt(m.Company.Domain)
	}
	d.LinkedInURL = opt(p.Social.LinkedInURL)
	d.Location = opt(locationString(p.Location))
	return d
}

// businessEmail returns the person's best professional address: a verified
// one first, then any that is not known to be invalid, then the engine's
// guess from the company's address pattern.
func businessEmail(p *enrichd.Person, m *enrichd.Match) string {
	var fallback string
	for _, e := range p.Contact.BusinessEmails {
		switch e.Status {
		case enrichd.StatusVerified:
			return e.Address
		case enrichd.StatusInvalid:
		default:
			if fallback == "" {
				fallback = e.Address
			}
		}
	}
	if fallback == "" && m.GuessedEmail != nil {
		fallback = m.GuessedEmail.Address
	}
	return fallback
}

// locationString writes "City, State, Country" from the parts known, or the
// raw location when no part is.
func locationString(l enrichd.Location) string {
	parts := make([]string, 0, 3)
	for _, s := range []string{l.City, l.State, l.Country} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		if l.Raw != "" {
			return l.Raw
		}
		return l.CountryCode
	}
	return strings.Join(parts, ", ")
}

// roundConfidence keeps two decimals, as ApiOne reports (0.91), and clamps to [0, 1].
func roundConfidence(c float64) float64 {
	if math.IsNaN(c) || c < 0 {
		return 0
	}
	return math.Min(math.Round(c*100)/100, 1)
}

// opt returns nil for "" so that unknown values are null.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeJSON writes v as the JSON response with status, in one write with an
// exact Content-Length; the success envelope writes itself (encode.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Only a programming error can fail the encoding; keep the envelope.
	_ = jsonw.Respond(w, status, contentTypeJSON, v,
		`{"status":"error","request_id":"","credits_used":0,"error":"internal_error","message":"Internal server error."}`+"\n")
}

// contentTypeJSON is shared by every answer: net/http only reads it.
var contentTypeJSON = []string{"application/json; charset=utf-8"}
