// Package crustdata serves the Crustdata API dialect (x-api-version
// 2025-11-01): person enrich by profile URL or business email, person search
// with Crustdata's filter language, and the live-enrich endpoint, with
// Crustdata's bearer auth, error envelope and x-credits-used header, so that
// a Crustdata client switches to enrichd by base URL and key alone. README.md
// lists what is supported and where it knowingly differs.
package crustdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/internal/flatjson"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/searchql"
)

// APIVersion is the only x-api-version this dialect serves.
const APIVersion = "2025-11-01"

// Limits of one request.
const (
	MaxIdentifiers = 25
	MaxBodyBytes   = 1 << 20
	// MaxExclusions bounds post_processing.exclude_profiles and exclude_names.
	MaxExclusions = searchql.MaxValues
)

// Endpoint names, as plans list them in DeniedEndpoints ("crustdata:person/search").
const (
	endpointEnrich     = "person/enrich"
	endpointSearch     = "person/search"
	endpointLiveEnrich = "person/professional_network/enrich/live"
)

// handler serves the dialect over the shared services.
type handler struct {
	s *kit.Services
}

// NewHandler returns the crustdata API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	h := &handler{s: s}
	d := kit.Dialect{API: enrichd.APICrustdata, Secret: secret, WriteError: writeError}
	mux := http.NewServeMux()
	mux.Handle("/person/enrich", s.Kit.Protect(d, endpointEnrich, h.endpoint(h.handlePersonEnrich)))
	mux.Handle("/person/search", s.Kit.Protect(d, endpointSearch, h.endpoint(h.handlePersonSearch)))
	mux.Handle("/person/professional_network/enrich/live", s.Kit.Protect(d, endpointLiveEnrich, h.endpoint(h.handleLiveEnrich)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &enrichd.Error{Code: codeNoRoute, Message: fmt.Sprintf("No such endpoint: %s %s.", r.Method, r.URL.Path)})
	})
	return mux
}

// secret reads the key from "Authorization: Bearer <key>" (and the older
// "Token <key>" scheme of Crustdata's v1 API).
func secret(r *http.Request) (string, error) {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, key, ok := strings.Cut(auth, " ")
	key = strings.TrimSpace(key)
	if !ok || key == "" || !(strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Token")) {
		return "", enrichd.Errorf(enrichd.EUNAUTHORIZED, "Invalid API key in request.")
	}
	return key, nil
}

// endpoint runs the checks every authenticated endpoint shares: POST only,
// and the x-api-version header (checked after auth, as Crustdata does).
func (h *handler) endpoint(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			if r.Method != http.MethodPost {
				return &enrichd.Error{Code: codeMethodNotAllowed, Message: fmt.Sprintf("Method %s is not allowed; use POST.", r.Method)}
			}
			switch v := r.Header.Get("x-api-version"); v {
			case "":
				return enrichd.Errorf(enrichd.EINVALID, "Missing required header: x-api-version")
			case APIVersion:
			default:
				return enrichd.Errorf(enrichd.EINVALID, "Unsupported x-api-version: %q. Supported: %s.", v, APIVersion)
			}
			return fn(w, r)
		}()
		if err != nil {
			h.s.Kit.LogError(r, err)
			writeError(w, r, err)
		}
	})
}

// decode reads the JSON body into v, rejecting unknown parameters, wrong
// types, trailing data and bodies over MaxBodyBytes with a message that
// names the problem.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &enrichd.Error{Code: codeTooLarge, Message: fmt.Sprintf("Request body is larger than %d bytes.", MaxBodyBytes)}
		}
		return invalid("", "Could not read the request body.")
	}
	return decodeBody(body, v)
}

// decodeBody is decode's pure part, fuzzed on its own. An enrich body made
// of string arrays only, the usual one, skips reflection (flatjson).
func decodeBody(body []byte, v any) error {
	if req, ok := v.(*enrichRequest); ok {
		if flatjson.ScanLists(body, req.setList) {
			return nil
		}
		*req = enrichRequest{}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("", "Request body is required: a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return invalid("", "Malformed JSON body: unexpected data after the JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("", "Malformed JSON body: unexpected data after the JSON object.")
	}
	return nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return invalid("", "Request body must be a JSON object.")
		}
		return invalid(field, fmt.Sprintf("Invalid value for %s: expected %s.", field, jsonType(typeErr.Type.String())))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalid("", "Malformed JSON body.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid(name, fmt.Sprintf("Unsupported parameter: %s.", name))
	}
	return invalid("", "Malformed JSON body.")
}

