// Package native serves the native enrichd API under /v1: person enrichment
// (one or a batch of up to 100), company enrichment and person search, with
// one error envelope and machine-readable codes. See README.md.
package native

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/internal/jsonw"
)

// Endpoint names as plans list them in DeniedEndpoints ("native:person/search").
const (
	EndpointPersonEnrich  = "person/enrich"
	EndpointCompanyEnrich = "company/enrich"
	EndpointPersonSearch  = "person/search"
)

// Ledger outcomes of the native API; also the price book items ("native:match").
const (
	outcomeMatch   = "match"
	outcomeMiss    = "miss"
	outcomeCompany = "company"
	outcomeSearch  = "search"
)

// batchWorkers bounds how many batch items are matched at once, so that one
// batch cannot take every core or store connection.
const batchWorkers = 4

// handler serves the native API.
type handler struct {
	s       *kit.Services
	dialect kit.Dialect
	bufs    sync.Pool // *bytes.Buffer for request bodies
}

// NewHandler returns the native API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	h := &handler{s: s}
	h.bufs.New = func() any { return new(bytes.Buffer) }
	h.dialect = kit.Dialect{API: enrichd.APINative, Secret: secret, WriteError: h.writeError}

	// NOTE: patterns are literals so that apidocs' test can check each
	// against the OpenAPI document. Each path also answers every other
	// method with 405 in the native envelope (ServeMux's own is plain text).
	mux := http.NewServeMux()
	mux.Handle("POST /v1/person/enrich", h.protect(EndpointPersonEnrich, h.handlePersonEnrich))
	mux.HandleFunc("/v1/person/enrich", h.methodNotAllowed)
	mux.Handle("POST /v1/company/enrich", h.protect(EndpointCompanyEnrich, h.handleCompanyEnrich))
	mux.HandleFunc("/v1/company/enrich", h.methodNotAllowed)
	mux.Handle("POST /v1/person/search", h.protect(EndpointPersonSearch, h.handlePersonSearch))
	mux.HandleFunc("/v1/person/search", h.methodNotAllowed)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.writeError(w, r, enrichd.Errorf(enrichd.ENOTFOUND, "No such endpoint: %s %s.", r.Method, r.URL.Path))
	})
	return mux
}

// protect wraps fn in kit.Protect: authentication, plan, rate limit and idempotency.
func (h *handler) protect(endpoint string, fn http.HandlerFunc) http.Handler {
	return h.s.Kit.Protect(h.dialect, endpoint, fn)
}

// methodNotAllowed answers a known path called with a method other than POST.
func (h *handler) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	h.writeError(w, r, enrichd.Errorf(codeMethodNotAllowed, "%s %s is not supported; use POST.", r.Method, r.URL.Path))
}

// secret extracts the API key from "Authorization: Bearer <key>" or "X-API-Key".
// Both may be sent, but then they must agree.
func secret(r *http.Request) (string, error) {
	var bearer string
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, _ := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", enrichd.Errorf(enrichd.EUNAUTHORIZED, `The Authorization header must be "Bearer <API key>".`)
		}
		bearer = token
	}
	apiKey := strings.TrimSpace(r.Header.Get("X-API-Key"))
	switch {
	case bearer != "" && apiKey != "" && bearer != apiKey:
		return "", enrichd.Errorf(enrichd.EINVALID, "The Authorization and X-API-Key headers carry different keys; send one.")
	case bearer != "":
		return bearer, nil
	case apiKey != "":
		return apiKey, nil
	}
	return "", enrichd.Errorf(enrichd.EUNAUTHORIZED, "Missing API key: send Authorization: Bearer <API key>, or X-API-Key.")
}

// getBuf and putBuf recycle body buffers; oversized ones are dropped so that
// one huge request does not pin memory.
func (h *handler) getBuf() *bytes.Buffer { return h.bufs.Get().(*bytes.Buffer) }

func (h *handler) putBuf(b *bytes.Buffer) {
	if b.Cap() > 256<<10 {
		return
	}
	b.Reset()
	h.bufs.Put(b)
}

