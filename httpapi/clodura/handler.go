// Package clodura serves Clodura's Enrich Contacts API
// (POST /api/v1/cleanup/enrich) over enrichd's store, so that a Clodura client
// switches to enrichd by changing only its base URL and key. See README.md for
// what is supported and where enrichd knowingly differs.
package clodura

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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
	// EnrichPath is Clodura's Enrich Contacts endpoint.
	EnrichPath = "/api/v1/cleanup/enrich"
	// EnrichEndpoint names the endpoint in plans (DeniedEndpoints "clodura:cleanup/enrich") and the ledger.
	EnrichEndpoint = "cleanup/enrich"
	// MaxBodyBytes bounds a request body; one contact is a few hundred bytes.
	MaxBodyBytes = 64 << 10
	// MinConfidence is the calibrated probability below which a candidate is
	// not charged as a match: below one half it is more likely someone else.
	MinConfidence = 0.5
)

// Price book items (kit.DefaultPrices "clodura:<item>") and ledger outcomes.
const (
	itemPerson       = "person"
	itemOrganisation = "organisation"
	itemNone         = "none"
)

// handler serves the Clodura dialect.
type handler struct {
	s *kit.Services
}

// NewHandler returns the Clodura API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	h := &handler{s: s}
	d := kit.Dialect{API: enrichd.APIClodura, Secret: kit.HeaderSecret("X-API-KEY", errMissingKey), WriteError: writeError}
	mux := http.NewServeMux()
	mux.Handle(EnrichPath, kit.OnlyPOST(writeError, codeMethodNotAllow, s.Kit.Protect(d, EnrichEndpoint, http.HandlerFunc(h.handleEnrich))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &enrichd.Error{Code: codeNoRoute, Message: "Cannot " + r.Method + " " + r.URL.Path})
	})
	return mux
}

// handleEnrich serves POST /api/v1/cleanup/enrich.
//
// Clodura's field docs:
//   - linkedinUrl: the person's LinkedIn profile URL; the highest-confidence identifier.
//   - email: the person's email; medium confidence, especially with firstName and lastName.
//   - firstName, lastName: use together with at least one company identifier.
//   - organisationName: the employer's name, with firstName and lastName; the lowest confidence.
//   - orgLinkedinUrl: the employer's LinkedIn URL, with firstName and lastName; medium confidence.
//
// Credits: 2 for a full person, 1 when only the organisation resolves, 0 (and
// 404 "No match found") when nothing does.
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

	var resp enrichResponse
	item := itemNone
	if c := m.Best(); c != nil && c.Confidence >= MinConfidence && c.Person != nil {
		item = itemPerson
		org, err := h.organisationOf(r, c.Person, m.Company)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		fillPerson(&resp, c.Person)
		resp.Organisation = org
	} else if m.Company != nil {
		item = itemOrganisation
		resp.Organisation = organisationFrom(m.Company)
	}

	credits := h.s.Kit.Price(r, enrichd.APIClodura, item)
	remaining, err := h.s.Kit.Charge(r, enrichd.APIClodura, EnrichEndpoint, item, credits)
	if err != nil {
		if enrichd.ErrorCode(err) == enrichd.EPAYMENT {
			writeError(w, r, errNoPayment)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.s.Kit.ObserveMatch(enrichd.APIClodura, EnrichEndpoint, item)
	if item == itemNone {
		writeError(w, r, errNoMatch)
		return
	}
	resp.CreditUsage = creditUsage{CreditsConsumed: credits, RemainingCredits: remaining}
	writeJSON(w, http.StatusOK, &resp)
}

// fail logs err if it is internal and writes it.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.s.Kit.LogError(r, err)
	writeError(w, r, err)
}

// decodeRequest reads and validates a request body. Syntax and type errors
// and invalid combinations are Clodura's 422; a body with no identifier at
// all is a 400.
func decodeRequest(body io.Reader) (*enrichRequest, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxBodyBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(data) > MaxBodyBytes:
		return nil, enrichd.Errorf(enrichd.EINVALID, "Request body too large: at most %d bytes.", MaxBodyBytes)
	case err != nil:
		return nil, enrichd.Errorf(enrichd.EINVALID, "Could not read the request body.")
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, &enrichd.Error{Code: codeUnprocessable, Message: "Malformed JSON: the request body is empty."}
	}
	var req enrichRequest
	if !flatjson.Scan(data, req.setString) {
		req = enrichRequest{}
		if err := json.Unmarshal(data, &req); err != nil {
			return nil, jsonError(err)
		}
	}
	req.trim()
	if err := req.validate(); err != nil {
		return nil, err
	}
	return &req, nil
}

