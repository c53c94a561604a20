package searchql_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/searchql"
)

// mustFilter decodes a filter the way the HTTP surfaces do.
func mustFilter(tb testing.TB, s string) *enrichd.Filter {
	tb.Helper()
	var f enrichd.Filter
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		tb.Fatal(err)
	}
	return &f
}

func TestCompile_OK(t *testing.T) {
	for _, tt := range []struct {
		name      string
		filter    string
		wantWhere string
		wantArgs  []any
	}{
		{"Eq", `{"field":"basic_profile.name","type":"=","value":"Ada Lovelace"}`,
			"full_name = ?", []any{"ada lovelace"}},
		{"Ne", `{"field":"basic_profile.current_title","type":"!=","value":"CEO"}`,
			"NOT (title = ?)", []any{"ceo"}},
		{"In", `{"field":"experience.employment_details.current.company_name","type":"in","value":["Retool","Acme","retool"]}`,
			"company_name IN (?, ?)", []any{"retool", "acme"}},
		{"NotIn", `{"field":"basic_profile.location.city","type":"not_in","value":["Paris"]}`,
			"NOT (city IN (?))", []any{"paris"}},
		{"ContainsAlternatives", `{"field":"experience.employment_details.current.title","type":"(.)","value":"VP|Director|Head of"}`,
			`(title LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\')`, []any{"%vp%", "%director%", "%head of%"}},
		{"ContainsEscapes", `{"field":"basic_profile.headline","type":"(.)","value":"100%_sure"}`,
			`(headline LIKE ? ESCAPE '\')`, []any{`%100\%\_sure%`}},
		{"NotContains", `{"field":"basic_profile.headline","type":"(!)","value":"intern"}`,
			`NOT ((headline LIKE ? ESCAPE '\'))`, []any{"%intern%"}},
		{"Phrase", `{"field":"basic_profile.headline","type":"[.]","value":"Head of Sales"}`,
			`(headline = ? OR headline LIKE ? ESCAPE '\' OR headline LIKE ? ESCAPE '\' OR headline LIKE ? ESCAPE '\')`,
			[]any{"head of sales", "head of sales %", "% head of sales", "% head of sales %"}},
		{"IntRange", `{"field":"professional_network.connections","type":"=>","value":500}`,
			"connections >= ?", []any{int64(500)}},
		{"IntNumericString", `{"field":"professional_network.followers","type":"<","value":"10"}`,
			"followers < ?", []any{int64(10)}},
		{"TermEq", `{"field":"skills.professional_network_skills","type":"=","value":"Go"}`,
			"id IN (SELECT person_id FROM person_terms WHERE field = ? AND value = ?)", []any{"skill", "go"}},
		{"TermNotIn", `{"field":"experience.employment_details.past.company_name","type":"not_in","value":["Google","Meta"]}`,
			"id NOT IN (SELECT person_id FROM person_terms WHERE field = ? AND value IN (?, ?))", []any{"past_company", "google", "meta"}},
		{"TermHasAll", `{"field":"skills.professional_network_skills","type":"has_all","value":["Go","SQL","go"]}`,
			"id IN (SELECT person_id FROM person_terms WHERE field = ? AND value IN (?, ?) GROUP BY person_id HAVING COUNT(DISTINCT value) = ?)",
			[]any{"skill", "go", "sql", 2}},
		{"TermContains", `{"field":"education.schools.school","type":"(.)","value":"stanford"}`,
			`id IN (SELECT person_id FROM person_terms WHERE field = ? AND (value LIKE ? ESCAPE '\'))`, []any{"school", "%stanford%"}},
		{"CountryCode", `{"field":"basic_profile.location.country","type":"in","value":["US","Germany"]}`,
			"(country IN (?, ?) OR country_code IN (?))", []any{"us", "germany", "US"}},
		{"Seniority", `{"field":"experience.employment_details.current.seniority_level","type":"in","value":["CXO","Vice President","Director"]}`,
			"seniority IN (?, ?)", []any{"executive", "senior"}},
		{"LinkedIn", `{"field":"social_handles.professional_network_identifier.profile_url","type":"=","value":"http://linkedin.com/in/DVDHSU/?x=1"}`,
			"linkedin_url = ?", []any{"https://www.linkedin.com/in/dvdhsu"}},
		{"Domain", `{"field":"experience.employment_details.current.company_website_domain","type":"=","value":"https://www.Retool.com/about"}`,
			"company_domain = ?", []any{"retool.com"}},
		{"PersonID", `{"field":"crustdata_person_id","type":"=","value":255}`,
			"substr(id, 4) = ?", []any{"00000000000ff"}},
		{"CompanyIDMixed", `{"field":"experience.employment_details.current.company_id","type":"in","value":[255,"00000000000000aa"]}`,
			"(company_id IN (?) OR substr(company_id, 4) IN (?))", []any{"00000000000000aa", "00000000000ff"}},
		{"TimeDay", `{"field":"metadata.updated_at","type":"=","value":"2024-01-02"}`,
			"(updated_at_unix >= ? AND updated_at_unix < ?)", []any{int64(1704153600), int64(1704240000)}},
		{"TimeAfter", `{"field":"metadata.updated_at","type":">","value":"2024-01-02T00:00:00Z"}`,
			"updated_at_unix >= ?", []any{int64(1704153601)}},
		{"DateMonth", `{"field":"experience.employment_details.start_date","type":"=<","value":"2020-12"}`,
			"(current_start < ? AND current_start <> '')", []any{"2021-01"}},
		{"DateYearIn", `{"field":"experience.employment_details.current.start_date","type":"in","value":["2019",2021]}`,
			"((current_start >= ? AND current_start < ?) OR (current_start >= ? AND current_start < ?))", []any{"2019", "2020", "2021", "2022"}},
		{"NestedGroups", `{"op":"and","conditions":[
			{"field":"basic_profile.location.country","type":"=","value":"france"},
			{"op":"or","conditions":[
				{"field":"basic_profile.current_title","type":"(.)","value":"cto"},
				{"field":"professional_network.followers","type":">","value":1000}]}]}`,
			`(country = ?) AND (((title LIKE ? ESCAPE '\')) OR (followers > ?))`, []any{"france", "%cto%", int64(1000)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := searchql.Compile(enrichd.PersonSearch{Filter: mustFilter(t, tt.filter)})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := q.Where, tt.wantWhere; got != want {
				t.Fatalf("where=%s\nwant  %s", got, want)
			}
			if got, want := q.Args, tt.wantArgs; !reflect.DeepEqual(got, want) {
				t.Fatalf("args=%#v, want %#v", got, want)
			}
			if got, want := strings.Count(q.Where, "?"), len(q.Args); got != want {
				t.Fatalf("placeholders=%d, args=%d", got, want)
			}
		})
	}
}

