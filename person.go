package enrichd

import (
	"context"
	"encoding/json"
	"time"
)

// Person is the golden record of one professional. Its JSON form is the native
// schema: the native API returns it and JSONL import reads it.
//
// NOTE: every field a vendor dialect returns maps onto a field here, and Extra
// holds the long tail (e.g. Crustdata's open_to_cards) so that no vendor field
// ever needs a schema change. Dates are partial ISO dates kept as strings
// ("2019", "2019-03", "2019-03-01") because sources rarely know the day.
type Person struct {
	ID         string `json:"id,omitempty"` // stable, opaque
	FullName   string `json:"full_name,omitempty"`
	FirstName  string `json:"first_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`

	Headline    string   `json:"headline,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Title       string   `json:"title,omitempty"`     // current title
	Seniority   string   `json:"seniority,omitempty"` // executive|senior|mid|junior (see Seniority* constants)
	Departments []string `json:"departments,omitempty"`

	Location  Location `json:"location,omitzero"`
	Languages []string `json:"languages,omitempty"`
	Skills    []string `json:"skills,omitempty"`

	Employment     []Employment    `json:"employment,omitempty"`
	Education      []Education     `json:"education,omitempty"`
	Certifications []Certification `json:"certifications,omitempty"`
	Honors         []Honor         `json:"honors,omitempty"`

	Contact Contact `json:"contact,omitzero"`
	Social  Social  `json:"social,omitzero"`

	PictureURL  string `json:"picture_url,omitempty"`
	Connections int    `json:"connections,omitempty"`
	Followers   int    `json:"followers,omitempty"`

	// Extra holds vendor fields with no first-class home, keyed by a
	// namespaced name such as "crustdata.open_to_cards".
	Extra map[string]json.RawMessage `json:"extra,omitempty"`

	Sources   []Provenance `json:"sources,omitempty"`
	CreatedAt time.Time    `json:"created_at,omitzero"`
	UpdatedAt time.Time    `json:"updated_at,omitzero"` // when the data last changed
}

// Seniority levels: the four-level scale every dialect maps from.
const (
	SeniorityExecutive = "executive"
	SenioritySenior    = "senior"
	SeniorityMid       = "mid"
	SeniorityJunior    = "junior"
)

// Location is where a person or a company is.
type Location struct {
	Raw         string `json:"raw,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"country_code,omitempty"` // ISO 3166-1 alpha-2, upper case
	Continent   string `json:"continent,omitempty"`
}

// Employment is one job, current or past.
type Employment struct {
	CompanyID          string `json:"company_id,omitempty"`
	CompanyName        string `json:"company_name,omitempty"`
	CompanyDomain      string `json:"company_domain,omitempty"`
	CompanyLinkedInURL string `json:"company_linkedin_url,omitempty"`
	Title              string `json:"title,omitempty"`
	Seniority          string `json:"seniority,omitempty"`
	Department         string `json:"department,omitempty"`
	Start              string `json:"start,omitempty"` // partial ISO date
	End                string `json:"end,omitempty"`   // partial ISO date; empty while current
	Current            bool   `json:"current,omitempty"`
	Description        string `json:"description,omitempty"`
	Location           string `json:"location,omitempty"`
}

// Education is one school attended.
type Education struct {
	School string `json:"school,omitempty"`
	Degree string `json:"degree,omitempty"`
	Field  string `json:"field,omitempty"`
	Start  string `json:"start,omitempty"`
	End    string `json:"end,omitempty"`
}

// Certification is a professional certification.
type Certification struct {
	Name                string `json:"name,omitempty"`
	IssuingOrganization string `json:"issuing_organization,omitempty"`
	IssueDate           string `json:"issue_date,omitempty"`
	ExpirationDate      string `json:"expiration_date,omitempty"`
	CredentialURL       string `json:"credential_url,omitempty"`
}

// Honor is an award.
type Honor struct {
	Title       string `json:"title,omitempty"`
	Issuer      string `json:"issuer,omitempty"`
	IssuedDate  string `json:"issued_date,omitempty"`
	Description string `json:"description,omitempty"`
}

// Contact data statuses.
const (
	StatusVerified = "verified"
	StatusGuessed  = "guessed"
	StatusUnknown  = "unknown"
	StatusInvalid  = "invalid"
)

// Contact is how to reach a person.
type Contact struct {
	BusinessEmails []Email  `json:"business_emails,omitempty"`
	PersonalEmails []Email  `json:"personal_emails,omitempty"`
	Phones         []Phone  `json:"phones,omitempty"`
	Websites       []string `json:"websites,omitempty"`
}

// Email is one address with how much we trust it.
type Email struct {
	Address string `json:"address"`
	Status  string `json:"status,omitempty"` // verified|guessed|unknown|invalid
	Source  string `json:"source,omitempty"`
}

// Phone is one number in E.164.
type Phone struct {
	Number string `json:"number"`         // E.164, e.g. +4512345678
	Type   string `json:"type,omitempty"` // mobile|work|home|other
	Status string `json:"status,omitempty"`
	Source string `json:"source,omitempty"`
}

// Social holds a person's handles on networks.
type Social struct {
	LinkedInURL      string `json:"linkedin_url,omitempty"` // canonical: https://www.linkedin.com/in/<slug>
	LinkedInMemberID string `json:"linkedin_member_id,omitempty"`
	Twitter          string `json:"twitter,omitempty"` // handle, no @
	GitHub           string `json:"github,omitempty"`  // handle
	Facebook         string `json:"facebook,omitempty"`
}

// Provenance records where a record's data came from.
type Provenance struct {
	Source   string    `json:"source"`              // e.g. the import file's base name or a feed name
	RecordID string    `json:"record_id,omitempty"` // e.g. "people.csv:42"
	SeenAt   time.Time `json:"seen_at"`
}

// CurrentJob returns the first current employment, or nil.
func (p *Person) CurrentJob() *Employment {
	for i := range p.Employment {
		if p.Employment[i].Current {
			return &p.Employment[i]
		}
	}
	return nil
}

// PersonService reads people. Implemented by sqlite.PersonService and postgres.PersonService.
type PersonService interface {
	// FindPersonByID returns the person. Returns ENOTFOUND if there is none.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPeopleByIDs returns the people that exist among ids, in the order of ids.
	FindPeopleByIDs(ctx context.Context, ids []string) ([]*Person, error)
	// FindPersonIDsByKeys returns, for each key that indexes at least one person,
	// the ids of the people under it (at most limitPerKey each). Keys are the
	// strings a Keyer produced at ingest; the store treats them as opaque.
	FindPersonIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error)
	// CountKeys returns how many people each key indexes (for term-frequency
	// weighting). Keys with no people are absent from the map.
	CountKeys(ctx context.Context, keys []string) (map[string]int, error)
	// CountPeople returns the number of people in the store.
	CountPeople(ctx context.Context) (int, error)
	// SearchPeople runs a filtered, sorted, paged search. Returns EINVALID
	// naming any unknown field or operator.
	SearchPeople(ctx context.Context, s PersonSearch) (*PersonPage, error)
}
