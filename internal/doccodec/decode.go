// Package doccodec decodes the stored JSON documents of people and companies
// without reflection.
//
// NOTE: the contract is exact equivalence with encoding/json: for every input,
// DecodePerson gives the value and the error status json.Unmarshal gives into a
// zero Person. A strict hand-written fast path accepts only what the stores
// write (known keys in exact case, each at most once, strings, integers,
// booleans, arrays, nested objects, RFC 3339 times, Extra raw values) and
// validates as it goes; on anything else (null, an unknown or case-variant
// key, a duplicate key, a float in an int field, overflow, bad syntax,
// trailing data, a time the time package rejects) it gives up and the input is
// decoded again by json.Unmarshal into a freshly zeroed value, so errors are
// always encoding/json's own. See docs/DECISIONS.md.
package doccodec

import (
	"encoding/json"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/enrichd/enrichd"
)

// DecodePerson sets *p to the person in doc, exactly as json.Unmarshal would
// into a zero Person: *p is zeroed first.
//
// Unescaped strings of the result share one copy of doc (one allocation
// instead of one per string), so the person keeps about len(doc) bytes alive.
func DecodePerson(doc []byte, p *enrichd.Person) error {
	return decodeDoc(doc, "", p, (*decoder).person)
}

// DecodePersonString is DecodePerson of a document held as a string (as
// SQLite returns it): unescaped strings of the result share doc itself, so a
// cache that keeps doc keeps no second copy.
func DecodePersonString(doc string, p *enrichd.Person) error {
	return decodeDoc([]byte(doc), doc, p, (*decoder).person)
}

// DecodeCompany sets *c to the company in doc, exactly as json.Unmarshal would
// into a zero Company: *c is zeroed first.
func DecodeCompany(doc []byte, c *enrichd.Company) error {
	return decodeDoc(doc, "", c, (*decoder).company)
}

// DecodeCompanyString is DecodeCompany of a document held as a string (see
// DecodePersonString).
func DecodeCompanyString(doc string, c *enrichd.Company) error {
	return decodeDoc([]byte(doc), doc, c, (*decoder).company)
}

// decodeDoc decodes doc into *v with fn, or with json.Unmarshal when the fast
// path gives up. s is doc as a string when the caller has it ("" otherwise).
func decodeDoc[T any](doc []byte, s string, v *T, fn func(*decoder, *T) bool) error {
	if v == nil {
		return json.Unmarshal(doc, v) // json's InvalidUnmarshalError
	}
	var zero T
	*v = zero
	d := getDecoder(doc)
	d.s = s
	ok := d.top(func() bool { return fn(d, v) })
	putDecoder(d)
	if ok {
		return nil
	}
	*v = zero
	return json.Unmarshal(doc, v)
}

// maxDepth bounds the nesting of Extra values the fast path validates;
// deeper ones (encoding/json allows 10000) go to the fallback.
const maxDepth = 512

// decoder is the fast path's state. Each method returns false when it cannot
// decode the input with certainty; nothing is reported beyond that.
//
// The scratch slices collect the elements of an array before one exact-size
// copy; no array of a type nests inside another of the same type, so one
// scratch per type suffices. Decoders are pooled to keep them.
type decoder struct {
	data []byte
	s    string // data as a string, set on first use
	i    int

	strs   []string
	emp    []enrichd.Employment
	edu    []enrichd.Education
	cert   []enrichd.Certification
	honors []enrichd.Honor
	emails []enrichd.Email
	phones []enrichd.Phone
	prov   []enrichd.Provenance
}

var decoders = sync.Pool{New: func() any { return new(decoder) }}

func getDecoder(doc []byte) *decoder {
	d := decoders.Get().(*decoder)
	d.data, d.i = doc, 0
	return d
}

func putDecoder(d *decoder) {
	// Drop every reference into the document (scratch slices are cleared
	// after each use).
	d.data, d.s = nil, ""
	decoders.Put(d)
}

// top decodes one value with fn and requires only whitespace after it.
func (d *decoder) top(fn func() bool) bool {
	d.ws()
	if !fn() {
		return false
	}
	d.ws()
	return d.i == len(d.data)
}