// writeJSON writes v with an exact Content-Length (one write, no chunking);
// a failed encoding still becomes a clean 500. The answers of the API write
// themselves (encode.go).
func (h *handler) writeJSON(w http.ResponseWriter, status int, v any) {
	err := jsonw.Respond(w, status, contentTypeJSON, v, `{"error":{"code":"internal","message":"Internal error."}}`+"\n")
	if err != nil && h.s.Logger != nil {
		h.s.Logger.Error("encode response", "err", err)
	}
}

// contentTypeJSON is shared by every answer: net/http only reads it.
var contentTypeJSON = []string{"application/json; charset=utf-8"}

// setCreditHeaders mirrors the body's credits in headers for clients that
// meter without parsing bodies.
func setCreditHeaders(w http.ResponseWriter, c credits) {
	w.Header().Set("X-Credits-Used", strconv.FormatInt(c.Used, 10))
	w.Header().Set("X-Credits-Remaining", strconv.FormatInt(c.Remaining, 10))
}

// handlePersonEnrich serves POST /v1/person/enrich.
func (h *handler) handlePersonEnrich(w http.ResponseWriter, r *http.Request) {
	buf := h.getBuf()
	defer h.putBuf(buf)
	if err := readBody(w, r, buf); err != nil {
		h.writeError(w, r, err)
		return
	}
	reqs, batch, err := decodeEnrich(buf.Bytes())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	key := kit.KeyFrom(r.Context())
	for i := range reqs {
		if f := deniedField(key, reqs[i].Fields); f != "" {
			name := "fields"
			if batch {
				name = "requests[" + strconv.Itoa(i) + "].fields"
			}
			h.writeError(w, r, &enrichd.Error{Code: enrichd.EFORBIDDEN,
				Message: "This API key's plan does not include the " + f + " field.",
				Fields:  map[string]string{name: f + " needs a plan with that field permission"}})
			return
		}
	}
	if batch {
		h.enrichBatch(w, r, reqs, key)
		return
	}

	m, err := h.match(r.Context(), &reqs[0])
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	outcome := outcomeMiss
	if len(m.Candidates) > 0 {
		outcome = outcomeMatch
	}
	h.s.Kit.ObserveMatch(enrichd.APINative, EndpointPersonEnrich, outcome)
	price := h.s.Kit.Price(r, enrichd.APINative, outcome)
	remaining, err := h.s.Kit.Charge(r, enrichd.APINative, EndpointPersonEnrich, outcome, price)
	if err != nil {
		h.writeError(w, r, err) // EPAYMENT: 402 and no data
		return
	}
	resp := personResponse{
		RequestID:    kit.RequestID(r.Context()),
		personResult: buildResult(m, &reqs[0], key),
		Credits:      credits{Used: price, Remaining: remaining},
	}
	setCreditHeaders(w, resp.Credits)
	h.writeJSON(w, http.StatusOK, &resp)
}

// match runs the engine for one request. Candidates below min_confidence or
// beyond top_k are dropped here too, so that the answer keeps the caller's
// contract whatever the engine does.
func (h *handler) match(ctx context.Context, p *personRequest) (*enrichd.Match, error) {
	req := enrichd.MatchRequest{
		LinkedInURL:        p.LinkedInURL,
		Email:              p.Email,
		Phone:              p.Phone,
		FullName:           p.FullName,
		FirstName:          p.FirstName,
		LastName:           p.LastName,
		CompanyName:        p.CompanyName,
		CompanyDomain:      p.CompanyDomain,
		CompanyLinkedInURL: p.CompanyLinkedInURL,
		Title:              p.Title,
		Country:            p.Country,
		City:               p.City,
		TopK:               1,
	}
	if p.TopK != nil {
		req.TopK = *p.TopK
	}
	if p.MinConfidence != nil {
		req.MinConfidence = *p.MinConfidence
	}
	if p.Explain != nil {
		req.Explain = *p.Explain
	}
	m, err := h.s.Matcher.MatchPerson(ctx, req)
	if enrichd.ErrorCode(err) == enrichd.ENOTFOUND {
		return &enrichd.Match{}, nil // a miss is an answer, not an error
	} else if err != nil {
		return nil, err
	}
	if m == nil {
		return &enrichd.Match{}, nil
	}
	kept := m.Candidates[:0:0]
	for _, c := range m.Candidates {
		if c.Person != nil && c.Confidence >= req.MinConfidence && len(kept) < req.TopK {
			kept = append(kept, c)
		}
	}
	out := *m
	out.Candidates = kept
	return &out, nil
}

