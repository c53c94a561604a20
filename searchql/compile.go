package searchql

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// Limits of one search.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
	// MaxValues bounds the values of one in/not_in/has_all list.
	MaxValues = 1000
	// MaxConditions bounds the conditions of one filter tree.
	MaxConditions = 200
	// MaxDepth bounds the nesting of groups.
	MaxDepth = 10
	// MaxSorts bounds the sort keys.
	MaxSorts = 5
	// MaxArgs bounds the parameters of one statement, well under SQLite's
	// limit of 32766 variables.
	MaxArgs = 20000
)

// Query is a compiled search: SQL fragments over the people table with `?`
// placeholders, the arguments in placeholder order, and what the stores need
// to page through the results.
type Query struct {
	// Where is the filter predicate ("1=1" when there is no filter).
	Where string
	// Args are the arguments of Where.
	Args []any
	// Keyset is the predicate that starts the page after the cursor ("" on the first page).
	Keyset string
	// KeysetArgs are the arguments of Keyset.
	KeysetArgs []any
	// OrderBy is the ORDER BY list; it always ends with id so that the order is total.
	OrderBy string
	// SortExprs are the sort expressions (without id) the stores select so
	// that NextCursor can encode the last row's keys.
	SortExprs []string
	// Limit is the page size.
	Limit int
	// TotalCount says whether the caller asked for the total.
	TotalCount bool

	sortKinds  []kind
	hash       string
	outerOrder string // OrderBy over the subquery's aliases
	desc       []bool // per sort expression
}

func direction(desc bool) string {
	if desc {
		return "DESC"
	}
	return "ASC"
}