func (d *decoder) ws() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// str returns the string of data[from:to], a substring of the shared copy.
func (d *decoder) str(from, to int) string {
	if d.s == "" {
		d.s = string(d.data)
	}
	return d.s[from:to]
}

// scanString validates the string token at d.i and moves past it. It returns
// the bounds of its contents and whether they need unquoting (escapes or
// invalid UTF-8, which encoding/json replaces by U+FFFD).
func (d *decoder) scanString() (from, to int, unquote, ok bool) {
	data := d.data
	if d.i >= len(data) || data[d.i] != '"' {
		return 0, 0, false, false
	}
	from = d.i + 1
	nonASCII := false
	for j := from; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			d.i = j + 1
			if nonASCII && !unquote && !utf8.Valid(data[from:j]) {
				unquote = true
			}
			return from, j, unquote, true
		case c == '\\':
			unquote = true
			j++
			if j >= len(data) {
				return 0, 0, false, false
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(data) || hex(data[j+1:j+5]) < 0 {
					return 0, 0, false, false
				}
				j += 4
			default:
				return 0, 0, false, false
			}
		case c < ' ':
			return 0, 0, false, false
		case c >= utf8.RuneSelf:
			nonASCII = true
		}
	}
	return 0, 0, false, false
}

// string decodes a string value.
func (d *decoder) string(dst *string) bool {
	from, to, unq, ok := d.scanString()
	if !ok {
		return false
	}
	if unq {
		*dst = string(unquoteBytes(d.data[from:to]))
	} else {
		*dst = d.str(from, to)
	}
	return true
}

// key reads an object key and its colon. Keys needing unquoting are never
// struct field names as written, so they fail.
func (d *decoder) key() (string, bool) {
	from, to, unq, ok := d.scanString()
	if !ok || unq {
		return "", false
	}
	d.ws()
	if d.i >= len(d.data) || d.data[d.i] != ':' {
		return "", false
	}
	d.i++
	d.ws()
	return d.str(from, to), true
}

// open consumes c and the whitespace after it.
func (d *decoder) open(c byte) bool {
	if d.i >= len(d.data) || d.data[d.i] != c {
		return false
	}
	d.i++
	d.ws()
	return true
}

// next moves to the next member or element of an object or array closed by
// end: it returns more=false after consuming end. first tells whether no
// member was read yet.
func (d *decoder) next(end byte, first bool) (more, ok bool) {
	d.ws()
	if d.i >= len(d.data) {
		return false, false
	}
	switch c := d.data[d.i]; {
	case c == end:
		d.i++
		return false, true
	case first:
		return true, true
	case c == ',':
		d.i++
		d.ws()
		return true, true
	}
	return false, false
}

// int decodes an integer as encoding/json does into an int: fractions,
// exponents and overflow fail (json reports them).
func (d *decoder) int(dst *int) bool {
	data, j := d.data, d.i
	neg := false
	if j < len(data) && data[j] == '-' {
		neg = true
		j++
	}
	if j >= len(data) || data[j] < '0' || data[j] > '9' {
		return false
	}
	var n uint64
	if data[j] == '0' {
		j++
	} else {
		for ; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
			if n > (1<<63)/10 {
				return false
			}
			n = n*10 + uint64(data[j]-'0')
		}
	}
	if j < len(data) && (data[j] == '.' || data[j] == 'e' || data[j] == 'E') {
		return false
	}
	const maxInt = uint64(^uint(0) >> 1)
	switch {
	case !neg && n > maxInt, neg && n > maxInt+1:
		return false
	case neg:
		*dst = int(-n)
	default:
		*dst = int(n)
	}
	d.i = j
	return true
}