// buildResult converts an engine answer into the native result for p.
func buildResult(m *enrichd.Match, p *personRequest, key *enrichd.APIKey) personResult {
	res := personResult{
		Company:           m.Company,
		CompanyConfidence: m.CompanyConfidence,
	}
	if kit.FieldAllowed(key, enrichd.FieldContact) {
		res.GuessedEmail = m.GuessedEmail // an address is contact data
	}
	if m.Company == nil {
		res.CompanyConfidence = 0
	}
	explain := p.Explain != nil && *p.Explain
	if best := m.Best(); best != nil {
		res.Match = true
		res.Person = project(best.Person, p.Fields, key)
		res.Confidence = best.Confidence
		res.MatchedOn = best.MatchedOn
		if explain {
			res.Evidence = best.Evidence
		}
	}
	if p.TopK != nil && *p.TopK > 1 && len(m.Candidates) > 0 {
		res.Candidates = make([]candidate, len(m.Candidates))
		for i, c := range m.Candidates {
			res.Candidates[i] = candidate{Confidence: c.Confidence, MatchedOn: c.MatchedOn}
			if i == 0 {
				res.Candidates[i].Person = res.Person // already projected
			} else {
				res.Candidates[i].Person = project(c.Person, p.Fields, key)
			}
			if explain {
				res.Candidates[i].Evidence = c.Evidence
			}
		}
	}
	return res
}

// enrichBatch runs a batch: items are matched concurrently, then charged in
// input order so that a short balance serves the earliest items. An item that
// fails carries its own error and no data; when every item fails for the same
// reason other than bad input (no credits, store down), the whole request
// answers that error instead.
func (h *handler) enrichBatch(w http.ResponseWriter, r *http.Request, reqs []personRequest, key *enrichd.APIKey) {
	ctx := r.Context()
	matches := make([]*enrichd.Match, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, batchWorkers)
	for i := range reqs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := ctx.Err(); err != nil {
				errs[i] = enrichd.Errorf(enrichd.EUNAVAILABLE, "The request was cancelled.")
				return
			}
			matches[i], errs[i] = h.match(ctx, &reqs[i])
		}()
	}
	wg.Wait()

	resp := batchResponse{RequestID: kit.RequestID(ctx), Results: make([]any, len(reqs))}
	results := make([]personResult, len(reqs))
	if key != nil {
		resp.Credits.Remaining = key.Balance
	}
	failures, sameCode := 0, ""
	var firstErr error
	rid := kit.RequestID(ctx)
	for i := range reqs {
		if errs[i] == nil {
			outcome := outcomeMiss
			if len(matches[i].Candidates) > 0 {
				outcome = outcomeMatch
			}
			h.s.Kit.ObserveMatch(enrichd.APINative, EndpointPersonEnrich, outcome)
			price := h.s.Kit.Price(r, enrichd.APINative, outcome)
			// Each item is its own ledger entry, told apart by a suffix on the request id.
			ir := r.WithContext(kit.WithRequestID(ctx, rid+"#"+strconv.Itoa(i)))
			remaining, err := h.s.Kit.Charge(ir, enrichd.APINative, EndpointPersonEnrich, outcome, price)
			if err == nil {
				results[i] = buildResult(matches[i], &reqs[i], key)
				resp.Results[i] = &results[i]
				resp.Credits.Used += price
				resp.Credits.Remaining = remaining
				continue
			}
			errs[i] = err
		}
		h.s.Kit.LogError(r, errs[i])
		body := toErrorBody(r, errs[i])
		body.RequestID = ""
		if body.Fields != nil {
			prefixed := make(map[string]string, len(body.Fields))
			for k, v := range body.Fields {
				prefixed["requests["+strconv.Itoa(i)+"]."+k] = v
			}
			body.Fields = prefixed
		}
		resp.Results[i] = &itemError{Error: body}
		code := enrichd.ErrorCode(errs[i])
		if failures == 0 {
			firstErr, sameCode = errs[i], code
		} else if code != sameCode {
			sameCode = ""
		}
		failures++
	}
	if failures == len(reqs) && sameCode != "" && sameCode != enrichd.EINVALID {
		h.writeError(w, r, firstErr)
		return
	}
	setCreditHeaders(w, resp.Credits)
	h.writeJSON(w, http.StatusOK, &resp)
}