// jsonType names a Go type the way a JSON client thinks of it.
func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case goType == "string", goType == "*string":
		return "a string"
	case strings.Contains(goType, "int"):
		return "an integer"
	case strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "bool"):
		return "a boolean"
	}
	return "an object"
}

// handlePersonEnrich serves POST /person/enrich.
//
// It answers a top-level array with one entry per identifier, in input
// order: {matched_on, match_type, matches: [{confidence_score, person_data}]}.
// A miss is an entry with matches: []. Credits: crustdata:base per distinct
// person returned plus the contact add-ons actually returned; preview is
// free. The x-credits-used header reports the charge.
func (h *handler) handlePersonEnrich(w http.ResponseWriter, r *http.Request) error {
	var req enrichRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	key := kit.KeyFrom(r.Context())
	matchType, ids, err := req.validate()
	if err != nil {
		return err
	}
	sel, err := parseFields(req.Fields, key)
	if err != nil {
		return err
	}
	if req.Preview {
		sel, _ = parseFields(nil, key)
	}
	minScore := 0.0
	if req.MinSimilarityScore != nil {
		minScore = *req.MinSimilarityScore
	}

	// Match each distinct identifier once; duplicates share the answer.
	results := make([]enrichResult, len(ids))
	seen := map[string][]*matchedPerson{}
	var people []*enrichd.Person
	for i, id := range ids {
		results[i] = enrichResult{MatchedOn: id.raw, MatchType: matchType, Matches: []enrichHit{}}
		found, ok := seen[id.norm]
		if !ok {
			mreq := enrichd.MatchRequest{TopK: 1, MinConfidence: minScore}
			if matchType == matchTypeURL {
				mreq.LinkedInURL = id.norm
			} else {
				mreq.Email = id.norm
			}
			m, err := h.s.Matcher.MatchPerson(r.Context(), mreq)
			if err != nil {
				return err
			}
			if m == nil {
				m = &enrichd.Match{}
			}
			for _, c := range m.Candidates {
				if c.Person != nil && c.Confidence >= minScore {
					found = append(found, &matchedPerson{person: c.Person, confidence: c.Confidence})
					people = append(people, c.Person)
				}
			}
			seen[id.norm] = found
		}
		for _, f := range found {
			results[i].people = append(results[i].people, f.person)
			results[i].Matches = append(results[i].Matches, enrichHit{ConfidenceScore: roundScore(f.confidence)})
		}
	}

	companies, err := h.companies(r, sel, people)
	if err != nil {
		return err
	}
	var credits int64
	charged := map[string]bool{}
	for i := range results {
		for j, p := range results[i].people {
			d := buildPersonData(p, sel, companies)
			if results[i].Matches[j].PersonData, err = sel.render(d); err != nil {
				return err
			}
			if !charged[p.ID] {
				charged[p.ID] = true
				credits += h.price(r, p, sel, req.Preview)
			}
		}
	}
	outcome := "not_found"
	switch {
	case req.Preview:
		outcome = "preview"
	case len(charged) > 0:
		outcome = "match"
	}
	h.s.Kit.ObserveMatch(enrichd.APICrustdata, endpointEnrich, outcome)
	if _, err := h.s.Kit.Charge(r, enrichd.APICrustdata, endpointEnrich, outcome, credits); err != nil {
		return err
	}
	w.Header()["X-Credits-Used"] = []string{strconv.FormatInt(credits, 10)} // canonical already: no re-casing per request
	writeJSON(w, http.StatusOK, enrichResults(results))
	return nil
}

// matchedPerson is one accepted candidate of an identifier.
type matchedPerson struct {
	person     *enrichd.Person
	confidence float64
}

