package native

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/flatjson"
)

// rawItem is one undecoded batch item; items are decoded one by one so that
// every problem can be reported with its index.
type rawItem = json.RawMessage

// readBody reads the request body into buf, bounded by MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) error {
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return enrichd.Errorf(codeTooLarge, "Request body is larger than %d bytes.", MaxBodyBytes)
	} else if err != nil {
		return enrichd.Errorf(enrichd.EINVALID, "Could not read the request body.")
	}
	return nil
}

// decodeStrict decodes one JSON value from data into v, rejecting unknown
// fields and trailing data. prefix ("requests[3].") qualifies field names in
// errors.
func decodeStrict(data []byte, v any, prefix string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		if prefix != "" {
			return enrichd.InvalidFields("Invalid request.", map[string]string{strings.TrimSuffix(prefix, "."): "must be a JSON object"})
		}
		return enrichd.Errorf(enrichd.EINVALID, "Request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, prefix)
	}
	if _, err := dec.Token(); err != io.EOF {
		return enrichd.Errorf(enrichd.EINVALID, "Request body has data after the JSON object; send exactly one object.")
	}
	return nil
}

// jsonError turns a decoding error into a client-safe EINVALID naming the
// field where possible.
func jsonError(err error, prefix string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return enrichd.Errorf(enrichd.EINVALID, "Request body is not valid JSON (at byte %d): %s.", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return enrichd.Errorf(enrichd.EINVALID, "Request body is not valid JSON: it ends early.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			if prefix != "" {
				return enrichd.InvalidFields("Invalid request.", map[string]string{strings.TrimSuffix(prefix, "."): "must be a JSON object"})
			}
			return enrichd.Errorf(enrichd.EINVALID, "Request body must be a JSON object.")
		}
		// Fields promoted from the embedded personRequest carry its Go name.
		field = strings.TrimPrefix(field, "personRequest.")
		return invalid(map[string]string{
			prefix + field: fmt.Sprintf("must be %s, not %s", kindName(typ.Type), typ.Value),
		})
	}
	// encoding/json reports unknown fields only as text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return enrichd.InvalidFields(fmt.Sprintf("Unknown field %q.", prefix+name), map[string]string{prefix + name: "unknown field"})
	}
	return enrichd.Errorf(enrichd.EINVALID, "Request body is not valid JSON.")
}

// kindName describes a Go type the way a JSON client thinks of it.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Interface:
		return "a JSON value"
	}
	return "an object"
}

// decodeEnrich decodes and validates a person enrich body. It returns the
// requests to run (one unless batch) with batch defaults applied, or an
// EINVALID error listing every problem found.
func decodeEnrich(data []byte) (reqs []personRequest, batch bool, err error) {
	var body enrichBody
	if !flatjson.Scan(data, body.personRequest.setString) {
		body = enrichBody{}
		if err := decodeStrict(data, &body, ""); err != nil {
			return nil, false, err
		}
	}
	if body.Requests == nil {
		problems := map[string]string{}
		body.personRequest.validate("", problems)
		if len(problems) > 0 {
			return nil, false, invalid(problems)
		}
		return []personRequest{body.personRequest}, false, nil
	}

	items := *body.Requests
	problems := map[string]string{}
	if name := body.personRequest.identifierField(); name != "" {
		problems[name] = "not allowed beside requests; put each person in requests"
	}
	if len(items) == 0 || len(items) > MaxBatch {
		problems["requests"] = fmt.Sprintf("must contain 1 to %d items, not %d", MaxBatch, len(items))
		return nil, true, invalid(problems)
	}
	defaults := body.personRequest
	defaults.validateOptions("", problems)
	reqs = make([]personRequest, len(items))
	for i, raw := range items {
		prefix := "requests[" + strconv.Itoa(i) + "]."
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			problems[prefix[:len(prefix)-1]] = "must be a JSON object"
			continue
		}
		if err := decodeStrict(raw, &reqs[i], prefix); err != nil {
			if e := enrichd.AsError(err); e != nil && len(e.Fields) > 0 {
				for k, v := range e.Fields {
					problems[k] = v
				}
			} else {
				problems[prefix[:len(prefix)-1]] = "is not valid JSON"
			}
			continue
		}
		reqs[i].inherit(&defaults)
		reqs[i].validate(prefix, problems)
	}
	if len(problems) > 0 {
		return nil, true, invalid(problems)
	}
	return reqs, true, nil
}

// setString sets the string field whose JSON name is key, for the fast path
// of decodeEnrich; it reports false for any other key, options included.
func (p *personRequest) setString(key []byte, v string) bool {
	switch string(key) {
	case "linkedin_url":
		p.LinkedInURL = v
	case "email":
		p.Email = v
	case "phone":
		p.Phone = v
	case "full_name":
		p.FullName = v
	case "first_name":
		p.FirstName = v
	case "last_name":
		p.LastName = v
	case "company_name":
		p.CompanyName = v
	case "company_domain":
		p.CompanyDomain = v
	case "company_linkedin_url":
		p.CompanyLinkedInURL = v
	case "title":
		p.Title = v
	case "country":
		p.Country = v
	case "city":
		p.City = v
	default:
		return false
	}
	return true
}

// invalid builds the EINVALID error for a set of field problems, with a
// message that names the first of them so that logs and CLIs show something useful.
func invalid(problems map[string]string) error {
	first := ""
	for k := range problems {
		if first == "" || k < first {
			first = k
		}
	}
	msg := fmt.Sprintf("Invalid request: %s %s.", first, problems[first])
	if len(problems) > 1 {
		msg = fmt.Sprintf("Invalid request: %s %s (and %d more problems; see fields).", first, problems[first], len(problems)-1)
	}
	return enrichd.InvalidFields(msg, problems)
}