// handleCompanyEnrich serves POST /v1/company/enrich.
func (h *handler) handleCompanyEnrich(w http.ResponseWriter, r *http.Request) {
	buf := h.getBuf()
	defer h.putBuf(buf)
	if err := readBody(w, r, buf); err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeCompany(buf.Bytes())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, conf, err := h.s.Matcher.MatchCompany(r.Context(), enrichd.CompanyQuery{Domain: req.Domain, LinkedInURL: req.LinkedInURL, Name: req.Name})
	outcome := outcomeCompany
	switch {
	case enrichd.ErrorCode(err) == enrichd.ENOTFOUND || (err == nil && c == nil):
		c, conf, outcome = nil, 0, outcomeMiss
	case err != nil:
		h.writeError(w, r, err)
		return
	}
	h.s.Kit.ObserveMatch(enrichd.APINative, EndpointCompanyEnrich, outcome)
	price := h.s.Kit.Price(r, enrichd.APINative, outcome)
	remaining, err := h.s.Kit.Charge(r, enrichd.APINative, EndpointCompanyEnrich, outcome, price)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	resp := companyResponse{
		RequestID:  kit.RequestID(r.Context()),
		Match:      c != nil,
		Company:    c,
		Confidence: conf,
		Credits:    credits{Used: price, Remaining: remaining},
	}
	setCreditHeaders(w, resp.Credits)
	h.writeJSON(w, http.StatusOK, &resp)
}

// handlePersonSearch serves POST /v1/person/search. The price is per
// returned person ("native:search"), so an empty page is free.
func (h *handler) handlePersonSearch(w http.ResponseWriter, r *http.Request) {
	buf := h.getBuf()
	defer h.putBuf(buf)
	if err := readBody(w, r, buf); err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeSearch(buf.Bytes())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	key := kit.KeyFrom(r.Context())
	if f := deniedField(key, req.Fields); f != "" {
		h.writeError(w, r, &enrichd.Error{Code: enrichd.EFORBIDDEN,
			Message: "This API key's plan does not include the " + f + " field.",
			Fields:  map[string]string{"fields": f + " needs a plan with that field permission"}})
		return
	}
	q := enrichd.PersonSearch{Filter: req.Filters, Sorts: req.Sorts, Limit: DefaultSearchLimit, Cursor: req.Cursor, TotalCount: req.TotalCount}
	if req.Limit != nil {
		q.Limit = *req.Limit
	}
	page, err := h.s.People.SearchPeople(r.Context(), q)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if page == nil {
		page = &enrichd.PersonPage{}
	}
	price := h.s.Kit.Price(r, enrichd.APINative, outcomeSearch) * int64(len(page.People))
	remaining, err := h.s.Kit.Charge(r, enrichd.APINative, EndpointPersonSearch, outcomeSearch, price)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	resp := searchResponse{
		RequestID: kit.RequestID(r.Context()),
		People:    make([]*enrichd.Person, 0, len(page.People)),
		Credits:   credits{Used: price, Remaining: remaining},
	}
	for _, p := range page.People {
		if p != nil {
			resp.People = append(resp.People, project(p, req.Fields, key))
		}
	}
	if page.NextCursor != "" {
		resp.NextCursor = &page.NextCursor
	}
	if req.TotalCount && page.Total >= 0 {
		resp.TotalCount = &page.Total
	}
	setCreditHeaders(w, resp.Credits)
	h.writeJSON(w, http.StatusOK, &resp)
}
