package enrichd

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