// identifier is one submitted identifier and its normalised form.
type identifier struct {
	raw, norm string
}

// validate checks the identifiers and options and returns the match type
// and the identifiers in input order.
func (req *enrichRequest) validate() (string, []identifier, error) {
	urls, emails := len(req.ProfessionalNetworkProfileURLs), len(req.BusinessEmails)
	if (urls == 0) == (emails == 0) {
		return "", nil, invalid("", "Exactly one identifier type must be provided.")
	}
	field, matchType, raw := "professional_network_profile_urls", matchTypeURL, req.ProfessionalNetworkProfileURLs
	if emails > 0 {
		field, matchType, raw = "business_emails", matchTypeEmail, req.BusinessEmails
	}
	if len(raw) > MaxIdentifiers {
		return "", nil, invalid(field, fmt.Sprintf("A maximum of %d identifiers is allowed per request; got %d.", MaxIdentifiers, len(raw)))
	}
	if s := req.MinSimilarityScore; s != nil && (*s < 0 || *s > 1) {
		return "", nil, invalid("min_similarity_score", "min_similarity_score must be between 0 and 1.")
	}
	if req.ForceFetch && !req.EnrichRealtime {
		return "", nil, invalid("force_fetch", "force_fetch requires enrich_realtime: true.")
	}
	ids := make([]identifier, len(raw))
	for i, s := range raw {
		at := fmt.Sprintf("%s[%d]", field, i)
		var norm string
		var ok bool
		if matchType == matchTypeURL {
			norm, ok = match.CanonicalLinkedInURL(s)
			if !ok {
				return "", nil, invalid(at, fmt.Sprintf("Invalid professional network profile URL: %q.", s))
			}
		} else {
			norm, ok = match.CleanEmail(s)
			if !ok {
				return "", nil, invalid(at, fmt.Sprintf("Invalid business email: %q.", s))
			}
		}
		ids[i] = identifier{raw: s, norm: norm}
	}
	return matchType, ids, nil
}

// price is what returning p costs: the base, plus each contact add-on the
// answer actually carries. Preview costs crustdata:preview only.
func (h *handler) price(r *http.Request, p *enrichd.Person, sel *selection, preview bool) int64 {
	api := enrichd.APICrustdata
	if preview {
		return h.s.Kit.Price(r, api, "preview")
	}
	n := h.s.Kit.Price(r, api, "base")
	if sel.wantsPart("contact", "business_emails") && len(p.Contact.BusinessEmails) > 0 {
		n += h.s.Kit.Price(r, api, "business_email")
	}
	if sel.wantsPart("contact", "personal_emails") && len(p.Contact.PersonalEmails) > 0 {
		n += h.s.Kit.Price(r, api, "personal_email")
	}
	if sel.wantsPart("contact", "phone_numbers") && len(p.Contact.Phones) > 0 {
		n += h.s.Kit.Price(r, api, "phone")
	}
	if sel.wants("dev_platform_profiles") && len(*devPlatformProfiles(p)) > 0 {
		n += h.s.Kit.Price(r, api, "dev_platform")
	}
	return n
}