func (d *decoder) literal(lit string) bool {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

func (d *decoder) bool(dst *bool) bool {
	switch {
	case d.literal("true"):
		*dst = true
	case d.literal("false"):
		*dst = false
	default:
		return false
	}
	return true
}

// time decodes a time as encoding/json does: the quoted token, escapes and
// all, goes to (*time.Time).UnmarshalJSON.
func (d *decoder) time(dst *time.Time) bool {
	start := d.i
	if _, _, _, ok := d.scanString(); !ok {
		return false
	}
	return dst.UnmarshalJSON(d.data[start:d.i]) == nil
}

// array decodes an array of T, each element with elem, into *dst through
// scratch. An empty array gives an empty non-nil slice, as encoding/json does.
func array[T any](d *decoder, scratch *[]T, dst *[]T, elem func(*decoder, *T) bool) bool {
	if !d.open('[') {
		return false
	}
	var zero T
	buf := (*scratch)[:0]
	ok := true
	for first := true; ; first = false {
		more, ok2 := d.next(']', first)
		if !ok2 {
			ok = false
			break
		}
		if !more {
			break
		}
		buf = append(buf, zero)
		if !elem(d, &buf[len(buf)-1]) {
			ok = false
			break
		}
	}
	if ok {
		*dst = append(make([]T, 0, len(buf)), buf...)
	}
	clear(buf)
	*scratch = buf[:0]
	return ok
}

func (d *decoder) strings(dst *[]string) bool {
	return array(d, &d.strs, dst, (*decoder).string)
}

// object decodes the members of an object with field, which returns the bit
// of the key it decoded (0 for an unknown key, which fails). A key seen twice
// fails: encoding/json's merging of duplicates is left to it.
func (d *decoder) object(field func(key string) (bit uint32, ok bool)) bool {
	if !d.open('{') {
		return false
	}
	var seen uint32
	for first := true; ; first = false {
		more, ok := d.next('}', first)
		if !ok {
			return false
		}
		if !more {
			return true
		}
		key, ok := d.key()
		if !ok {
			return false
		}
		bit, ok := field(key)
		if !ok || bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
	}
}

func (d *decoder) person(p *enrichd.Person) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "id":
			return 1 << 0, d.string(&p.ID)
		case "full_name":
			return 1 << 1, d.string(&p.FullName)
		case "first_name":
			return 1 << 2, d.string(&p.FirstName)
		case "middle_name":
			return 1 << 3, d.string(&p.MiddleName)
		case "last_name":
			return 1 << 4, d.string(&p.LastName)
		case "headline":
			return 1 << 5, d.string(&p.Headline)
		case "summary":
			return 1 << 6, d.string(&p.Summary)
		case "title":
			return 1 << 7, d.string(&p.Title)
		case "seniority":
			return 1 << 8, d.string(&p.Seniority)
		case "departments":
			return 1 << 9, d.strings(&p.Departments)
		case "location":
			return 1 << 10, d.location(&p.Location)
		case "languages":
			return 1 << 11, d.strings(&p.Languages)
		case "skills":
			return 1 << 12, d.strings(&p.Skills)
		case "employment":
			return 1 << 13, array(d, &d.emp, &p.Employment, (*decoder).employment)
		case "education":
			return 1 << 14, array(d, &d.edu, &p.Education, (*decoder).education)
		case "certifications":
			return 1 << 15, array(d, &d.cert, &p.Certifications, (*decoder).certification)
		case "honors":
			return 1 << 16, array(d, &d.honors, &p.Honors, (*decoder).honor)
		case "contact":
			return 1 << 17, d.contact(&p.Contact)
		case "social":
			return 1 << 18, d.social(&p.Social)
		case "picture_url":
			return 1 << 19, d.string(&p.PictureURL)
		case "connections":
			return 1 << 20, d.int(&p.Connections)
		case "followers":
			return 1 << 21, d.int(&p.Followers)
		case "extra":
			return 1 << 22, d.extra(&p.Extra)
		case "sources":
			return 1 << 23, array(d, &d.prov, &p.Sources, (*decoder).provenance)
		case "created_at":
			return 1 << 24, d.time(&p.CreatedAt)
		case "updated_at":
			return 1 << 25, d.time(&p.UpdatedAt)
		}
		return 0, false
	})
}

