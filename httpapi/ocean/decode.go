package ocean

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// validationErrors is a 422: every problem of the body, as FastAPI (pydantic
// v2) reports them, so that a client fixes them all in one round trip.
type validationErrors []validationError

// Error implements error.
func (v validationErrors) Error() string {
	if len(v) == 0 {
		return "validation error"
	}
	return "validation error: " + v[0].Msg
}

var (
	rawNull      = json.RawMessage("null")
	rawEmptyDict = json.RawMessage("{}")
)

// NOTE: a null input is omitted (Input is nil) rather than sent as null:
// FastAPI sends null, but the document's untyped Input schema is not
// nullable under OpenAPI 3.0 rules, so omitting is valid under every reading.

// stringField binds a JSON field name to the string it fills.
type stringField struct {
	name string
	dst  func(*enrichRequest) *string
}

// personFields and companyFields list the documented fields in the order of
// Ocean's OpenAPI document, which is the order pydantic reports errors in.
var personFields = []stringField{
	{"id", func(q *enrichRequest) *string { return &q.Person.ID }},
	{"name", func(q *enrichRequest) *string { return &q.Person.Name }},
	{"firstName", func(q *enrichRequest) *string { return &q.Person.FirstName }},
	{"lastName", func(q *enrichRequest) *string { return &q.Person.LastName }},
	{"jobTitle", func(q *enrichRequest) *string { return &q.Person.JobTitle }},
	{"email", func(q *enrichRequest) *string { return &q.Person.Email }},
	{"phone", func(q *enrichRequest) *string { return &q.Person.Phone }},
	{"facebook", func(q *enrichRequest) *string { return &q.Person.Facebook }},
	{"twitter", func(q *enrichRequest) *string { return &q.Person.Twitter }},
	{"linkedin", func(q *enrichRequest) *string { return &q.Person.LinkedIn }},
	{"country", func(q *enrichRequest) *string { return &q.Person.Country }},
}

var companyFields = []stringField{
	{"name", func(q *enrichRequest) *string { return &q.Company.Name }},
	{"registrationNumber", func(q *enrichRequest) *string { return &q.Company.RegistrationNumber }},
	{"email", func(q *enrichRequest) *string { return &q.Company.Email }},
	{"phone", func(q *enrichRequest) *string { return &q.Company.Phone }},
	{"countryCode", func(q *enrichRequest) *string { return &q.Company.CountryCode }},
	{"state", func(q *enrichRequest) *string { return &q.Company.State }},
	{"city", func(q *enrichRequest) *string { return &q.Company.City }},
	{"streetAddress", func(q *enrichRequest) *string { return &q.Company.StreetAddress }},
	{"postalCode", func(q *enrichRequest) *string { return &q.Company.PostalCode }},
	{"address", func(q *enrichRequest) *string { return &q.Company.Address }},
	{"facebook", func(q *enrichRequest) *string { return &q.Company.Facebook }},
	{"twitter", func(q *enrichRequest) *string { return &q.Company.Twitter }},
	{"linkedin", func(q *enrichRequest) *string { return &q.Company.LinkedIn }},
	{"instagram", func(q *enrichRequest) *string { return &q.Company.Instagram }},
	{"xing", func(q *enrichRequest) *string { return &q.Company.Xing }},
	{"domain", func(q *enrichRequest) *string { return &q.Company.Domain }},
	{"youtube", func(q *enrichRequest) *string { return &q.Company.YouTube }},
}

var bodyFields = []string{"person", "company", "revealEmails", "revealPhones"}

// decoder accumulates the request and its validation errors.
type decoder struct {
	req  enrichRequest
	errs validationErrors
}

// decodeRequest parses a MatchPersonBody the way FastAPI validates it:
// strict JSON, strings only where strings are documented, pydantic's lax
// booleans, unknown fields forbidden; every problem is collected. It
// returns validationErrors (a 422) on failure.
func decodeRequest(data []byte) (*enrichRequest, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, validationErrors{{Type: "missing", Loc: []any{"body"}, Msg: "Field required"}}
	}
	var top map[string]json.RawMessage
	if data[0] != '{' {
		return nil, notAnObject(data, []any{"body"}, "MatchPersonBody")
	}
	if err := json.Unmarshal(data, &top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, jsonInvalid(se.Offset, se.Error())
		}
		return nil, jsonInvalid(0, "Invalid JSON")
	}
	d := &decoder{}
	if raw, ok := top["person"]; !ok {
		d.add(validationError{Type: "missing", Loc: []any{"body", "person"}, Msg: "Field required", Input: input(data)})
	} else {
		d.object(raw, []any{"body", "person"}, "Person", personFields, nil)
	}
	if raw, ok := top["company"]; ok && !isNull(raw) {
		d.object(raw, []any{"body", "company"}, "Company", companyFields, nil)
	}
	if raw, ok := top["revealEmails"]; ok && !isNull(raw) {
		d.object(raw, []any{"body", "revealEmails"}, "RevealEmails", webhookField,
			map[string]*bool{"includeEmails": &d.req.IncludeEmails})
	}
	if raw, ok := top["revealPhones"]; ok && !isNull(raw) {
		d.object(raw, []any{"body", "revealPhones"}, "RevealPhones", webhookField,
			map[string]*bool{"includePhones": &d.req.IncludePhones})
	}
	d.extras(top, []any{"body"}, bodyFields)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return &d.req, nil
}

