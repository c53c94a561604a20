// Package ocean serves Ocean.io's Enrich Person API (POST /v2/enrich/person)
// over enrichd's store, so that an Ocean.io client switches to enrichd by
// changing only its base URL and token. Answers follow Ocean's official
// OpenAPI document (the tests validate every answer against it). See
// README.md for what is supported and where enrichd knowingly differs.
package ocean

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/internal/jsonw"
	"github.com/enrichd/enrichd/match"
)

// Route and metering names.
const (
	// EnrichPath is Ocean's Enrich Person endpoint.
	EnrichPath = "/v2/enrich/person"
	// EnrichEndpoint names the endpoint in plans (DeniedEndpoints "ocean:enrich/person") and the ledger.
	EnrichEndpoint = "enrich/person"
	// MaxBodyBytes bounds a request body; one person is a couple of KiB.
	MaxBodyBytes = 64 << 10
	// MinConfidence is the calibrated probability below which a candidate is
	// "No matching record found": below one half it is more likely someone else.
	MinConfidence = 0.5
)

// Price book items (kit.DefaultPrices "ocean:<item>") and ledger outcomes.
const (
	itemEnrich   = "enrich"
	itemEmail    = "email"
	itemPhone    = "phone"
	itemNotFound = "not_found" // not in the default book: 0 unless a plan prices it
)

// handler serves the Ocean dialect.
type handler struct {
	s *kit.Services
}

// NewHandler returns the Ocean API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	h := &handler{s: s}
	d := kit.Dialect{API: enrichd.APIOcean, Secret: secret, WriteError: writeError}
	mux := http.NewServeMux()
	mux.Handle(EnrichPath, kit.OnlyPOST(writeError, codeMethodNotAllowed, s.Kit.Protect(d, EnrichEndpoint, http.HandlerFunc(h.handleEnrich))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &enrichd.Error{Code: codeNoRoute})
	})
	return mux
}

// secret reads the token from the x-api-token header or the apiToken query
// parameter. Both present and different is Ocean's 400; neither is its 403.
func secret(r *http.Request) (string, error) {
	h := strings.TrimSpace(r.Header.Get("x-api-token"))
	var q string
	if r.URL.RawQuery != "" {
		q = strings.TrimSpace(r.URL.Query().Get("apiToken"))
	}
	switch {
	case h != "" && q != "" && h != q:
		return "", errConflictingTokens
	case h != "":
		return h, nil
	case q != "":
		return q, nil
	}
	return "", errNoToken
}

// handleEnrich serves POST /v2/enrich/person: "Match a person with our
// database and enrich it with additional information. Cost: 3 credits."
//
// Ocean's request fields (MatchPersonBody):
//   - person (required): id, name, firstName, lastName, jobTitle, email, phone,
//     facebook, twitter, linkedin, country, all nullable strings
//   - company: name, domain, linkedin, countryCode, email, ... (the company to match the person with)
//   - revealEmails {includeEmails, webhookUrl}: include the email; one email
//     credit for each verified email
//   - revealPhones {includePhones, webhookUrl}: include the phones; one phone
//     credit for each verified phone
func (h *handler) handleEnrich(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(data) > MaxBodyBytes:
		writeError(w, r, &enrichd.Error{Code: codeTooLarge, Message: "Request body too large: at most " + strconv.Itoa(MaxBodyBytes) + " bytes."})
		return
	case err != nil:
		writeError(w, r, jsonInvalid(int64(len(data)), "Could not read the request body"))
		return
	}
	req, err := decodeRequest(data)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if req.Person.empty() {
		writeError(w, r, errEmptyPerson)
		return
	}

	c, m, err := h.find(r, req)
	if enrichd.ErrorCode(err) == enrichd.EINVALID {
		writeError(w, r, valueError(err))
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if c == nil {
		// A miss costs nothing by default, but is recorded so that usage shows it.
		credits := h.s.Kit.Price(r, enrichd.APIOcean, itemNotFound)
		if _, err := h.s.Kit.Charge(r, enrichd.APIOcean, EnrichEndpoint, itemNotFound, credits); err != nil {
			h.chargeFailed(w, r, err)
			return
		}
		h.s.Kit.ObserveMatch(enrichd.APIOcean, EnrichEndpoint, itemNotFound)
		writeError(w, r, errNoMatch)
		return
	}

	res := toResult(c.Person, m)
	credits := h.s.Kit.Price(r, enrichd.APIOcean, itemEnrich)
	outcome := itemEnrich
	if req.IncludeEmails {
		res.Email = revealEmail(c.Person, m)
		if res.Email.Status == statusVerified {
			credits += h.s.Kit.Price(r, enrichd.APIOcean, itemEmail)
			outcome += "+" + itemEmail
		}
	}
	if req.IncludePhones {
		res.Phone = revealPhones(c.Person)
		if res.Phone.Status == statusVerified {
			credits += h.s.Kit.Price(r, enrichd.APIOcean, itemPhone)
			outcome += "+" + itemPhone
		}
	}
	if _, err := h.s.Kit.Charge(r, enrichd.APIOcean, EnrichEndpoint, outcome, credits); err != nil {
		h.chargeFailed(w, r, err)
		return
	}
	h.s.Kit.ObserveMatch(enrichd.APIOcean, EnrichEndpoint, outcome)
	res.CreditsUsed = float64(credits)
	writeJSON(w, http.StatusOK, res)
}