// jsonError turns a decoding error into a client-safe 422.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return &enrichd.Error{Code: codeUnprocessable, Message: "Malformed JSON: the body must be a JSON object."}
		}
		return &enrichd.Error{Code: codeUnprocessable, Message: "Malformed JSON: " + te.Field + " must be a string.",
			Fields: map[string]string{te.Field: "must be a string"}}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &enrichd.Error{Code: codeUnprocessable, Message: "Malformed JSON at byte " + strconv.FormatInt(se.Offset, 10) + "."}
	}
	return &enrichd.Error{Code: codeUnprocessable, Message: "Malformed JSON."}
}

func (q *enrichRequest) trim() {
	q.LinkedInURL = strings.TrimSpace(q.LinkedInURL)
	q.Email = strings.TrimSpace(q.Email)
	q.FirstName = strings.TrimSpace(q.FirstName)
	q.LastName = strings.TrimSpace(q.LastName)
	q.OrganisationName = strings.TrimSpace(q.OrganisationName)
	q.OrgLinkedInURL = strings.TrimSpace(q.OrgLinkedInURL)
}

// validate applies the doc's input combinations: linkedinUrl, or email, or
// firstName + lastName with organisationName or orgLinkedinUrl.
func (q *enrichRequest) validate() error {
	if q.LinkedInURL == "" && q.Email == "" && q.FirstName == "" && q.LastName == "" &&
		q.OrganisationName == "" && q.OrgLinkedInURL == "" {
		return enrichd.Errorf(enrichd.EINVALID, "Bad request: at least one identifier must be provided "+
			"(linkedinUrl, email, or firstName and lastName with organisationName or orgLinkedinUrl).")
	}
	if err := q.validateValues(); err != nil {
		return err
	}
	if q.LinkedInURL != "" || q.Email != "" {
		return nil
	}
	fields := map[string]string{}
	if q.FirstName == "" {
		fields["firstName"] = "required with lastName and a company identifier"
	}
	if q.LastName == "" {
		fields["lastName"] = "required with firstName and a company identifier"
	}
	if q.OrganisationName == "" && q.OrgLinkedInURL == "" {
		fields["organisationName"] = "organisationName or orgLinkedinUrl is required with firstName and lastName"
	}
	if len(fields) > 0 {
		return &enrichd.Error{Code: codeUnprocessable, Fields: fields, Message: "Invalid parameter combination: " +
			"without linkedinUrl or email, provide firstName, lastName and organisationName or orgLinkedinUrl."}
	}
	return nil
}