// inherit fills options unset on p from a batch's top-level defaults.
func (p *personRequest) inherit(d *personRequest) {
	if p.Fields == nil {
		p.Fields = d.Fields
	}
	if p.MinConfidence == nil {
		p.MinConfidence = d.MinConfidence
	}
	if p.TopK == nil {
		p.TopK = d.TopK
	}
	if p.Explain == nil {
		p.Explain = d.Explain
	}
}

// identifiers returns the identifier fields of p by their JSON names.
func (p *personRequest) identifiers() [12]struct{ name, value string } {
	return [12]struct{ name, value string }{
		{"linkedin_url", p.LinkedInURL}, {"email", p.Email}, {"phone", p.Phone},
		{"full_name", p.FullName}, {"first_name", p.FirstName}, {"last_name", p.LastName},
		{"company_name", p.CompanyName}, {"company_domain", p.CompanyDomain},
		{"company_linkedin_url", p.CompanyLinkedInURL}, {"title", p.Title},
		{"country", p.Country}, {"city", p.City},
	}
}

// identifierField returns the name of the first identifier set on p, or "".
func (p *personRequest) identifierField() string {
	for _, f := range p.identifiers() {
		if strings.TrimSpace(f.value) != "" {
			return f.name
		}
	}
	return ""
}

// validate records p's problems under prefix.
func (p *personRequest) validate(prefix string, problems map[string]string) {
	for _, f := range p.identifiers() {
		if len(f.value) > MaxValueLen {
			problems[prefix+f.name] = fmt.Sprintf("must be at most %d bytes", MaxValueLen)
		}
	}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	if blank(p.LinkedInURL) && blank(p.Email) && blank(p.Phone) && blank(p.FullName) && blank(p.FirstName) && blank(p.LastName) {
		key := "identifiers"
		if prefix != "" {
			key = prefix[:len(prefix)-1]
		}
		problems[key] = "needs at least one person identifier: linkedin_url, email, phone, or a name (full_name, or first_name and last_name) with a company"
	}
	p.validateOptions(prefix, problems)
}

// validateOptions records problems with p's options under prefix.
func (p *personRequest) validateOptions(prefix string, problems map[string]string) {
	if p.MinConfidence != nil && (*p.MinConfidence < 0 || *p.MinConfidence > 1) {
		problems[prefix+"min_confidence"] = "must be between 0 and 1"
	}
	if p.TopK != nil && (*p.TopK < 1 || *p.TopK > MaxTopK) {
		problems[prefix+"top_k"] = fmt.Sprintf("must be between 1 and %d", MaxTopK)
	}
	if bad := unknownFields(p.Fields); bad != "" {
		problems[prefix+"fields"] = bad
	}
}

// unknownFields describes the unknown Person field names in fields, or "".
func unknownFields(fields []string) string {
	var bad []string
	for _, f := range fields {
		if !isPersonField(f) {
			bad = append(bad, strconv.Quote(f))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return "unknown Person field " + strings.Join(bad, ", ") + "; valid: " + strings.Join(personFields, ", ")
}

// decodeCompany decodes and validates a company enrich body.
func decodeCompany(data []byte) (companyRequest, error) {
	var req companyRequest
	if err := decodeStrict(data, &req, ""); err != nil {
		return req, err
	}
	problems := map[string]string{}
	for name, v := range map[string]string{"domain": req.Domain, "linkedin_url": req.LinkedInURL, "name": req.Name} {
		if len(v) > MaxValueLen {
			problems[name] = fmt.Sprintf("must be at most %d bytes", MaxValueLen)
		}
	}
	if strings.TrimSpace(req.Domain) == "" && strings.TrimSpace(req.LinkedInURL) == "" && strings.TrimSpace(req.Name) == "" {
		problems["identifiers"] = "needs at least one of domain, linkedin_url or name"
	}
	if len(problems) > 0 {
		return req, invalid(problems)
	}
	return req, nil
}

// decodeSearch decodes and validates a person search body.
func decodeSearch(data []byte) (searchRequest, error) {
	var req searchRequest
	if err := decodeStrict(data, &req, ""); err != nil {
		return req, err
	}
	problems := map[string]string{}
	if req.Limit != nil && (*req.Limit < 1 || *req.Limit > MaxSearchLimit) {
		problems["limit"] = fmt.Sprintf("must be between 1 and %d", MaxSearchLimit)
	}
	if bad := unknownFields(req.Fields); bad != "" {
		problems["fields"] = bad
	}
	if req.Filters != nil {
		nodes := 0
		checkFilterSize(req.Filters, 1, &nodes, problems)
	}
	if len(problems) > 0 {
		return req, invalid(problems)
	}
	return req, nil
}

// checkFilterSize bounds a filter tree before it reaches the store, which
// validates fields, operators and values itself (one source of truth for the
// filter language, shared with the Crustdata dialect).
func checkFilterSize(f *enrichd.Filter, depth int, nodes *int, problems map[string]string) {
	*nodes++
	if *nodes > maxFilterNodes {
		problems["filters"] = fmt.Sprintf("must have at most %d conditions and groups", maxFilterNodes)
		return
	}
	if depth > maxFilterDepth {
		problems["filters"] = fmt.Sprintf("must not nest deeper than %d levels", maxFilterDepth)
		return
	}
	for i := range f.Conditions {
		checkFilterSize(&f.Conditions[i], depth+1, nodes, problems)
	}
}