func (d *decoder) company(c *enrichd.Company) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "id":
			return 1 << 0, d.string(&c.ID)
		case "name":
			return 1 << 1, d.string(&c.Name)
		case "legal_name":
			return 1 << 2, d.string(&c.LegalName)
		case "domain":
			return 1 << 3, d.string(&c.Domain)
		case "other_domains":
			return 1 << 4, d.strings(&c.OtherDomains)
		case "linkedin_url":
			return 1 << 5, d.string(&c.LinkedInURL)
		case "industry":
			return 1 << 6, d.string(&c.Industry)
		case "employee_range":
			return 1 << 7, d.string(&c.EmployeeRange)
		case "employee_count":
			return 1 << 8, d.int(&c.EmployeeCount)
		case "revenue_range":
			return 1 << 9, d.string(&c.RevenueRange)
		case "founded_year":
			return 1 << 10, d.int(&c.FoundedYear)
		case "hq":
			return 1 << 11, d.location(&c.HQ)
		case "phone":
			return 1 << 12, d.string(&c.Phone)
		case "description":
			return 1 << 13, d.string(&c.Description)
		case "email_pattern":
			return 1 << 14, d.string(&c.EmailPattern)
		case "extra":
			return 1 << 15, d.extra(&c.Extra)
		case "sources":
			return 1 << 16, array(d, &d.prov, &c.Sources, (*decoder).provenance)
		case "created_at":
			return 1 << 17, d.time(&c.CreatedAt)
		case "updated_at":
			return 1 << 18, d.time(&c.UpdatedAt)
		}
		return 0, false
	})
}

func (d *decoder) location(l *enrichd.Location) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "raw":
			return 1 << 0, d.string(&l.Raw)
		case "city":
			return 1 << 1, d.string(&l.City)
		case "state":
			return 1 << 2, d.string(&l.State)
		case "country":
			return 1 << 3, d.string(&l.Country)
		case "country_code":
			return 1 << 4, d.string(&l.CountryCode)
		case "continent":
			return 1 << 5, d.string(&l.Continent)
		}
		return 0, false
	})
}

func (d *decoder) employment(e *enrichd.Employment) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "company_id":
			return 1 << 0, d.string(&e.CompanyID)
		case "company_name":
			return 1 << 1, d.string(&e.CompanyName)
		case "company_domain":
			return 1 << 2, d.string(&e.CompanyDomain)
		case "company_linkedin_url":
			return 1 << 3, d.string(&e.CompanyLinkedInURL)
		case "title":
			return 1 << 4, d.string(&e.Title)
		case "seniority":
			return 1 << 5, d.string(&e.Seniority)
		case "department":
			return 1 << 6, d.string(&e.Department)
		case "start":
			return 1 << 7, d.string(&e.Start)
		case "end":
			return 1 << 8, d.string(&e.End)
		case "current":
			return 1 << 9, d.bool(&e.Current)
		case "description":
			return 1 << 10, d.string(&e.Description)
		case "location":
			return 1 << 11, d.string(&e.Location)
		}
		return 0, false
	})
}

func (d *decoder) education(e *enrichd.Education) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "school":
			return 1 << 0, d.string(&e.School)
		case "degree":
			return 1 << 1, d.string(&e.Degree)
		case "field":
			return 1 << 2, d.string(&e.Field)
		case "start":
			return 1 << 3, d.string(&e.Start)
		case "end":
			return 1 << 4, d.string(&e.End)
		}
		return 0, false
	})
}

func (d *decoder) certification(c *enrichd.Certification) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "name":
			return 1 << 0, d.string(&c.Name)
		case "issuing_organization":
			return 1 << 1, d.string(&c.IssuingOrganization)
		case "issue_date":
			return 1 << 2, d.string(&c.IssueDate)
		case "expiration_date":
			return 1 << 3, d.string(&c.ExpirationDate)
		case "credential_url":
			return 1 << 4, d.string(&c.CredentialURL)
		}
		return 0, false
	})
}

func (d *decoder) honor(h *enrichd.Honor) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "title":
			return 1 << 0, d.string(&h.Title)
		case "issuer":
			return 1 << 1, d.string(&h.Issuer)
		case "issued_date":
			return 1 << 2, d.string(&h.IssuedDate)
		case "description":
			return 1 << 3, d.string(&h.Description)
		}
		return 0, false
	})
}

func (d *decoder) contact(c *enrichd.Contact) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "business_emails":
			return 1 << 0, array(d, &d.emails, &c.BusinessEmails, (*decoder).email)
		case "personal_emails":
			return 1 << 1, array(d, &d.emails, &c.PersonalEmails, (*decoder).email)
		case "phones":
			return 1 << 2, array(d, &d.phones, &c.Phones, (*decoder).phone)
		case "websites":
			return 1 << 3, d.strings(&c.Websites)
		}
		return 0, false
	})
}