// Compile validates s and compiles it. It returns EINVALID naming every
// unknown field, unsupported operator, malformed value, bad sort, limit or
// cursor, with per-field problems in Error.Fields.
func Compile(s enrichd.PersonSearch) (*Query, error) {
	c := &compiler{problems: map[string]string{}}
	q := &Query{Limit: s.Limit, TotalCount: s.TotalCount}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		c.fail("limit", fmt.Sprintf("limit must be between 1 and %d, got %d", MaxLimit, s.Limit))
	}

	q.Where = "1=1"
	if s.Filter != nil {
		if w := c.node(*s.Filter, "filters", 0); w != "" {
			q.Where = w
		}
		q.Args = c.args
	}

	if len(c.args) > MaxArgs {
		c.fail("filters", fmt.Sprintf("filters: too many values in total (%d, at most %d)", len(c.args), MaxArgs))
	}
	order := c.sorts(s.Sorts, q)
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	q.OrderBy = strings.Join(order, ", ")
	outer := make([]string, 0, len(order))
	for i := range q.SortExprs {
		outer = append(outer, fmt.Sprintf("k.s%d %s", i, direction(q.desc[i])))
	}
	q.outerOrder = strings.Join(append(outer, "k.id ASC"), ", ")
	q.hash = queryHash(s)
	if s.Cursor != "" {
		if err := q.applyCursor(s.Cursor); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// SelectSQL returns the statement of one page: the id, docExpr (the store's
// spelling of p.doc as text or bytes) and the sort keys of up to Limit+1
// rows, so that the store can tell whether another page follows.
//
// NOTE: the page is chosen on (id, sort keys) alone in a subquery and only
// its rows are joined to their documents, so that sorting many matches never
// drags whole documents through the sorter.
func (q *Query) SelectSQL(docExpr string) (string, []any) {
	var b strings.Builder
	b.WriteString("SELECT k.id, ")
	b.WriteString(docExpr)
	for i := range q.SortExprs {
		fmt.Fprintf(&b, ", k.s%d", i)
	}
	b.WriteString(" FROM (SELECT id")
	for i, e := range q.SortExprs {
		fmt.Fprintf(&b, ", %s AS s%d", e, i)
	}
	b.WriteString(" FROM people WHERE (")
	b.WriteString(q.Where)
	b.WriteString(")")
	args := append([]any(nil), q.Args...)
	if q.Keyset != "" {
		b.WriteString(" AND (")
		b.WriteString(q.Keyset)
		b.WriteString(")")
		args = append(args, q.KeysetArgs...)
	}
	b.WriteString(" ORDER BY ")
	b.WriteString(q.OrderBy)
	b.WriteString(" LIMIT ?) AS k JOIN people AS p ON p.id = k.id ORDER BY ")
	b.WriteString(q.outerOrder)
	args = append(args, q.Limit+1)
	return b.String(), args
}

// CountSQL returns the statement counting every match of the filter,
// ignoring the cursor and the limit.
func (q *Query) CountSQL() (string, []any) {
	return "SELECT COUNT(*) FROM people WHERE (" + q.Where + ")", append([]any(nil), q.Args...)
}

// Rebind rewrites `?` placeholders as PostgreSQL's `$1, $2, …`.
//
// NOTE: safe because compiled statements never contain string literals with
// a question mark: every value is a parameter.
func Rebind(sql string) string {
	var b strings.Builder
	b.Grow(len(sql) + 16)
	n := 0
	for i := 0; i < len(sql); i++ {
		if sql[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(sql[i])
	}
	return b.String()
}

type compiler struct {
	args       []any
	problems   map[string]string
	order      []string // problem keys in the order found, for a stable message
	conditions int
}

func (c *compiler) fail(at, problem string) {
	if _, ok := c.problems[at]; !ok {
		c.order = append(c.order, at)
	}
	c.problems[at] = problem
}

func (c *compiler) err() error {
	msgs := make([]string, 0, len(c.order))
	for _, at := range c.order {
		msgs = append(msgs, c.problems[at])
	}
	return enrichd.InvalidFields(strings.Join(msgs, "; "), c.problems)
}

func (c *compiler) arg(v any) string {
	c.args = append(c.args, v)
	return "?"
}

func (c *compiler) list(vs []any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = c.arg(v)
	}
	return strings.Join(ph, ", ")
}

// node compiles a group or a condition; at names it in error messages.
func (c *compiler) node(f enrichd.Filter, at string, depth int) string {
	if depth > MaxDepth {
		c.fail(at, fmt.Sprintf("%s: filter groups nest deeper than %d levels", at, MaxDepth))
		return ""
	}
	isGroup := f.Op != "" || len(f.Conditions) > 0
	isCond := f.Field != "" || f.Type != "" || f.Value != nil
	switch {
	case isGroup && isCond:
		c.fail(at, fmt.Sprintf("%s: a filter is either a group (op, conditions) or a condition (field, type, value), not both", at))
		return ""
	case isGroup:
		return c.group(f, at, depth)
	case isCond:
		return c.condition(f, at)
	default:
		c.fail(at, fmt.Sprintf("%s: empty filter: give op and conditions, or field, type and value", at))
		return ""
	}
}

func (c *compiler) group(f enrichd.Filter, at string, depth int) string {
	var join string
	switch strings.ToLower(f.Op) {
	case "and":
		join = " AND "
	case "or":
		join = " OR "
	case "":
		c.fail(at+".op", fmt.Sprintf("%s.op is required with conditions (and, or)", at))
		return ""
	default:
		c.fail(at+".op", fmt.Sprintf("%s.op: unsupported operator %q (supported: and, or)", at, f.Op))
		return ""
	}
	if len(f.Conditions) == 0 {
		c.fail(at+".conditions", fmt.Sprintf("%s.conditions must not be empty", at))
		return ""
	}
	parts := make([]string, 0, len(f.Conditions))
	for i, sub := range f.Conditions {
		if p := c.node(sub, fmt.Sprintf("%s.conditions[%d]", at, i), depth+1); p != "" {
			parts = append(parts, "("+p+")")
		}
	}
	return strings.Join(parts, join)
}

// Operators by the kinds they apply to.
var (
	textOps   = []string{enrichd.FilterEq, enrichd.FilterNe, enrichd.FilterIn, enrichd.FilterNotIn, enrichd.FilterContains, enrichd.FilterNotMatch, enrichd.FilterPhrase}
	termOps   = append(append([]string(nil), textOps...), enrichd.FilterHasAll)
	rangeOps  = []string{enrichd.FilterEq, enrichd.FilterNe, enrichd.FilterLt, enrichd.FilterLe, enrichd.FilterGt, enrichd.FilterGe, enrichd.FilterIn, enrichd.FilterNotIn}
	equalOps  = []string{enrichd.FilterEq, enrichd.FilterNe, enrichd.FilterIn, enrichd.FilterNotIn}
	allOps    = []string{"=", "!=", "<", "=<", ">", "=>", "in", "not_in", "(.)", "(!)", "[.]", "has_all"}
	negations = map[string]string{enrichd.FilterNe: enrichd.FilterEq, enrichd.FilterNotIn: enrichd.FilterIn, enrichd.FilterNotMatch: enrichd.FilterContains}
)

func (f field) ops() []string {
	switch {
	case f.term != "":
		return termOps
	case f.kind == kindText || f.kind == kindCountry:
		return textOps
	case f.kind == kindInt || f.kind == kindTime || f.kind == kindDate || f.kind == kindNumericID || f.kind == kindCompanyID:
		return rangeOps
	default:
		return equalOps
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *compiler) condition(f enrichd.Filter, at string) string {
	c.conditions++
	if c.conditions == MaxConditions+1 {
		c.fail("filters", fmt.Sprintf("filters: more than %d conditions", MaxConditions))
	}
	if c.conditions > MaxConditions {
		return ""
	}
	if f.Field == "" {
		c.fail(at+".field", fmt.Sprintf("%s.field is required", at))
		return ""
	}
	fd, ok := catalogue[f.Field]
	if !ok {
		c.fail(at+".field", fmt.Sprintf("unsupported filter field %q", f.Field))
		return ""
	}
	if f.Type == "" {
		c.fail(at+".type", fmt.Sprintf("%s.type (the operator) is required", at))
		return ""
	}
	if !contains(allOps, f.Type) {
		c.fail(at+".type", fmt.Sprintf("unsupported filter operator %q (supported: %s)", f.Type, strings.Join(allOps, " ")))
		return ""
	}
	if !contains(fd.ops(), f.Type) {
		c.fail(at+".type", fmt.Sprintf("operator %q is not supported on field %q (supported: %s)", f.Type, f.Field, strings.Join(fd.ops(), " ")))
		return ""
	}
	op, negate := f.Type, false
	if pos, ok := negations[op]; ok {
		op, negate = pos, true
	}
	vals, ok := c.values(f, op, at)
	if !ok {
		return ""
	}
	var sql string
	if fd.term != "" {
		sql = c.termPredicate(fd, op, vals, negate)
	} else {
		sql = c.columnPredicate(fd, op, vals, at)
		if sql != "" && negate {
			sql = "NOT (" + sql + ")"
		}
	}
	return sql
}

// values checks the shape of the condition's value and normalises each
// element for the field: a non-empty array for in/not_in/has_all, a scalar
// otherwise.
func (c *compiler) values(f enrichd.Filter, op, at string) ([]any, bool) {
	fd := catalogue[f.Field]
	var raw []any
	switch op {
	case enrichd.FilterIn, enrichd.FilterHasAll:
		arr, ok := f.Value.([]any)
		if !ok {
			c.fail(at+".value", fmt.Sprintf("%s.value: operator %q needs a JSON array of values", at, f.Type))
			return nil, false
		}
		if len(arr) == 0 {
			c.fail(at+".value", fmt.Sprintf("%s.value: operator %q needs a non-empty array", at, f.Type))
			return nil, false
		}
		if len(arr) > MaxValues {
			c.fail(at+".value", fmt.Sprintf("%s.value: at most %d values per condition", at, MaxValues))
			return nil, false
		}
		raw = arr
	default:
		switch f.Value.(type) {
		case []any, map[string]any:
			c.fail(at+".value", fmt.Sprintf("%s.value: operator %q needs a single value, not an array or object", at, f.Type))
			return nil, false
		case nil:
			c.fail(at+".value", fmt.Sprintf("%s.value is required", at))
			return nil, false
		}
		raw = []any{f.Value}
	}
	out := make([]any, 0, len(raw))
	seen := map[any]bool{}
	for i, v := range raw {
		where := at + ".value"
		if len(raw) > 1 || op == enrichd.FilterIn || op == enrichd.FilterHasAll {
			where = fmt.Sprintf("%s.value[%d]", at, i)
		}
		nv, err := normalise(fd, op, v)
		if err != nil {
			c.fail(where, fmt.Sprintf("%s (field %q): %v", where, f.Field, err))
			return nil, false
		}
		if s, ok := nv.(string); ok && op == enrichd.FilterContains && len(alternatives(s)) == 0 {
			c.fail(where, fmt.Sprintf("%s (field %q): give at least one non-empty alternative between the '|'", where, f.Field))
			return nil, false
		}
		key := fmt.Sprint(nv)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, nv)
	}
	return out, true
}

// interval is a half-open range [lo, hi) of a time or date value.
type interval struct{ lo, hi any }

// companyRef is a company id value: an exact 16-hex id or a numeric suffix.
type companyRef struct {
	full   string // 16-hex id, or ""
	suffix string // numeric form as 13 hex digits, when full is ""
}

var hexID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func normalise(fd field, op string, v any) (any, error) {
	switch fd.kind {
	case kindInt:
		return toInt(v)
	case kindNumericID:
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		if n < 0 || n > numericIDMask {
			return nil, fmt.Errorf("id %d is out of range", n)
		}
		return numericIDSuffix(n), nil
	case kindCompanyID:
		if s, ok := v.(string); ok && hexID.MatchString(strings.ToLower(strings.TrimSpace(s))) {
			return companyRef{full: strings.ToLower(strings.TrimSpace(s))}, nil
		}
		n, err := toInt(v)
		if err != nil {
			return nil, fmt.Errorf("want a company id (integer, or 16 hex digits)")
		}
		if n < 0 || n > numericIDMask {
			return nil, fmt.Errorf("company id %d is out of range", n)
		}
		return companyRef{suffix: numericIDSuffix(n)}, nil
	case kindTime:
		return toTimeInterval(v)
	case kindDate:
		s, ok := v.(string)
		if !ok {
			if n, err := toInt(v); err == nil && n >= 1000 && n <= 9999 {
				s = strconv.FormatInt(n, 10)
			} else {
				return nil, fmt.Errorf("want a date such as \"2019\", \"2019-03\" or \"2019-03-01\"")
			}
		}
		return toDateInterval(strings.TrimSpace(s))
	}
	s, ok := v.(string)
	if !ok {
		switch n := v.(type) {
		case float64:
			s = strconv.FormatFloat(n, 'f', -1, 64)
		case json.Number:
			s = n.String()
		case bool:
			return nil, fmt.Errorf("want a string, got a boolean")
		default:
			return nil, fmt.Errorf("want a string")
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("must not be empty")
	}
	switch fd.kind {
	case kindExact:
		if fd.norm == "linkedin" {
			return normaliseLinkedIn(s), nil
		}
		return normaliseDomain(s), nil
	case kindSeniority:
		level, ok := seniorities[strings.ToLower(s)]
		if !ok {
			return nil, fmt.Errorf("unknown seniority %q (use executive, senior, mid or junior, or a Crustdata level such as CXO, Vice President, Director, Senior, Entry Level)", s)
		}
		return level, nil
	}
	return strings.ToLower(s), nil
}

// seniorities maps enrichd's four levels and the vendors' vocabularies to them.
var seniorities = map[string]string{
	"executive": enrichd.SeniorityExecutive, "senior": enrichd.SenioritySenior,
	"mid": enrichd.SeniorityMid, "junior": enrichd.SeniorityJunior,
	"owner / partner": enrichd.SeniorityExecutive, "owner": enrichd.SeniorityExecutive, "partner": enrichd.SeniorityExecutive,
	"cxo": enrichd.SeniorityExecutive, "c-level": enrichd.SeniorityExecutive, "vice president": enrichd.SeniorityExecutive,
	"vp": enrichd.SeniorityExecutive, "director": enrichd.SenioritySenior, "experienced manager": enrichd.SenioritySenior,
	"manager": enrichd.SenioritySenior, "entry level manager": enrichd.SeniorityMid, "strategic": enrichd.SeniorityMid,
	"in training": enrichd.SeniorityJunior, "entry level": enrichd.SeniorityJunior, "entry": enrichd.SeniorityJunior,
	"intern": enrichd.SeniorityJunior,
}

func toInt(v any) (int64, error) {
	switch n := v.(type) {
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, fmt.Errorf("want an integer, got %v", n)
		}
		return int64(n), nil
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	case json.Number:
		return toInt(n.String())
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("want an integer, got %q", n)
		}
		return i, nil
	}
	return 0, fmt.Errorf("want an integer")
}