func TestCompile_Invalid(t *testing.T) {
	for _, tt := range []struct {
		name   string
		search enrichd.PersonSearch
		want   string // in the message
		field  string // key of Error.Fields
	}{
		{"UnknownField", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.shoe_size","type":"=","value":"9"}`)},
			`unsupported filter field "basic_profile.shoe_size"`, "filters.field"},
		{"UnknownOperator", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"~","value":"x"}`)},
			`unsupported filter operator "~"`, "filters.type"},
		{"OperatorNotForField", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"has_all","value":["x"]}`)},
			`operator "has_all" is not supported on field "basic_profile.name"`, "filters.type"},
		{"RangeOnText", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"<","value":"x"}`)},
			`operator "<" is not supported`, "filters.type"},
		{"InNeedsArray", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"in","value":"a,b"}`)},
			`needs a JSON array`, "filters.value"},
		{"InEmpty", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"in","value":[]}`)},
			`non-empty array`, "filters.value"},
		{"EqArray", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"=","value":["a"]}`)},
			`single value`, "filters.value"},
		{"MissingValue", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"="}`)},
			`value is required`, "filters.value"},
		{"EmptyString", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"basic_profile.name","type":"=","value":"  "}`)},
			`must not be empty`, "filters.value"},
		{"NotInteger", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"professional_network.connections","type":">","value":"many"}`)},
			`want an integer`, "filters.value"},
		{"Fraction", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"professional_network.connections","type":">","value":1.5}`)},
			`want an integer`, "filters.value"},
		{"BadDate", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"metadata.updated_at","type":">","value":"yesterday"}`)},
			`ISO 8601`, "filters.value"},
		{"BadSeniority", enrichd.PersonSearch{Filter: mustFilter(t, `{"field":"experience.employment_details.current.seniority_level","type":"=","value":"boss"}`)},
			`unknown seniority`, "filters.value"},
		{"BadGroupOp", enrichd.PersonSearch{Filter: mustFilter(t, `{"op":"xor","conditions":[{"field":"basic_profile.name","type":"=","value":"a"}]}`)},
			`unsupported operator "xor"`, "filters.op"},
		{"EmptyGroup", enrichd.PersonSearch{Filter: mustFilter(t, `{"op":"and","conditions":[]}`)},
			`conditions must not be empty`, "filters.conditions"},
		{"EmptyFilter", enrichd.PersonSearch{Filter: mustFilter(t, `{}`)},
			`empty filter`, "filters"},
		{"Mixed", enrichd.PersonSearch{Filter: mustFilter(t, `{"op":"and","field":"basic_profile.name","conditions":[{}]}`)},
			`not both`, "filters"},
		{"NestedUnknown", enrichd.PersonSearch{Filter: mustFilter(t, `{"op":"or","conditions":[{"field":"basic_profile.name","type":"=","value":"a"},{"field":"nope","type":"=","value":"b"}]}`)},
			`unsupported filter field "nope"`, "filters.conditions[1].field"},
		{"LimitHigh", enrichd.PersonSearch{Limit: 1001}, `limit must be between 1 and 1000`, "limit"},
		{"LimitNegative", enrichd.PersonSearch{Limit: -1}, `limit must be between 1 and 1000`, "limit"},
		{"SortUnknown", enrichd.PersonSearch{Sorts: []enrichd.Sort{{Field: "basic_profile.headline", Order: "asc"}}}, `cannot sort on "basic_profile.headline"`, "sorts[0].field"},
		{"SortOrder", enrichd.PersonSearch{Sorts: []enrichd.Sort{{Field: "basic_profile.name", Order: "up"}}}, `order must be asc or desc`, "sorts[0].order"},
		{"Cursor", enrichd.PersonSearch{Cursor: "garbage!"}, `cursor is not valid`, "cursor"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := searchql.Compile(tt.search)
			e := enrichd.AsError(err)
			if e == nil || e.Code != enrichd.EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Fatalf("message=%q, want it to contain %q", e.Message, tt.want)
			}
			if _, ok := e.Fields[tt.field]; !ok {
				t.Fatalf("fields=%v, want key %q", e.Fields, tt.field)
			}
		})
	}

	// Ensure every problem is reported, not only the first.
	t.Run("AllProblems", func(t *testing.T) {
		_, err := searchql.Compile(enrichd.PersonSearch{Limit: 5000, Filter: mustFilter(t,
			`{"op":"and","conditions":[{"field":"a","type":"=","value":"x"},{"field":"basic_profile.name","type":"??","value":"x"}]}`)})
		e := enrichd.AsError(err)
		if e == nil || len(e.Fields) != 3 {
			t.Fatalf("err=%v fields=%v, want 3 problems", err, e)
		}
	})
}

func TestCompile_Defaults(t *testing.T) {
	q, err := searchql.Compile(enrichd.PersonSearch{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.Limit, searchql.DefaultLimit; got != want {
		t.Fatalf("limit=%d, want %d", got, want)
	}
	if got, want := q.Where, "1=1"; got != want {
		t.Fatalf("where=%q, want %q", got, want)
	}
	sql, args := q.SelectSQL("p.doc")
	if got, want := sql, "SELECT k.id, p.doc FROM (SELECT id FROM people WHERE (1=1) ORDER BY id ASC LIMIT ?) AS k JOIN people AS p ON p.id = k.id ORDER BY k.id ASC"; got != want {
		t.Fatalf("sql=%s\nwant %s", got, want)
	}
	if got, want := args, []any{21}; !reflect.DeepEqual(got, want) {
		t.Fatalf("args=%v, want %v", got, want)
	}
}

// Ensure a page's cursor restarts after the last row on every sort key, and
// that a cursor is refused by another search.
func TestCursor(t *testing.T) {
	s := enrichd.PersonSearch{
		Limit:  2,
		Filter: mustFilter(t, `{"field":"basic_profile.location.city","type":"=","value":"Oslo"}`),
		Sorts:  []enrichd.Sort{{Field: "professional_network.connections", Order: "desc"}, {Field: "basic_profile.name"}},
	}
	q, err := searchql.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.OrderBy, "connections DESC, full_name ASC, id ASC"; got != want {
		t.Fatalf("order=%q, want %q", got, want)
	}
	var rows []*searchql.Row
	for i, p := range []struct {
		id    string
		conns int64
		name  string
	}{{"00000000000000a1", 900, "ann"}, {"00000000000000a2", 500, "bob"}, {"00000000000000a3", 500, "cat"}} {
		r := q.NewRow()
		dest := r.Dest()
		*dest[0].(*string) = p.id
		*dest[1].(*[]byte) = []byte(`{"full_name":"` + p.name + `"}`)
		*dest[2].(*int64) = p.conns
		*dest[3].(*string) = p.name
		rows = append(rows, r)
		_ = i
	}
	page, err := q.Page(rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(page.People), 2; got != want {
		t.Fatalf("people=%d, want %d", got, want)
	}
	if got, want := page.People[1].ID, "00000000000000a2"; got != want {
		t.Fatalf("id=%s, want %s", got, want)
	}
	if page.NextCursor == "" || page.Total != -1 {
		t.Fatalf("cursor=%q total=%d", page.NextCursor, page.Total)
	}

	s.Cursor = page.NextCursor
	q2, err := searchql.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q2.Keyset, "(connections < ?) OR (connections = ? AND full_name > ?) OR (connections = ? AND full_name = ? AND id > ?)"; got != want {
		t.Fatalf("keyset=%s\nwant   %s", got, want)
	}
	if got, want := q2.KeysetArgs, []any{int64(500), int64(500), "bob", int64(500), "bob", "00000000000000a2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("keyset args=%#v, want %#v", got, want)
	}
	sql, args := q2.SelectSQL("doc")
	if got, want := strings.Count(sql, "?"), len(args); got != want {
		t.Fatalf("placeholders=%d args=%d", got, want)
	}

	// A cursor replayed with another filter is refused.
	s.Filter = mustFilter(t, `{"field":"basic_profile.location.city","type":"=","value":"Bergen"}`)
	if _, err := searchql.Compile(s); enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("err=%v, want EINVALID", err)
	}
}

// Ensure sort expressions containing ", " keep their direction in the keyset.
func TestCursor_ExpressionSort(t *testing.T) {
	s := enrichd.PersonSearch{Limit: 1, Sorts: []enrichd.Sort{{Field: "crustdata_person_id", Order: "desc"}}}
	q, err := searchql.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	sql, _ := q.SelectSQL("p.doc")
	if !strings.Contains(sql, "substr(id, 4) AS s0 FROM people") || !strings.HasSuffix(sql, "ORDER BY k.s0 DESC, k.id ASC") {
		t.Fatalf("sql=%s", sql)
	}
	var rows []*searchql.Row
	for _, id := range []string{"00000000000000b2", "00000000000000b1"} {
		r := q.NewRow()
		d := r.Dest()
		*d[0].(*string), *d[1].(*[]byte), *d[2].(*string) = id, []byte(`{}`), id[3:]
		rows = append(rows, r)
	}
	page, err := q.Page(rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Cursor = page.NextCursor
	if q, err = searchql.Compile(s); err != nil {
		t.Fatal(err)
	}
	if got, want := q.Keyset, "(substr(id, 4) < ?) OR (substr(id, 4) = ? AND id > ?)"; got != want {
		t.Fatalf("keyset=%s, want %s", got, want)
	}
}

func TestRebind(t *testing.T) {
	if got, want := searchql.Rebind("a = ? AND b IN (?, ?) LIMIT ?"), "a = $1 AND b IN ($2, $3) LIMIT $4"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestNumericID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want int64
	}{
		{"00000000000000ff", 255},
		{"fff0000000000001", 1},
		{"ffffffffffffffff", 1<<52 - 1},
		{"short", 0},
		{"zzzzzzzzzzzzzzzz", 0},
	} {
		if got := searchql.NumericID(tt.id); got != tt.want {
			t.Errorf("NumericID(%q)=%d, want %d", tt.id, got, tt.want)
		}
	}
}

func TestFields(t *testing.T) {
	sortable := searchql.SortableFields()
	for _, want := range []string{"crustdata_person_id", "basic_profile.name", "professional_network.connections", "metadata.updated_at"} {
		found := false
		for _, f := range sortable {
			found = found || f == want
		}
		if !found {
			t.Errorf("%s is not sortable", want)
		}
	}
	if len(searchql.Fields()) < 30 {
		t.Fatalf("fields=%d, want the whole catalogue", len(searchql.Fields()))
	}
}

// FuzzCompile ensures that no filter, however malformed, panics the compiler,
// and that a compiled query always has one argument per placeholder.
func FuzzCompile(f *testing.F) {
	f.Add(`{"op":"and","conditions":[{"field":"basic_profile.name","type":"=","value":"a"}]}`, 10, "")
	f.Add(`{"field":"skills.professional_network_skills","type":"has_all","value":["go",1,null]}`, 0, "x")
	f.Add(`{"field":"metadata.updated_at","type":"in","value":["2024-01-01",5]}`, 1000, "")
	f.Fuzz(func(t *testing.T, filter string, limit int, cursor string) {
		var fl enrichd.Filter
		if json.Unmarshal([]byte(filter), &fl) != nil {
			return
		}
		q, err := searchql.Compile(enrichd.PersonSearch{Filter: &fl, Limit: limit, Cursor: cursor})
		if err != nil {
			if enrichd.ErrorCode(err) != enrichd.EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			return
		}
		sql, args := q.SelectSQL("doc")
		if got, want := strings.Count(sql, "?"), len(args); got != want {
			t.Fatalf("placeholders=%d args=%d in %s", got, want, sql)
		}
	})
}

// Ensure degenerate values that would compile to broken SQL are refused.
func TestCompile_Degenerate(t *testing.T) {
	many := make([]any, 1000)
	for i := range many {
		many[i] = fmt.Sprint("v", i)
	}
	var conds []enrichd.Filter
	for i := 0; i < 25; i++ {
		conds = append(conds, enrichd.Filter{Field: "basic_profile.name", Type: "in", Value: many})
	}
	for _, tt := range []struct {
		name string
		f    *enrichd.Filter
		want string
	}{
		{"OnlyBars", mustFilter(t, `{"field":"basic_profile.headline","type":"(.)","value":" | |"}`), "non-empty alternative"},
		{"NotOnlyBars", mustFilter(t, `{"field":"skills.professional_network_skills","type":"(!)","value":"|"}`), "non-empty alternative"},
		{"TooManyArgs", &enrichd.Filter{Op: "or", Conditions: conds}, "too many values"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := searchql.Compile(enrichd.PersonSearch{Filter: tt.f})
			if enrichd.ErrorCode(err) != enrichd.EINVALID || !strings.Contains(enrichd.ErrorMessage(err), tt.want) {
				t.Fatalf("err=%v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}
