// Package searchql validates the search filter language shared by the native
// API and the Crustdata dialect (enrichd.Filter, enrichd.Sort) against a
// catalogue of searchable fields, and compiles it to a backend-neutral SQL
// fragment over the people and person_terms tables with `?` placeholders and
// a parameter list. Values never enter the SQL text: only catalogue column
// names and operators do.
//
// NOTE: the stores render the placeholders (sqlite keeps `?`, postgres calls
// Rebind for `$n`) and run the statements; searchql itself imports no driver
// so that both backends share one compiler and one set of semantics.
package searchql

import (
	"sort"
	"strconv"
)

// kind says how a field's values are normalised and which operators apply.
type kind int

const (
	kindText      kind = iota // lower-cased text column or term
	kindExact                 // text compared as normalised (domain, LinkedIn URL)
	kindCountry               // country name (lower-cased) or ISO alpha-2 code
	kindSeniority             // executive|senior|mid|junior (vendor vocabularies mapped)
	kindInt                   // integer column
	kindTime                  // unix-seconds column; values are ISO dates/times or unix seconds
	kindDate                  // partial ISO date string column ("2019", "2019-03", "2019-03-01")
	kindNumericID             // 16-hex id column addressed by its numeric form (low 52 bits)
	kindCompanyID             // 16-hex company id, or its numeric form
)

// field is one searchable field path.
type field struct {
	column string // people column; "" for a term field
	term   string // person_terms.field when column is ""
	kind   kind
	// norm names the normaliser for kindExact values.
	norm string
	// sortExpr is the ORDER BY expression; "" when the field is not sortable.
	sortExpr string
}

// idExpr is the SQL for the numeric form of a 16-hex id: its last 13 hex
// digits (52 bits), which sort as the number does. Both stores index this
// exact expression.
const idExpr = "substr(id, 4)"

// companyIDExpr is idExpr for the current employer's id.
const companyIDExpr = "substr(company_id, 4)"

// catalogue maps every documented filter field (Crustdata person field paths)
// to its column or term. Every entry is indexed by migration 0003_search.sql.
var catalogue = map[string]field{
	"crustdata_person_id": {column: "id", kind: kindNumericID, sortExpr: idExpr},

	"basic_profile.name":          {column: "full_name", kind: kindText, sortExpr: "full_name"},
	"basic_profile.first_name":    {column: "first_name", kind: kindText},
	"basic_profile.last_name":     {column: "last_name", kind: kindText},
	"basic_profile.current_title": {column: "title", kind: kindText},
	"basic_profile.headline":      {column: "headline", kind: kindText},
	"basic_profile.languages":     {term: "language", kind: kindText},

	"basic_profile.location":                {column: "location_raw", kind: kindText, sortExpr: "location_raw"},
	"basic_profile.location.full_location":  {column: "location_raw", kind: kindText, sortExpr: "location_raw"},
	"basic_profile.location.city":           {column: "city", kind: kindText, sortExpr: "city"},
	"basic_profile.location.state":          {column: "state", kind: kindText, sortExpr: "state"},
	"basic_profile.location.country":        {column: "country", kind: kindCountry, sortExpr: "country"},
	"professional_network.location.raw":     {column: "location_raw", kind: kindText},
	"professional_network.location.city":    {column: "city", kind: kindText},
	"professional_network.location.state":   {column: "state", kind: kindText},
	"professional_network.location.country": {column: "country", kind: kindCountry},

	"professional_network.connections": {column: "connections", kind: kindInt, sortExpr: "connections"},
	"professional_network.followers":   {column: "followers", kind: kindInt, sortExpr: "followers"},

	"social_handles.professional_network_identifier.profile_url": {column: "linkedin_url", kind: kindExact, norm: "linkedin"},

	"experience.employment_details.current.title":                  {column: "title", kind: kindText},
	"experience.employment_details.current.name":                   {column: "company_name", kind: kindText},
	"experience.employment_details.current.company_name":           {column: "company_name", kind: kindText},
	"experience.employment_details.current.company_id":             {column: "company_id", kind: kindCompanyID},
	"experience.employment_details.current.company_website_domain": {column: "company_domain", kind: kindExact, norm: "domain"},
	"experience.employment_details.current.seniority_level":        {column: "seniority", kind: kindSeniority},
	"experience.employment_details.current.start_date":             {column: "current_start", kind: kindDate},
	"experience.employment_details.current.department":             {term: "department", kind: kindText},
	"experience.employment_details.department":                     {term: "department", kind: kindText},
	"experience.employment_details.start_date":                     {column: "current_start", kind: kindDate, sortExpr: "current_start"},
	"experience.employment_details.company_id":                     {column: "company_id", kind: kindCompanyID, sortExpr: companyIDExpr},

	"experience.employment_details.title":             {term: "title", kind: kindText},
	"experience.employment_details.name":              {term: "company", kind: kindText},
	"experience.employment_details.company_name":      {term: "company", kind: kindText},
	"experience.employment_details.past.title":        {term: "past_title", kind: kindText},
	"experience.employment_details.past.name":         {term: "past_company", kind: kindText},
	"experience.employment_details.past.company_name": {term: "past_company", kind: kindText},

	"skills.professional_network_skills": {term: "skill", kind: kindText},
	"education.schools.school":           {term: "school", kind: kindText},
	"education.schools.school_name":      {term: "school", kind: kindText},

	"metadata.updated_at": {column: "updated_at_unix", kind: kindTime, sortExpr: "updated_at_unix"},
	"updated_at":          {column: "updated_at_unix", kind: kindTime},
}

// Fields returns the filterable field paths, sorted.
func Fields() []string {
	out := make([]string, 0, len(catalogue))
	for name := range catalogue {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// SortableFields returns the field paths a search may sort on, sorted.
func SortableFields() []string {
	var out []string
	for name, f := range catalogue {
		if f.sortExpr != "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// numericIDMask keeps the 52 bits that the numeric form of an id carries.
const numericIDMask = 1<<52 - 1

// NumericID returns the integer form of a 16-hex enrichd id (its low 52 bits,
// so that it is exact in a JavaScript number), as Crustdata's integer
// crustdata_person_id and company_id fields expect. Ids that are not hex
// (never produced by the stores) map to 0.
func NumericID(id string) int64 {
	if len(id) < 13 {
		return 0
	}
	n, err := strconv.ParseUint(id[len(id)-13:], 16, 64)
	if err != nil {
		return 0
	}
	return int64(n & numericIDMask)
}

// numericIDSuffix returns the 13 hex digits that NumericID reads, the value
// that the idExpr column expression holds for ids of that number.
func numericIDSuffix(n int64) string {
	s := strconv.FormatUint(uint64(n)&numericIDMask, 16)
	for len(s) < 13 {
		s = "0" + s
	}
	return s
}