// webhookField accepts webhookUrl (a nullable string) and discards it:
// enrichd answers synchronously and never calls back.
var webhookField = []stringField{{"webhookUrl", func(*enrichRequest) *string { return new(string) }}}

func (d *decoder) add(e validationError) { d.errs = append(d.errs, e) }

// object decodes one nested model: its documented string fields, its
// booleans, then the extra fields it forbids.
func (d *decoder) object(raw json.RawMessage, loc []any, class string, fields []stringField, bools map[string]*bool) {
	if len(raw) == 0 || raw[0] != '{' {
		d.errs = append(d.errs, notAnObject(raw, loc, class)...)
		return
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		d.errs = append(d.errs, notAnObject(raw, loc, class)...)
		return
	}
	names := make([]string, 0, len(fields)+len(bools))
	for _, f := range fields {
		names = append(names, f.name)
		v, ok := obj[f.name]
		if !ok || isNull(v) {
			continue
		}
		if v[0] != '"' {
			d.add(validationError{Type: "string_type", Loc: at(loc, f.name), Msg: "Input should be a valid string", Input: input(v)})
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			d.add(validationError{Type: "string_type", Loc: at(loc, f.name), Msg: "Input should be a valid string", Input: input(v)})
			continue
		}
		*f.dst(&d.req) = strings.TrimSpace(s)
	}
	for _, name := range sortedKeys(bools) {
		names = append(names, name)
		v, ok := obj[name]
		if !ok {
			continue // default false
		}
		b, typ := laxBool(v)
		switch typ {
		case "":
			*bools[name] = b
		case "bool_parsing":
			d.add(validationError{Type: typ, Loc: at(loc, name), Msg: "Input should be a valid boolean, unable to interpret input", Input: input(v)})
		default:
			d.add(validationError{Type: typ, Loc: at(loc, name), Msg: "Input should be a valid boolean", Input: input(v)})
		}
	}
	d.extras(obj, loc, names)
}

// extras reports fields the model forbids, in name order.
func (d *decoder) extras(obj map[string]json.RawMessage, loc []any, allowed []string) {
	var extra []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		d.add(validationError{Type: "extra_forbidden", Loc: at(loc, k), Msg: "Extra inputs are not permitted", Input: input(obj[k])})
	}
}

// laxBool parses a boolean the way pydantic's lax mode does: true/false,
// 0/1, and the strings "true", "false", "yes", "no", "on", "off", "t", "f",
// "y", "n", "1", "0" in any case. typ is "" on success, else pydantic's
// error type.
func laxBool(v json.RawMessage) (b bool, typ string) {
	switch v[0] {
	case 't', 'f':
		return v[0] == 't', ""
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return false, "bool_parsing"
		}
		switch strings.ToLower(s) {
		case "true", "yes", "on", "t", "y", "1":
			return true, ""
		case "false", "no", "off", "f", "n", "0":
			return false, ""
		}
		return false, "bool_parsing"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var f float64
		if err := json.Unmarshal(v, &f); err == nil && (f == 0 || f == 1) {
			return f == 1, ""
		}
		return false, "bool_parsing"
	}
	return false, "bool_type"
}

// notAnObject reports raw where a model (class) was expected: invalid JSON
// is json_invalid, any other value model_type.
func notAnObject(raw []byte, loc []any, class string) validationErrors {
	if !json.Valid(raw) {
		var se *json.SyntaxError
		var v any
		if err := json.Unmarshal(raw, &v); errors.As(err, &se) {
			return validationErrors{jsonInvalid(se.Offset, se.Error())[0]}
		}
		return jsonInvalid(int64(len(raw)), "Invalid JSON")
	}
	return validationErrors{{Type: "model_type", Loc: loc,
		Msg:   "Input should be a valid dictionary or instance of " + class,
		Input: input(raw), Ctx: map[string]any{"class_name": class}}}
}

// jsonInvalid is FastAPI's answer to a body that is not JSON.
func jsonInvalid(offset int64, reason string) validationErrors {
	return validationErrors{{Type: "json_invalid", Loc: []any{"body", offset}, Msg: "JSON decode error",
		Input: rawEmptyDict, Ctx: map[string]any{"error": reason}}}
}

func isNull(v json.RawMessage) bool { return bytes.Equal(v, rawNull) }

// at returns loc extended by name, never sharing loc's backing array.
func at(loc []any, name string) []any {
	out := make([]any, len(loc), len(loc)+1)
	copy(out, loc)
	return append(out, name)
}

func sortedKeys(m map[string]*bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// input returns v for a validation error's input, nil (omitted) for null.
func input(v []byte) json.RawMessage {
	if len(v) == 0 || isNull(v) {
		return nil
	}
	return v
}