// toTimeInterval reads unix seconds, an RFC 3339 time, or an ISO date
// (which stands for its whole UTC day).
func toTimeInterval(v any) (interval, error) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return interval{t.Unix(), t.Unix() + 1}, nil
			}
		}
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return interval{t.Unix(), t.AddDate(0, 0, 1).Unix()}, nil
		}
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return interval{}, fmt.Errorf("want an ISO 8601 date or time (e.g. \"2024-05-01\" or \"2024-05-01T10:00:00Z\") or unix seconds")
		}
	}
	n, err := toInt(v)
	if err != nil {
		return interval{}, fmt.Errorf("want an ISO 8601 date or time, or unix seconds")
	}
	return interval{n, n + 1}, nil
}

// toDateInterval turns a partial ISO date into the range of stored partial
// dates it covers: "2019-03" covers "2019-03" up to, not including, "2019-04".
//
// NOTE: a stored date less precise than the value (a stored "2019" against
// "2019-03") sorts before the range and does not match; the day or month is
// unknown, so claiming a match would be a guess.
func toDateInterval(s string) (interval, error) {
	for _, p := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(p.layout, s); err == nil {
			return interval{t.Format(p.layout), p.next(t).Format(p.layout)}, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return interval{t.Format("2006-01-02"), t.AddDate(0, 0, 1).Format("2006-01-02")}, nil
	}
	return interval{}, fmt.Errorf("want a date such as \"2019\", \"2019-03\" or \"2019-03-01\", got %q", s)
}

