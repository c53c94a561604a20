package storetest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/searchql"
)

// SearchStores is what the search suite needs of a store: a way to write
// people and the service that searches them.
type SearchStores struct {
	Ingest enrichd.IngestService
	People enrichd.PersonService
}

// RunSearch runs the PersonService.SearchPeople conformance suite (the filter
// language of issue 5). open returns services over a fresh, empty, migrated
// store; it must clean up through tb.Cleanup.
func RunSearch(t *testing.T, open func(tb testing.TB) SearchStores) {
	st := open(t)
	ids := seedSearch(t, st.Ingest)
	t.Run("Filters", func(t *testing.T) { testSearchFilters(t, st.People, ids) })
	t.Run("Invalid", func(t *testing.T) { testSearchInvalid(t, st.People) })
	t.Run("TotalCount", func(t *testing.T) { testSearchTotal(t, st.People) })
	t.Run("Paging", func(t *testing.T) { testSearchPaging(t, st.People, ids) })
	t.Run("PagingStableUnderWrites", func(t *testing.T) { testSearchPagingWrites(t, open) })
}

// searchPerson is a fixture: a person and their current employer.
type searchPerson struct {
	name, title, headline, city, country, code, seniority, start string
	company, domain                                              string
	connections, followers                                       int
	skills, schools                                              []string
	past                                                         []enrichd.Employment
}

var searchPeople = []searchPerson{
	{name: "Ada Lovelace", title: "VP Engineering", headline: "Head of Sales at Acme", city: "London", country: "United Kingdom", code: "GB",
		seniority: enrichd.SeniorityExecutive, start: "2019-03", company: "Acme", domain: "acme.com", connections: 900, followers: 50,
		skills: []string{"Go", "SQL"}, schools: []string{"University of London"}, past: []enrichd.Employment{{CompanyName: "Google", Title: "Engineer"}}},
	{name: "Bob Stone", title: "Director of Sales", headline: "Head of Salesforce practice", city: "San Francisco", country: "United States", code: "US",
		seniority: enrichd.SenioritySenior, start: "2021-06", company: "Retool", domain: "retool.com", connections: 500, followers: 10,
		skills: []string{"Go", "Python"}, schools: []string{"Stanford University"}, past: []enrichd.Employment{{CompanyName: "Meta", Title: "Sales Lead"}}},
	{name: "Cat Nguyen", title: "Software Engineer", headline: "Building things", city: "Paris", country: "France", code: "FR",
		seniority: enrichd.SeniorityMid, start: "2020", company: "Retool", domain: "retool.com", connections: 500, followers: 300,
		skills: []string{"SQL"}, schools: []string{"Stanford University"}},
	{name: "Dan Øster", title: "Head of Product", headline: "Product", city: "Oslo", country: "Norway", code: "NO",
		seniority: enrichd.SeniorityExecutive, start: "2018-01-15", company: "Acme", domain: "acme.com", connections: 120,
		past: []enrichd.Employment{{CompanyName: "Retool", Title: "Product Manager"}}},
	{name: "Eve Adams", title: "Intern", headline: "Learning", city: "New York", country: "United States", code: "US",
		seniority: enrichd.SeniorityJunior, company: "Globex", domain: "globex.com"},
	{name: "Fay O'Neil", title: "CTO", headline: "100% remote_first", city: "Berlin", country: "Germany", code: "DE",
		seniority: enrichd.SeniorityExecutive, start: "2022-02", company: "Initech", domain: "initech.com", connections: 2000, followers: 5},
}

// seedSearch ingests the fixtures and returns their ids by full name.
func seedSearch(tb testing.TB, ing enrichd.IngestService) map[string]string {
	tb.Helper()
	var batch []enrichd.IngestRecord
	for _, f := range searchPeople {
		batch = append(batch, searchRecord(f))
	}
	res, err := ing.Ingest(context.Background(), batch)
	if err != nil {
		tb.Fatalf("ingest: %v", err)
	}
	ids := map[string]string{}
	for i, r := range res {
		ids[searchPeople[i].name] = r.PersonID
	}
	return ids
}

func searchRecord(f searchPerson) enrichd.IngestRecord {
	first, last, _ := strings.Cut(f.name, " ")
	slug := strings.ToLower(strings.NewReplacer(" ", "-", "'", "", "Ø", "o").Replace(f.name))
	p := &enrichd.Person{
		FullName: f.name, FirstName: first, LastName: last,
		Title: f.title, Headline: f.headline, Seniority: f.seniority,
		Location:    enrichd.Location{Raw: f.city + ", " + f.country, City: f.city, Country: f.country, CountryCode: f.code},
		Skills:      f.skills,
		Connections: f.connections, Followers: f.followers,
		Social:    enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/" + slug},
		UpdatedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Employment: append([]enrichd.Employment{{
			CompanyName: f.company, CompanyDomain: f.domain, Title: f.title, Seniority: f.seniority, Start: f.start, Current: true,
		}}, f.past...),
	}
	for _, s := range f.schools {
		p.Education = append(p.Education, enrichd.Education{School: s})
	}
	return enrichd.IngestRecord{Person: p, Company: &enrichd.Company{Name: f.company, Domain: f.domain}}
}