// find returns the person the request describes: by Ocean id (enrichd's
// person id) when given and known, else by matching. c is nil on a miss.
func (h *handler) find(r *http.Request, req *enrichRequest) (*enrichd.Candidate, *enrichd.Match, error) {
	if isPersonID(req.Person.ID) && h.s.People != nil {
		p, err := h.s.People.FindPersonByID(r.Context(), req.Person.ID)
		switch {
		case err == nil:
			return &enrichd.Candidate{Person: p, Confidence: 1}, &enrichd.Match{}, nil
		case enrichd.ErrorCode(err) != enrichd.ENOTFOUND:
			return nil, nil, err
		}
	}
	mr := req.matchRequest()
	if mr == (enrichd.MatchRequest{TopK: 1, MinConfidence: MinConfidence}) {
		return nil, nil, nil // only an unknown id: nothing else to match on
	}
	m, err := h.s.Matcher.MatchPerson(r.Context(), mr)
	if err != nil {
		return nil, nil, err
	}
	if c := m.Best(); c != nil && c.Person != nil && c.Confidence >= MinConfidence {
		return c, m, nil
	}
	return nil, m, nil
}

// chargeFailed answers a failed charge: Ocean's 402 with no data when the
// balance is short, else the error.
func (h *handler) chargeFailed(w http.ResponseWriter, r *http.Request, err error) {
	if enrichd.ErrorCode(err) == enrichd.EPAYMENT {
		writeError(w, r, errNoPayment)
		return
	}
	h.fail(w, r, err)
}

// fail logs err if it is internal and writes it.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.s.Kit.LogError(r, err)
	writeError(w, r, err)
}

// isPersonID reports whether id has the shape of an enrichd person id (16
// lower-case hex characters), which is also the shape of Ocean's ids.
func isPersonID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// matchRequest converts the request for the engine. The company's email
// stands in for its domain when no domain is given.
func (q *enrichRequest) matchRequest() enrichd.MatchRequest {
	domain := q.Company.Domain
	if domain == "" && q.Company.Email != "" && !match.IsFreeEmail(q.Company.Email) {
		domain = match.EmailDomain(q.Company.Email)
	}
	country := q.Person.Country
	if country == "" {
		country = q.Company.CountryCode
	}
	return enrichd.MatchRequest{
		LinkedInURL:        q.Person.LinkedIn,
		Email:              q.Person.Email,
		Phone:              q.Person.Phone,
		FullName:           q.Person.Name,
		FirstName:          q.Person.FirstName,
		LastName:           q.Person.LastName,
		Title:              q.Person.JobTitle,
		Country:            country,
		CompanyName:        q.Company.Name,
		CompanyDomain:      domain,
		CompanyLinkedInURL: q.Company.LinkedIn,
		TopK:               1,
		MinConfidence:      MinConfidence,
	}
}