// likeEscape escapes s for LIKE … ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// alternatives splits a contains value on '|', the vendor's "or".
func alternatives(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// textMatch returns the predicate of a text operator on expr (a column, or
// "value" inside a person_terms subquery).
func (c *compiler) textMatch(expr, op string, vals []any) string {
	switch op {
	case enrichd.FilterEq:
		return expr + " = " + c.arg(vals[0])
	case enrichd.FilterIn, enrichd.FilterHasAll:
		return expr + " IN (" + c.list(vals) + ")"
	case enrichd.FilterContains:
		var parts []string
		for _, a := range alternatives(vals[0].(string)) {
			parts = append(parts, expr+` LIKE `+c.arg("%"+likeEscape(a)+"%")+` ESCAPE '\'`)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case enrichd.FilterPhrase:
		// A phrase matches whole words: the entire value, or the phrase at
		// the start, the end or the middle between spaces.
		p := vals[0].(string)
		e := likeEscape(p)
		return "(" + expr + " = " + c.arg(p) +
			" OR " + expr + ` LIKE ` + c.arg(e+" %") + ` ESCAPE '\'` +
			" OR " + expr + ` LIKE ` + c.arg("% "+e) + ` ESCAPE '\'` +
			" OR " + expr + ` LIKE ` + c.arg("% "+e+" %") + ` ESCAPE '\'` + ")"
	}
	panic("searchql: unhandled text operator " + op) // unreachable: ops() gates every operator
}

// termPredicate matches people by their person_terms rows.
func (c *compiler) termPredicate(fd field, op string, vals []any, negate bool) string {
	in := "id IN "
	if negate {
		in = "id NOT IN "
	}
	sub := "SELECT person_id FROM person_terms WHERE field = " + c.arg(fd.term) + " AND "
	if op == enrichd.FilterHasAll {
		sub += c.textMatch("value", op, vals) + " GROUP BY person_id HAVING COUNT(DISTINCT value) = " + c.arg(len(vals))
	} else {
		sub += c.textMatch("value", op, vals)
	}
	return in + "(" + sub + ")"
}

func (c *compiler) columnPredicate(fd field, op string, vals []any, at string) string {
	col := fd.column
	switch fd.kind {
	case kindText, kindExact, kindSeniority:
		return c.textMatch(col, op, vals)
	case kindCountry:
		// Two-letter values are ISO codes and also match country_code.
		var names, codes []any
		for _, v := range vals {
			s := v.(string)
			names = append(names, s)
			if len(s) == 2 && (op == enrichd.FilterEq || op == enrichd.FilterIn) {
				codes = append(codes, strings.ToUpper(s))
			}
		}
		p := c.textMatch(col, op, names)
		if len(codes) > 0 {
			p = "(" + p + " OR " + c.textMatch("country_code", op, codes) + ")"
		}
		return p
	case kindInt:
		return c.compare(col, op, vals, false)
	case kindNumericID:
		return c.compare(idExpr, op, vals, false)
	case kindCompanyID:
		var full, suffix []any
		for _, v := range vals {
			r := v.(companyRef)
			if r.full != "" {
				full = append(full, r.full)
			} else {
				suffix = append(suffix, r.suffix)
			}
		}
		var parts []string
		if len(full) > 0 {
			parts = append(parts, c.compare(col, op, full, true))
		}
		if len(suffix) > 0 {
			parts = append(parts, c.compare(companyIDExpr, op, suffix, true))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case kindTime, kindDate:
		var parts []string
		for _, v := range vals {
			iv := v.(interval)
			parts = append(parts, c.intervalCompare(col, op, iv, fd.kind == kindDate))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	c.fail(at, "internal: field kind not compiled")
	return ""
}

var cmpOps = map[string]string{enrichd.FilterLt: "<", enrichd.FilterLe: "<=", enrichd.FilterGt: ">", enrichd.FilterGe: ">="}

// compare handles =, in and the range operators on a scalar expression.
// nonEmpty excludes the empty string that text columns hold when unknown,
// so that "< x" never matches people with no value.
func (c *compiler) compare(expr, op string, vals []any, nonEmpty bool) string {
	switch op {
	case enrichd.FilterEq:
		return expr + " = " + c.arg(vals[0])
	case enrichd.FilterIn:
		return expr + " IN (" + c.list(vals) + ")"
	}
	p := expr + " " + cmpOps[op] + " " + c.arg(vals[0])
	if nonEmpty && (op == enrichd.FilterLt || op == enrichd.FilterLe) {
		p = "(" + p + " AND " + expr + " <> '')"
	}
	return p
}

// intervalCompare applies an operator to a value that stands for a range.
func (c *compiler) intervalCompare(col, op string, iv interval, text bool) string {
	switch op {
	case enrichd.FilterEq, enrichd.FilterIn:
		return "(" + col + " >= " + c.arg(iv.lo) + " AND " + col + " < " + c.arg(iv.hi) + ")"
	case enrichd.FilterLt:
		return c.nonEmpty(col+" < "+c.arg(iv.lo), col, text)
	case enrichd.FilterLe:
		return c.nonEmpty(col+" < "+c.arg(iv.hi), col, text)
	case enrichd.FilterGt:
		return col + " >= " + c.arg(iv.hi)
	default: // =>
		return col + " >= " + c.arg(iv.lo)
	}
}

func (c *compiler) nonEmpty(p, col string, text bool) string {
	if !text {
		return p
	}
	return "(" + p + " AND " + col + " <> '')"
}

// normaliseLinkedIn canonicalises a LinkedIn profile URL to the stored form
// (match.CanonicalLinkedInURL); anything else is compared lower-cased and
// simply finds nobody.
func normaliseLinkedIn(s string) string {
	if u, ok := match.CanonicalLinkedInURL(s); ok {
		return u
	}
	return strings.ToLower(s)
}

// normaliseDomain reduces a URL, an email or a bare host to the registrable
// domain the stores keep (match.RegistrableDomain).
func normaliseDomain(s string) string {
	if d, ok := match.RegistrableDomain(s); ok {
		return d
	}
	return strings.ToLower(s)
}

// isIntExpr reports whether a sort expression scans as an integer.
func isIntExpr(e string) bool {
	return e == "connections" || e == "followers" || e == "updated_at_unix"
}

func (c *compiler) sorts(sorts []enrichd.Sort, q *Query) []string {
	if len(sorts) > MaxSorts {
		c.fail("sorts", fmt.Sprintf("sorts: at most %d sort keys", MaxSorts))
		return nil
	}
	var order []string
	used := map[string]bool{}
	for i, s := range sorts {
		at := fmt.Sprintf("sorts[%d]", i)
		fd, ok := catalogue[s.Field]
		if !ok || fd.sortExpr == "" {
			c.fail(at+".field", fmt.Sprintf("cannot sort on %q (sortable: %s)", s.Field, strings.Join(SortableFields(), ", ")))
			continue
		}
		dir := "ASC"
		switch strings.ToLower(s.Order) {
		case "", "asc":
		case "desc":
			dir = "DESC"
		default:
			c.fail(at+".order", fmt.Sprintf("%s.order must be asc or desc, got %q", at, s.Order))
			continue
		}
		if used[fd.sortExpr] {
			continue // a repeated key cannot change the order
		}
		used[fd.sortExpr] = true
		order = append(order, fd.sortExpr+" "+dir)
		q.desc = append(q.desc, dir == "DESC")
		q.SortExprs = append(q.SortExprs, fd.sortExpr)
		k := kindText
		if isIntExpr(fd.sortExpr) {
			k = kindInt
		}
		q.sortKinds = append(q.sortKinds, k)
	}
	return append(order, "id ASC")
}

// queryHash identifies the filter and sorts so that a cursor is only
// accepted by the search that issued it.
func queryHash(s enrichd.PersonSearch) string {
	b, _ := json.Marshal(struct {
		F *enrichd.Filter `json:"f"`
		S []enrichd.Sort  `json:"s"`
	}{s.Filter, s.Sorts})
	// FNV-1a 64: a checksum, not a secret.
	var h uint64 = 14695981039346656037
	for _, x := range b {
		h ^= uint64(x)
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 36)
}