// validateValues rejects identifiers that cannot identify anyone, with
// Clodura's 400 ("malformed input"), before anything is matched.
func (q *enrichRequest) validateValues() error {
	fields := map[string]string{}
	if q.LinkedInURL != "" {
		if _, ok := match.CanonicalLinkedInURL(q.LinkedInURL); !ok {
			fields["linkedinUrl"] = "not a LinkedIn profile URL (https://www.linkedin.com/in/...)"
		}
	}
	if q.Email != "" {
		if _, ok := match.CleanEmail(q.Email); !ok {
			fields["email"] = "not a valid email address"
		}
	}
	if q.OrgLinkedInURL != "" {
		if _, ok := match.CanonicalCompanyLinkedInURL(q.OrgLinkedInURL); !ok {
			fields["orgLinkedinUrl"] = "not a LinkedIn company URL (https://www.linkedin.com/company/...)"
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return enrichd.InvalidFields("Bad request: malformed input.", fields)
}

// matchRequest converts the request for the engine.
func (q *enrichRequest) matchRequest() enrichd.MatchRequest {
	return enrichd.MatchRequest{
		LinkedInURL:        q.LinkedInURL,
		Email:              q.Email,
		FirstName:          q.FirstName,
		LastName:           q.LastName,
		CompanyName:        q.OrganisationName,
		CompanyLinkedInURL: q.OrgLinkedInURL,
		TopK:               1,
		MinConfidence:      MinConfidence,
	}
}

// organisationOf returns the organisation block of a matched person: their
// current employer's record when stored, else what the employment row says,
// else the company the request named.
func (h *handler) organisationOf(r *http.Request, p *enrichd.Person, requested *enrichd.Company) (*organisation, error) {
	job := p.CurrentJob()
	if job == nil {
		if requested != nil {
			return organisationFrom(requested), nil
		}
		return nil, nil
	}
	if job.CompanyID != "" {
		if requested != nil && requested.ID == job.CompanyID {
			return organisationFrom(requested), nil
		}
		c, err := h.s.Companies.FindCompanyByID(r.Context(), job.CompanyID)
		if err == nil {
			return organisationFrom(c), nil
		} else if enrichd.ErrorCode(err) != enrichd.ENOTFOUND {
			return nil, err
		}
	}
	if job.CompanyName == "" && job.CompanyDomain == "" && job.CompanyLinkedInURL == "" {
		return nil, nil
	}
	return &organisation{
		OrganisationID:   job.CompanyID,
		OrganisationName: job.CompanyName,
		Domain:           job.CompanyDomain,
		OrgLinkedInURL:   job.CompanyLinkedInURL,
	}, nil
}

// fillPerson copies the person fields of p into resp.
func fillPerson(resp *enrichResponse, p *enrichd.Person) {
	resp.PersonID = p.ID
	resp.FirstName, resp.LastName = p.FirstName, p.LastName
	if resp.FirstName == "" && resp.LastName == "" && p.FullName != "" {
		resp.FirstName, resp.LastName = splitName(p.FullName)
	}
	resp.LinkedInURL = p.Social.LinkedInURL
	job := p.CurrentJob()
	resp.PersonTitle = p.Title
	if resp.PersonTitle == "" && job != nil {
		resp.PersonTitle = job.Title
	}
	functional := functionalAreas(p, job)
	resp.Functional = &functional
	seniority := []string{}
	if s := seniorityOf(p, job); s != "" {
		seniority = append(seniority, s)
	}
	resp.Seniority = &seniority
	resp.PersonCity = p.Location.City
	resp.PersonState = p.Location.State
	resp.PersonCountry = p.Location.Country
	if resp.PersonCountry == "" {
		resp.PersonCountry = p.Location.CountryCode
	}
}

// organisationFrom converts a company record.
func organisationFrom(c *enrichd.Company) *organisation {
	if c == nil {
		return nil
	}
	o := &organisation{
		OrganisationID:           c.ID,
		OrganisationName:         c.Name,
		Domain:                   c.Domain,
		OrgLinkedInURL:           c.LinkedInURL,
		Industry:                 c.Industry,
		OrganisationEmployeeSize: employeeSize(c.EmployeeRange),
		BoardlineNumbers:         c.Phone,
		FoundedYear:              c.FoundedYear,
		Revenue:                  c.RevenueRange,
		OrganisationCity:         c.HQ.City,
		OrganisationState:        c.HQ.State,
		OrganisationCountry:      c.HQ.Country,
	}
	if o.OrganisationCountry == "" {
		o.OrganisationCountry = c.HQ.CountryCode
	}
	return o
}

// employeeSize writes a range the way Clodura does: "51-200" → "51 - 200".
func employeeSize(r string) string {
	if lo, hi, ok := strings.Cut(r, "-"); ok && !strings.Contains(r, " - ") {
		return strings.TrimSpace(lo) + " - " + strings.TrimSpace(hi)
	}
	return r
}

// splitName splits a full name at its last space.
func splitName(full string) (first, last string) {
	full = strings.TrimSpace(full)
	if i := strings.LastIndexByte(full, ' '); i > 0 {
		return strings.TrimSpace(full[:i]), full[i+1:]
	}
	return full, ""
}

// writeJSON writes v as the JSON response with status, in one write with an
// exact Content-Length; the answer writes itself (encode.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Only a programming error (e.g. a NaN) can fail the encoding; keep the envelope.
	_ = jsonw.Respond(w, status, contentTypeJSON, v,
		`{"statusCode":500,"error":"Internal Server Error","message":"Internal server error"}`+"\n")
}

// contentTypeJSON is shared by every answer: net/http only reads it.
var contentTypeJSON = []string{"application/json; charset=utf-8"}