// search runs s and returns the full names found, in order, across one page.
func search(tb testing.TB, svc enrichd.PersonService, s enrichd.PersonSearch) ([]string, *enrichd.PersonPage) {
	tb.Helper()
	page, err := svc.SearchPeople(context.Background(), s)
	if err != nil {
		tb.Fatalf("search: %v", err)
	}
	var names []string
	for _, p := range page.People {
		names = append(names, p.FullName)
	}
	return names, page
}

func cond(field, op string, value any) *enrichd.Filter {
	return &enrichd.Filter{Field: field, Type: op, Value: value}
}

func group(op string, conds ...*enrichd.Filter) *enrichd.Filter {
	g := &enrichd.Filter{Op: op}
	for _, c := range conds {
		g.Conditions = append(g.Conditions, *c)
	}
	return g
}

func testSearchFilters(t *testing.T, svc enrichd.PersonService, ids map[string]string) {
	const cur = "experience.employment_details.current."
	for _, tt := range []struct {
		name   string
		filter *enrichd.Filter
		want   []string // full names, any order
	}{
		{"EqCaseInsensitive", cond("basic_profile.name", "=", "ada LOVELACE"), []string{"Ada Lovelace"}},
		{"EqAccented", cond("basic_profile.name", "=", "Dan Øster"), []string{"Dan Øster"}},
		{"Ne", cond("basic_profile.location.city", "!=", "london"), []string{"Bob Stone", "Cat Nguyen", "Dan Øster", "Eve Adams", "Fay O'Neil"}},
		{"In", cond(cur+"company_name", "in", []any{"Retool", "Globex"}), []string{"Bob Stone", "Cat Nguyen", "Eve Adams"}},
		{"NotIn", cond(cur+"company_name", "not_in", []any{"Retool", "Acme"}), []string{"Eve Adams", "Fay O'Neil"}},
		{"ContainsAlternatives", cond(cur+"title", "(.)", "VP|Director|Head of"), []string{"Ada Lovelace", "Bob Stone", "Dan Øster"}},
		{"ContainsLiteralPercent", cond("basic_profile.headline", "(.)", "100% remote_"), []string{"Fay O'Neil"}},
		{"ContainsNoWildcard", cond("basic_profile.headline", "(.)", "_"), []string{"Fay O'Neil"}},
		{"NotContains", cond("basic_profile.headline", "(!)", "head of|learn"), []string{"Cat Nguyen", "Dan Øster", "Fay O'Neil"}},
		{"Phrase", cond("basic_profile.headline", "[.]", "Head of Sales"), []string{"Ada Lovelace"}},
		{"Gt", cond("professional_network.connections", ">", 500), []string{"Ada Lovelace", "Fay O'Neil"}},
		{"Ge", cond("professional_network.connections", "=>", 500), []string{"Ada Lovelace", "Bob Stone", "Cat Nguyen", "Fay O'Neil"}},
		{"Lt", cond("professional_network.followers", "<", 10), []string{"Dan Øster", "Eve Adams", "Fay O'Neil"}},
		{"Le", cond("professional_network.connections", "=<", 120), []string{"Dan Øster", "Eve Adams"}},
		{"TermEq", cond("skills.professional_network_skills", "=", "go"), []string{"Ada Lovelace", "Bob Stone"}},
		{"TermHasAll", cond("skills.professional_network_skills", "has_all", []any{"Go", "SQL"}), []string{"Ada Lovelace"}},
		{"TermNotIn", cond("skills.professional_network_skills", "not_in", []any{"sql"}), []string{"Bob Stone", "Dan Øster", "Eve Adams", "Fay O'Neil"}},
		{"TermContains", cond("education.schools.school", "(.)", "stanford"), []string{"Bob Stone", "Cat Nguyen"}},
		{"PastCompany", cond("experience.employment_details.past.company_name", "in", []any{"google", "retool"}), []string{"Ada Lovelace", "Dan Øster"}},
		{"AnyCompany", cond("experience.employment_details.company_name", "=", "retool"), []string{"Bob Stone", "Cat Nguyen", "Dan Øster"}},
		{"PastTitle", cond("experience.employment_details.past.title", "(.)", "sales"), []string{"Bob Stone"}},
		{"CountryByCode", cond("basic_profile.location.country", "in", []any{"US", "france"}), []string{"Bob Stone", "Cat Nguyen", "Eve Adams"}},
		{"Seniority", cond(cur+"seniority_level", "=", "CXO"), []string{"Ada Lovelace", "Dan Øster", "Fay O'Neil"}},
		{"LinkedInVariant", cond("social_handles.professional_network_identifier.profile_url", "=", "linkedin.com/in/Bob-Stone/"), []string{"Bob Stone"}},
		{"Domain", cond(cur+"company_website_domain", "=", "https://www.acme.com/about"), []string{"Ada Lovelace", "Dan Øster"}},
		{"PersonID", cond("crustdata_person_id", "in", []any{float64(searchql.NumericID(ids["Cat Nguyen"])), float64(searchql.NumericID(ids["Eve Adams"]))}), []string{"Cat Nguyen", "Eve Adams"}},
		{"StartYearOrBefore", cond("experience.employment_details.start_date", "=<", "2020"), []string{"Ada Lovelace", "Cat Nguyen", "Dan Øster"}},
		{"StartMonth", cond(cur+"start_date", "=", "2021-06"), []string{"Bob Stone"}},
		{"StartAfter", cond(cur+"start_date", ">", "2020-12-31"), []string{"Bob Stone", "Fay O'Neil"}},
		{"UpdatedSince", cond("metadata.updated_at", ">", "2000-01-01"), []string{"Ada Lovelace", "Bob Stone", "Cat Nguyen", "Dan Øster", "Eve Adams", "Fay O'Neil"}},
		{"UpdatedBefore", cond("metadata.updated_at", "<", "2000-01-01T00:00:00Z"), nil},
		{"NestedAndOr", group("and",
			cond("basic_profile.location.country", "=", "United States"),
			group("or", cond(cur+"title", "(.)", "director"), cond("professional_network.connections", "=<", 0))),
			[]string{"Bob Stone", "Eve Adams"}},
		{"OrOfAnds", group("or",
			group("and", cond(cur+"company_name", "=", "acme"), cond("skills.professional_network_skills", "=", "sql")),
			cond("basic_profile.name", "=", "fay o'neil")),
			[]string{"Ada Lovelace", "Fay O'Neil"}},
		{"NoFilter", nil, []string{"Ada Lovelace", "Bob Stone", "Cat Nguyen", "Dan Øster", "Eve Adams", "Fay O'Neil"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := search(t, svc, enrichd.PersonSearch{Filter: tt.filter, Limit: 100})
			sort.Strings(got)
			want := slices.Clone(tt.want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}

	// The company id filter takes the id the store assigned, in either form.
	t.Run("CompanyID", func(t *testing.T) {
		_, page := search(t, svc, enrichd.PersonSearch{Filter: cond("basic_profile.name", "=", "eve adams")})
		if len(page.People) != 1 || page.People[0].CurrentJob() == nil || page.People[0].CurrentJob().CompanyID == "" {
			t.Fatalf("eve's current company id is not stored: %+v", page.People)
		}
		cid := page.People[0].CurrentJob().CompanyID
		for _, v := range []any{cid, float64(searchql.NumericID(cid))} {
			got, _ := search(t, svc, enrichd.PersonSearch{Filter: cond(cur+"company_id", "=", v)})
			if !slices.Equal(got, []string{"Eve Adams"}) {
				t.Fatalf("company_id=%v: got %q", v, got)
			}
		}
	})
}

func testSearchInvalid(t *testing.T, svc enrichd.PersonService) {
	for _, tt := range []struct {
		name string
		s    enrichd.PersonSearch
		want string
	}{
		{"UnknownField", enrichd.PersonSearch{Filter: cond("basic_profile.shoe_size", "=", "9")}, "basic_profile.shoe_size"},
		{"UnknownOperator", enrichd.PersonSearch{Filter: cond("basic_profile.name", "like", "a")}, "like"},
		{"InNotArray", enrichd.PersonSearch{Filter: cond("basic_profile.name", "in", "a,b")}, "array"},
		{"BadSort", enrichd.PersonSearch{Sorts: []enrichd.Sort{{Field: "skills", Order: "asc"}}}, "skills"},
		{"Limit", enrichd.PersonSearch{Limit: 1001}, "limit"},
		{"Cursor", enrichd.PersonSearch{Cursor: "bm9wZQ"}, "cursor"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.SearchPeople(context.Background(), tt.s)
			if enrichd.ErrorCode(err) != enrichd.EINVALID || !strings.Contains(enrichd.ErrorMessage(err), tt.want) {
				t.Fatalf("err=%v, want EINVALID naming %q", err, tt.want)
			}
		})
	}
}

func testSearchTotal(t *testing.T, svc enrichd.PersonService) {
	_, page := search(t, svc, enrichd.PersonSearch{Filter: cond("basic_profile.location.country", "=", "us"), Limit: 1, TotalCount: true})
	if got, want := page.Total, 2; got != want {
		t.Fatalf("total=%d, want %d", got, want)
	}
	if len(page.People) != 1 || page.NextCursor == "" {
		t.Fatalf("people=%d cursor=%q, want 1 and a cursor", len(page.People), page.NextCursor)
	}
	_, page = search(t, svc, enrichd.PersonSearch{Limit: 1})
	if got, want := page.Total, -1; got != want {
		t.Fatalf("total=%d, want %d when not asked", got, want)
	}
}

// walk pages through s and returns every full name, in order.
func walk(tb testing.TB, svc enrichd.PersonService, s enrichd.PersonSearch, between func(page int)) []string {
	tb.Helper()
	var all []string
	for page := 0; ; page++ {
		if page > 50 {
			tb.Fatal("paging does not end")
		}
		names, p := search(tb, svc, s)
		all = append(all, names...)
		if p.NextCursor == "" {
			return all
		}
		s.Cursor = p.NextCursor
		if between != nil {
			between(page)
		}
	}
}

func testSearchPaging(t *testing.T, svc enrichd.PersonService, ids map[string]string) {
	byName := map[string]searchPerson{}
	for _, f := range searchPeople {
		byName[f.name] = f
	}
	all := make([]string, 0, len(searchPeople))
	for _, f := range searchPeople {
		all = append(all, f.name)
	}
	for _, tt := range []struct {
		name  string
		sorts []enrichd.Sort
		less  func(a, b string) int // expected order; ties by id
	}{
		{"Default", nil, func(a, b string) int { return 0 }},
		{"ConnectionsDesc", []enrichd.Sort{{Field: "professional_network.connections", Order: "desc"}},
			func(a, b string) int { return byName[b].connections - byName[a].connections }},
		{"FollowersAscNameDesc", []enrichd.Sort{{Field: "professional_network.followers", Order: "asc"}, {Field: "basic_profile.name", Order: "desc"}},
			func(a, b string) int {
				if d := byName[a].followers - byName[b].followers; d != 0 {
					return d
				}
				return strings.Compare(strings.ToLower(b), strings.ToLower(a))
			}},
		{"PersonID", []enrichd.Sort{{Field: "crustdata_person_id", Order: "asc"}},
			func(a, b string) int { return int(searchql.NumericID(ids[a]) - searchql.NumericID(ids[b])) }},
		{"PersonIDDescCityAsc", []enrichd.Sort{{Field: "crustdata_person_id", Order: "desc"}, {Field: "basic_profile.location.city"}},
			func(a, b string) int { return int(searchql.NumericID(ids[b]) - searchql.NumericID(ids[a])) }},
		{"StartDate", []enrichd.Sort{{Field: "experience.employment_details.start_date", Order: "desc"}},
			func(a, b string) int { return strings.Compare(byName[b].start, byName[a].start) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(all)
			slices.SortFunc(want, func(a, b string) int {
				if c := tt.less(a, b); c != 0 {
					return c
				}
				return strings.Compare(ids[a], ids[b])
			})
			for _, limit := range []int{1, 2, 4, 100} {
				got := walk(t, svc, enrichd.PersonSearch{Sorts: tt.sorts, Limit: limit}, nil)
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d: got %q\nwant %q", limit, got, want)
				}
			}
		})
	}
}

// Ensure that people written while a client pages neither repeat nor push
// others out: keyset pages resume after the last row served.
func testSearchPagingWrites(t *testing.T, open func(tb testing.TB) SearchStores) {
	st := open(t)
	seedSearch(t, st.Ingest)
	s := enrichd.PersonSearch{Sorts: []enrichd.Sort{{Field: "professional_network.connections", Order: "desc"}}, Limit: 2}
	got := walk(t, st.People, s, func(page int) {
		// A newcomer sorting before the pages already served.
		f := searchPerson{name: fmt.Sprintf("New Comer%d", page), title: "CEO", company: "Acme", domain: "acme.com", connections: 10000 + page}
		if _, err := st.Ingest.Ingest(context.Background(), []enrichd.IngestRecord{searchRecord(f)}); err != nil {
			t.Fatal(err)
		}
	})
	want := []string{"Fay O'Neil", "Ada Lovelace"}
	if !slices.Equal(got[:2], want) || len(got) != len(searchPeople) {
		t.Fatalf("got %q, want the %d seeded people once each, starting %q", got, len(searchPeople), want)
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] {
			t.Fatalf("%s served twice: %q", n, got)
		}
		seen[n] = true
	}
}