// companies loads the current and past employers of people in one call,
// when the answer shows experience.
func (h *handler) companies(r *http.Request, sel *selection, people []*enrichd.Person) (companyInfo, error) {
	if !sel.wants("experience") || h.s.Companies == nil {
		return nil, nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, p := range people {
		for _, e := range p.Employment {
			if e.CompanyID != "" && !seen[e.CompanyID] {
				seen[e.CompanyID] = true
				ids = append(ids, e.CompanyID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cs, err := h.s.Companies.FindCompaniesByIDs(r.Context(), ids)
	if err != nil {
		return nil, fmt.Errorf("load employers: %w", err)
	}
	out := make(companyInfo, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// handlePersonSearch serves POST /person/search: the filter language
// compiled by the store (searchql), keyset-paged by next_cursor, with
// total_count. Credits: crustdata:search_result per profile returned.
func (h *handler) handlePersonSearch(w http.ResponseWriter, r *http.Request) error {
	var req searchRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	key := kit.KeyFrom(r.Context())
	if req.Preview {
		return invalid("preview", "Preview is not enabled for this API key.")
	}
	search := enrichd.PersonSearch{Filter: req.Filters, Sorts: req.Sorts, Limit: searchql.DefaultLimit, TotalCount: true}
	switch {
	case req.Limit != nil && req.Count != nil && *req.Limit != *req.Count:
		return invalid("count", "Give limit or count (its alias), not both with different values.")
	case req.Limit != nil:
		search.Limit = *req.Limit
	case req.Count != nil:
		search.Limit = *req.Count
	}
	if search.Limit < 1 || search.Limit > searchql.MaxLimit {
		return invalid("limit", fmt.Sprintf("limit must be between 1 and %d.", searchql.MaxLimit))
	}
	if req.Cursor != nil {
		search.Cursor = *req.Cursor
	}
	if pp := req.PostProcessing; pp != nil {
		f, err := exclusions(search.Filter, pp)
		if err != nil {
			return err
		}
		search.Filter = f
	}
	sel, err := parseFields(req.Fields, key)
	if err != nil {
		return err
	}
	page, err := h.s.People.SearchPeople(r.Context(), search)
	if err != nil {
		return err
	}
	companies, err := h.companies(r, sel, page.People)
	if err != nil {
		return err
	}
	resp := searchResponse{Profiles: make([]any, 0, len(page.People))}
	for _, p := range page.People {
		d, err := sel.render(buildPersonData(p, sel, companies))
		if err != nil {
			return err
		}
		resp.Profiles = append(resp.Profiles, d)
	}
	if page.NextCursor != "" {
		resp.NextCursor = &page.NextCursor
	}
	if page.Total >= 0 {
		resp.TotalCount = &page.Total
	}
	credits := int64(len(page.People)) * h.s.Kit.Price(r, enrichd.APICrustdata, "search_result")
	outcome := "results"
	if len(page.People) == 0 {
		outcome = "no_results"
	}
	if _, err := h.s.Kit.Charge(r, enrichd.APICrustdata, endpointSearch, outcome, credits); err != nil {
		return err
	}
	w.Header()["X-Credits-Used"] = []string{strconv.FormatInt(credits, 10)} // canonical already: no re-casing per request
	writeJSON(w, http.StatusOK, &resp)
	return nil
}

// exclusions ANDs post_processing's exclusions onto the filter.
func exclusions(f *enrichd.Filter, pp *postProcessing) (*enrichd.Filter, error) {
	var conds []enrichd.Filter
	for _, ex := range []struct {
		field, param string
		values       []string
	}{
		{"social_handles.professional_network_identifier.profile_url", "post_processing.exclude_profiles", pp.ExcludeProfiles},
		{"basic_profile.name", "post_processing.exclude_names", pp.ExcludeNames},
	} {
		if len(ex.values) == 0 {
			continue
		}
		if len(ex.values) > MaxExclusions {
			return nil, invalid(ex.param, fmt.Sprintf("%s takes at most %d values.", ex.param, MaxExclusions))
		}
		vals := make([]any, len(ex.values))
		for i, v := range ex.values {
			vals[i] = v
		}
		conds = append(conds, enrichd.Filter{Field: ex.field, Type: enrichd.FilterNotIn, Value: vals})
	}
	if len(conds) == 0 {
		return f, nil
	}
	if f != nil {
		conds = append([]enrichd.Filter{*f}, conds...)
	}
	return &enrichd.Filter{Op: "and", Conditions: conds}, nil
}

// handleLiveEnrich serves POST /person/professional_network/enrich/live.
// enrichd has no live source, so a well-formed request gets Crustdata's
// answer for a key without the feature: 403, nothing charged.
func (h *handler) handleLiveEnrich(w http.ResponseWriter, r *http.Request) error {
	var req liveEnrichRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if len(req.ProfessionalNetworkProfileURLs) == 0 {
		return invalid("professional_network_profile_urls", "professional_network_profile_urls is required.")
	}
	return enrichd.Errorf(enrichd.EFORBIDDEN, "Live enrich is not enabled for this API key. Use /person/enrich for stored profiles.")
}
