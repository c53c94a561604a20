package enrichd

import "strings"

// Filter is a node of the search filter language shared by the native API and
// the Crustdata dialect: either a group (Op with Conditions) or a condition
// (Field, Type, Value). Field names are the Crustdata person field paths, e.g.
// "experience.employment_details.current.title"; Type is one of the Filter*
// operators.
type Filter struct {
	Op         string   `json:"op,omitempty"` // "and" | "or"
	Conditions []Filter `json:"conditions,omitempty"`

	Field string `json:"field,omitempty"`
	Type  string `json:"type,omitempty"`
	Value any    `json:"value,omitempty"` // string, number, bool, or []any for in/not_in/has_all
}

// Filter operators (Crustdata spelling).
const (
	FilterEq       = "="
	FilterNe       = "!="
	FilterLt       = "<"
	FilterLe       = "=<"
	FilterGt       = ">"
	FilterGe       = "=>"
	FilterIn       = "in"
	FilterNotIn    = "not_in"
	FilterContains = "(.)" // regex-ish contains; '|' separates alternatives
	FilterNotMatch = "(!)" // does not contain
	FilterPhrase   = "[.]" // exact phrase
	FilterHasAll   = "has_all"
)

// Sort orders a search by a field.
type Sort struct {
	Field string `json:"field"`
	Order string `json:"order"` // "asc" | "desc"
}

// PersonSearch is a compiled-free search request; stores validate and compile it
// to parameterised SQL.
type PersonSearch struct {
	Filter     *Filter
	Sorts      []Sort
	Limit      int    // 1..1000
	Cursor     string // opaque, from PersonPage.NextCursor
	TotalCount bool   // compute PersonPage.Total
}

// PersonPage is one page of search results.
type PersonPage struct {
	People     []*Person
	NextCursor string // "" when there are no more
	Total      int    // -1 unless requested
}

// SearchRow is the denormalised, indexed projection of a Person that both
// stores keep beside the full record so that searches never scan: each scalar
// below is a column of the people table with the same name (see the db tags),
// and each Terms entry is a row of the person_terms (field, value, person_id)
// table. Values are lower-cased where marked so that equality is
// case-insensitive.
type SearchRow struct {
	FullName      string `db:"full_name"`      // lower-cased
	FirstName     string `db:"first_name"`     // lower-cased
	LastName      string `db:"last_name"`      // lower-cased
	Title         string `db:"title"`          // lower-cased current title
	Headline      string `db:"headline"`       // lower-cased
	Seniority     string `db:"seniority"`      // executive|senior|mid|junior
	City          string `db:"city"`           // lower-cased
	State         string `db:"state"`          // lower-cased
	Country       string `db:"country"`        // lower-cased
	CountryCode   string `db:"country_code"`   // upper-case ISO
	LocationRaw   string `db:"location_raw"`   // lower-cased
	CompanyID     string `db:"company_id"`     // current employer
	CompanyName   string `db:"company_name"`   // lower-cased current employer name
	CompanyDomain string `db:"company_domain"` // current employer domain
	LinkedInURL   string `db:"linkedin_url"`   // canonical
	CurrentStart  string `db:"current_start"`  // partial ISO date of the current job
	Connections   int    `db:"connections"`
	Followers     int    `db:"followers"`
	UpdatedAt     int64  `db:"updated_at_unix"` // unix seconds
	Terms         []SearchTerm
}

// SearchTerm is one value of a multi-valued searchable field.
type SearchTerm struct {
	Field string // e.g. "skill", "department", "language", "past_company", "past_title", "company", "title", "school"
	Value string // lower-cased
}

// NewSearchRow projects p. Stores call it on every write of a person.
func NewSearchRow(p *Person) SearchRow {
	lc := strings.ToLower
	r := SearchRow{
		FullName:    lc(p.FullName),
		FirstName:   lc(p.FirstName),
		LastName:    lc(p.LastName),
		Title:       lc(p.Title),
		Headline:    lc(p.Headline),
		Seniority:   p.Seniority,
		City:        lc(p.Location.City),
		State:       lc(p.Location.State),
		Country:     lc(p.Location.Country),
		CountryCode: strings.ToUpper(p.Location.CountryCode),
		LocationRaw: lc(p.Location.Raw),
		LinkedInURL: p.Social.LinkedInURL,
		Connections: p.Connections,
		Followers:   p.Followers,
		UpdatedAt:   p.UpdatedAt.Unix(),
	}
	if j := p.CurrentJob(); j != nil {
		r.CompanyID = j.CompanyID
		r.CompanyName = lc(j.CompanyName)
		r.CompanyDomain = j.CompanyDomain
		r.CurrentStart = j.Start
	}
	seen := map[SearchTerm]bool{}
	add := func(field, value string) {
		t := SearchTerm{Field: field, Value: lc(strings.TrimSpace(value))}
		if t.Value == "" || seen[t] {
			return
		}
		seen[t] = true
		r.Terms = append(r.Terms, t)
	}
	for _, s := range p.Skills {
		add("skill", s)
	}
	for _, d := range p.Departments {
		add("department", d)
	}
	for _, l := range p.Languages {
		add("language", l)
	}
	for _, e := range p.Employment {
		add("company", e.CompanyName)
		add("title", e.Title)
		if !e.Current {
			add("past_company", e.CompanyName)
			add("past_title", e.Title)
		}
	}
	for _, e := range p.Education {
		add("school", e.School)
	}
	return r
}