func (d *decoder) email(e *enrichd.Email) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "address":
			return 1 << 0, d.string(&e.Address)
		case "status":
			return 1 << 1, d.string(&e.Status)
		case "source":
			return 1 << 2, d.string(&e.Source)
		}
		return 0, false
	})
}

func (d *decoder) phone(p *enrichd.Phone) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "number":
			return 1 << 0, d.string(&p.Number)
		case "type":
			return 1 << 1, d.string(&p.Type)
		case "status":
			return 1 << 2, d.string(&p.Status)
		case "source":
			return 1 << 3, d.string(&p.Source)
		}
		return 0, false
	})
}

func (d *decoder) social(s *enrichd.Social) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "linkedin_url":
			return 1 << 0, d.string(&s.LinkedInURL)
		case "linkedin_member_id":
			return 1 << 1, d.string(&s.LinkedInMemberID)
		case "twitter":
			return 1 << 2, d.string(&s.Twitter)
		case "github":
			return 1 << 3, d.string(&s.GitHub)
		case "facebook":
			return 1 << 4, d.string(&s.Facebook)
		}
		return 0, false
	})
}

func (d *decoder) provenance(p *enrichd.Provenance) bool {
	return d.object(func(key string) (uint32, bool) {
		switch key {
		case "source":
			return 1 << 0, d.string(&p.Source)
		case "record_id":
			return 1 << 1, d.string(&p.RecordID)
		case "seen_at":
			return 1 << 2, d.time(&p.SeenAt)
		}
		return 0, false
	})
}

// extra decodes a map of raw values as encoding/json does: a new map (empty
// for {}), keys unquoted, each value's bytes copied as written, a repeated
// key's last value winning.
func (d *decoder) extra(dst *map[string]json.RawMessage) bool {
	if !d.open('{') {
		return false
	}
	m := make(map[string]json.RawMessage)
	for first := true; ; first = false {
		more, ok := d.next('}', first)
		if !ok {
			return false
		}
		if !more {
			*dst = m
			return true
		}
		var k string
		if !d.string(&k) {
			return false
		}
		d.ws()
		if !d.open(':') {
			return false
		}
		start := d.i
		if !d.skip(0) {
			return false
		}
		m[k] = append(json.RawMessage(nil), d.data[start:d.i]...)
	}
}

// skip validates any JSON value at d.i and moves past it.
func (d *decoder) skip(depth int) bool {
	if d.i >= len(d.data) {
		return false
	}
	switch c := d.data[d.i]; {
	case c == '"':
		_, _, _, ok := d.scanString()
		return ok
	case c == '{', c == '[':
		if depth >= maxDepth {
			return false
		}
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		d.i++
		for first := true; ; first = false {
			more, ok := d.next(end, first)
			if !ok {
				return false
			}
			if !more {
				return true
			}
			if c == '{' {
				if _, _, _, ok := d.scanString(); !ok {
					return false
				}
				d.ws()
				if !d.open(':') {
					return false
				}
			}
			if !d.skip(depth + 1) {
				return false
			}
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return false
}

// number validates a JSON number.
func (d *decoder) number() bool {
	data, j := d.data, d.i
	digits := func() bool {
		k := j
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j < len(data) && data[j] == '0':
		j++
	case !digits():
		return false
	}
	if j < len(data) && data[j] == '.' {
		j++
		if !digits() {
			return false
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if !digits() {
			return false
		}
	}
	d.i = j
	return true
}

// hex returns the value of 4 hex digits, or -1.
func hex(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	return hex(s[2:6])
}

// unquoteBytes unquotes the contents of a string token already validated by
// scanString, exactly as encoding/json's unquote does: escapes, surrogate
// pairs (an unpaired surrogate becomes U+FFFD and only its own escape is
// consumed) and invalid UTF-8 (each bad byte becomes U+FFFD).
func unquoteBytes(s []byte) []byte {
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for r := 0; r < len(s); {
		switch c := s[r]; {
		case c == '\\':
			switch s[r+1] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if utf16.IsSurrogate(rr) {
					rr1 := getu4(s[r:])
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // " \ /
				b = append(b, s[r+1])
			}
			r += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b
}