// toResult converts a person, without the revealed email and phones.
func toResult(p *enrichd.Person, m *enrichd.Match) *enrichPersonResult {
	job := p.CurrentJob()
	res := &enrichPersonResult{ID: p.ID}
	switch {
	case job != nil:
		res.Domain = job.CompanyDomain
	case m.Company != nil:
		// No current job on record: the company the request named.
		res.Domain = m.Company.Domain
	}

	name := p.FullName
	if name == "" {
		name = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	res.Name, res.FirstName, res.LastName = name, p.FirstName, p.LastName

	cc := p.Location.CountryCode
	if cc == "" {
		cc = match.CountryCode(p.Location.Country)
	}
	res.Country = strings.ToLower(cc)
	res.State = p.Location.State
	res.Location = locationString(p.Location)
	res.LinkedInURL = p.Social.LinkedInURL

	title, level := p.Title, p.Seniority
	if job != nil {
		if title == "" {
			title = job.Title
		}
		if level == "" {
			level = job.Seniority
		}
		res.CurrentJobDescription = job.Description
	}
	res.JobTitle = title
	res.Seniorities = match.OceanSeniorities(level, title)
	depts := p.Departments
	if len(depts) == 0 && job != nil && job.Department != "" {
		depts = []string{job.Department}
	}
	if len(depts) == 0 {
		depts = match.InferDepartments(title)
	}
	res.Departments = match.OceanDepartments(depts)

	res.Photo = p.PictureURL
	res.Summary = p.Summary
	res.Headline = p.Headline
	if len(p.Skills) > 0 {
		res.Skills = p.Skills
	}
	for i := range p.Employment {
		e := &p.Employment[i]
		res.Experiences = append(res.Experiences, experience{
			DateFrom:              e.Start,
			DateTo:                e.End,
			Description:           e.Description,
			Domain:                e.CompanyDomain,
			JobTitle:              e.Title,
			LinkedinCompanyHandle: companyHandle(e.CompanyLinkedInURL),
		})
	}
	if !p.UpdatedAt.IsZero() {
		res.UpdatedAt = p.UpdatedAt.UTC().Format(time.RFC3339)
	}
	res.ConnectionsCount, res.FollowersCount = p.Connections, p.Followers
	if m.GuessedEmail != nil && m.GuessedEmail.Address != "" {
		res.InferredEmails = []string{m.GuessedEmail.Address}
	}
	return res
}

// revealEmail returns the person's best business address: verified first,
// then any other not known to be invalid (reported "guessed": enrichd has not
// verified it), then the engine's pattern guess; notFound when none.
func revealEmail(p *enrichd.Person, m *enrichd.Match) *emailResult {
	var fallback string
	for _, e := range p.Contact.BusinessEmails {
		switch e.Status {
		case enrichd.StatusVerified:
			return &emailResult{Address: opt(e.Address), Status: statusVerified}
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
	if fallback == "" {
		return &emailResult{Status: statusNotFound}
	}
	return &emailResult{Address: opt(fallback), Status: statusGuessed}
}

// revealPhones returns the person's stored numbers not known to be invalid,
// verified first; notFound when none.
func revealPhones(p *enrichd.Person) *phoneResult {
	nums := make([]string, 0, len(p.Contact.Phones))
	for _, ph := range p.Contact.Phones {
		if ph.Status == enrichd.StatusVerified && ph.Number != "" {
			nums = append(nums, ph.Number)
		}
	}
	for _, ph := range p.Contact.Phones {
		if ph.Status != enrichd.StatusVerified && ph.Status != enrichd.StatusInvalid && ph.Number != "" {
			nums = append(nums, ph.Number)
		}
	}
	if len(nums) == 0 {
		return &phoneResult{Numbers: nums, Status: statusNotFound}
	}
	return &phoneResult{Numbers: nums, Status: statusVerified}
}

// companyHandle returns the slug of a company LinkedIn URL ("colliers").
func companyHandle(u string) string {
	u = strings.TrimRight(u, "/")
	if i := strings.Index(u, "/company/"); i >= 0 {
		return u[i+len("/company/"):]
	}
	return ""
}

// locationString is the raw location when stored, else "City, State, Country".
func locationString(l enrichd.Location) string {
	if l.Raw != "" {
		return l.Raw
	}
	parts := make([]string, 0, 3)
	for _, s := range []string{l.City, l.State, l.Country} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// opt returns nil for "" so that unknown values are null.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeJSON writes v as the JSON response with status, in one write with an
// exact Content-Length; the answer writes itself (encode.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Only a programming error can fail the encoding; keep the envelope.
	_ = jsonw.Respond(w, status, contentTypeJSON, v, `{"detail":"Internal Server Error"}`+"\n")
}

// contentTypeJSON is shared by every answer: net/http only reads it.
var contentTypeJSON = []string{"application/json"}
