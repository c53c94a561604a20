package crustdata

import (
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/searchql"
)

// enrichRequest is the body of POST /person/enrich.
//
//	professional_network_profile_urls  string[]  one of this or business_emails; max 25
//	business_emails                    string[]  one of this or professional_network_profile_urls; max 25
//	fields                             string[]  section names or dot-paths; default basic_profile, social_handles
//	min_similarity_score               number    0–1; minimum confidence of a match
//	preview                            boolean   lightweight result, 0 credits
//	enrich_realtime, force_fetch       boolean   accepted (internal schema); served from the store
type enrichRequest struct {
	ProfessionalNetworkProfileURLs []string `json:"professional_network_profile_urls"`
	BusinessEmails                 []string `json:"business_emails"`
	Fields                         []string `json:"fields"`
	MinSimilarityScore             *float64 `json:"min_similarity_score"`
	Preview                        bool     `json:"preview"`
	EnrichRealtime                 bool     `json:"enrich_realtime"`
	ForceFetch                     bool     `json:"force_fetch"`
}

// searchRequest is the body of POST /person/search.
//
//	filters          object    a condition {field, type, value} or a group {op, conditions}
//	sorts            object[]  [{field, order: asc|desc}]
//	limit, count     integer   1–1000, default 20 (count is an alias)
//	cursor           string    next_cursor of the previous page
//	fields           string[]  as for enrich
//	post_processing  object    exclude_profiles (profile URLs), exclude_names
//	preview, explain, return_query  accepted; preview is not enabled
type searchRequest struct {
	Filters        *enrichd.Filter `json:"filters"`
	Sorts          []enrichd.Sort  `json:"sorts"`
	Limit          *int            `json:"limit"`
	Count          *int            `json:"count"`
	Cursor         *string         `json:"cursor"`
	Fields         []string        `json:"fields"`
	PostProcessing *postProcessing `json:"post_processing"`
	Preview        bool            `json:"preview"`
	Explain        bool            `json:"explain"`
	ReturnQuery    bool            `json:"return_query"`
}

// postProcessing removes people from search results.
type postProcessing struct {
	ExcludeProfiles []string `json:"exclude_profiles"`
	ExcludeNames    []string `json:"exclude_names"`
}

// liveEnrichRequest is the body of POST /person/professional_network/enrich/live.
type liveEnrichRequest struct {
	ProfessionalNetworkProfileURLs []string `json:"professional_network_profile_urls"`
	Fields                         []string `json:"fields"`
}

// Match types of an enrich result.
const (
	matchTypeURL   = "professional_network_profile_url"
	matchTypeEmail = "business_email"
)

// enrichResult is one element of the enrich answer, in input order.
type enrichResult struct {
	MatchedOn string      `json:"matched_on"`
	MatchType string      `json:"match_type"`
	Matches   []enrichHit `json:"matches"`
	people    []*enrichd.Person
}

// enrichHit is one candidate of an enrich result.
type enrichHit struct {
	ConfidenceScore float64 `json:"confidence_score"`
	PersonData      any     `json:"person_data"` // *personData, or a projected map for dot-path fields
}

// searchResponse is the answer of POST /person/search.
type searchResponse struct {
	Profiles   []any   `json:"profiles"`
	NextCursor *string `json:"next_cursor"`
	TotalCount *int    `json:"total_count"`
}

// personData is Crustdata's person_data. Sections are pointers so that the
// ones not requested are left out; within a section unknown values are null.
type personData struct {
	CrustdataPersonID   int64                `json:"crustdata_person_id"`
	UpdatedAt           *string              `json:"updated_at"`
	BasicProfile        *basicProfile        `json:"basic_profile,omitempty"`
	ProfessionalNetwork *professionalNetwork `json:"professional_network,omitempty"`
	SocialHandles       *socialHandles       `json:"social_handles,omitempty"`
	Experience          *experience          `json:"experience,omitempty"`
	Education           *education           `json:"education,omitempty"`
	Skills              *skills              `json:"skills,omitempty"`
	Contact             *contact             `json:"contact,omitempty"`
	Certifications      *[]certification     `json:"certifications,omitempty"`
	Honors              *[]honor             `json:"honors,omitempty"`
	DevPlatformProfiles *[]json.RawMessage   `json:"dev_platform_profiles,omitempty"`
	Metadata            *metadata            `json:"metadata,omitempty"`
}

type basicProfile struct {
	Name                    *string  `json:"name"`
	FirstName               *string  `json:"first_name"`
	LastName                *string  `json:"last_name"`
	Headline                *string  `json:"headline"`
	CurrentTitle            *string  `json:"current_title"`
	Summary                 *string  `json:"summary"`
	Location                location `json:"location"`
	Languages               []string `json:"languages"`
	LastUpdated             *string  `json:"last_updated"`
	ProfilePicturePermalink *string  `json:"profile_picture_permalink"`
}

type location struct {
	City         *string `json:"city"`
	State        *string `json:"state"`
	Country      *string `json:"country"`
	FullLocation *string `json:"full_location"`
}

type professionalNetwork struct {
	ProfilePicturePermalink *string         `json:"profile_picture_permalink"`
	Connections             int             `json:"connections"`
	Followers               int             `json:"followers"`
	OpenToCards             json.RawMessage `json:"open_to_cards"`
	Pronoun                 json.RawMessage `json:"pronoun"`
	JoinedDate              json.RawMessage `json:"joined_date"`
	Verifications           json.RawMessage `json:"verifications"`
	Location                networkLocation `json:"location"`
}

type networkLocation struct {
	Raw       *string `json:"raw"`
	City      *string `json:"city"`
	State     *string `json:"state"`
	Country   *string `json:"country"`
	Continent *string `json:"continent"`
}

type socialHandles struct {
	ProfessionalNetworkIdentifier networkIdentifier `json:"professional_network_identifier"`
	TwitterIdentifier             *slugIdentifier   `json:"twitter_identifier"`
	DevPlatformIdentifier         *urlIdentifier    `json:"dev_platform_identifier"`
}

type networkIdentifier struct {
	ProfileURL *string `json:"profile_url"`
	MemberID   *string `json:"member_id"`
}

type slugIdentifier struct {
	Slug string `json:"slug"`
}

type urlIdentifier struct {
	ProfileURL string `json:"profile_url"`
}

type experience struct {
	EmploymentDetails employmentDetails `json:"employment_details"`
}

type employmentDetails struct {
	Current []employment `json:"current"`
	Past    []employment `json:"past"`
}

// employment is one job, with its company's data when the store knows the company.
type employment struct {
	Name                                 *string `json:"name"`
	CompanyName                          *string `json:"company_name"`
	Title                                *string `json:"title"`
	CompanyID                            *int64  `json:"company_id"`
	CompanyWebsiteDomain                 *string `json:"company_website_domain"`
	CompanyProfessionalNetworkProfileURL *string `json:"company_professional_network_profile_url"`
	CompanyIndustry                      *string `json:"company_industry"`
	CompanyHeadcountRange                *string `json:"company_headcount_range"`
	CompanyHeadquarters                  *string `json:"company_headquarters"`
	SeniorityLevel                       *string `json:"seniority_level"`
	Department                           *string `json:"department"`
	StartDate                            *string `json:"start_date"`
	EndDate                              *string `json:"end_date"`
	Description                          *string `json:"description"`
	Location                             *string `json:"location"`
}

type education struct {
	Schools    []school `json:"schools"`
	AllSchools []string `json:"all_schools"`
	AllDegrees []string `json:"all_degrees"`
}

type school struct {
	School       *string `json:"school"`
	Degree       *string `json:"degree"`
	FieldOfStudy *string `json:"field_of_study"`
	StartDate    *string `json:"start_date"`
	EndDate      *string `json:"end_date"`
}

type skills struct {
	ProfessionalNetworkSkills []string `json:"professional_network_skills"`
}

type contact struct {
	BusinessEmails []emailRecord `json:"business_emails"`
	PersonalEmails []emailRecord `json:"personal_emails"`
	PhoneNumbers   []phoneRecord `json:"phone_numbers"`
	Websites       []string      `json:"websites"`
}

type emailRecord struct {
	Email  string  `json:"email"`
	Status *string `json:"status"`
}

type phoneRecord struct {
	Number string  `json:"number"`
	Type   *string `json:"type"`
	Status *string `json:"status"`
}

type certification struct {
	Name                *string `json:"name"`
	IssuingOrganization *string `json:"issuing_organization"`
	IssueDate           *string `json:"issue_date"`
	ExpirationDate      *string `json:"expiration_date"`
	CredentialURL       *string `json:"credential_url"`
}

type honor struct {
	Title       *string `json:"title"`
	Issuer      *string `json:"issuer"`
	IssuedDate  *string `json:"issued_date"`
	Description *string `json:"description"`
}

type metadata struct {
	LastScrapedSource *string `json:"last_scraped_source"`
	UpdatedAt         *string `json:"updated_at"`
}

// str returns s, or nil (JSON null) when s is empty.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// strs returns ss, or an empty (never null) array.
func strs(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// timestamp formats t as RFC 3339 UTC, or nil for the zero time.
func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// extra returns a vendor field kept in Person.Extra under "crustdata.<name>",
// or JSON null.
func extra(p *enrichd.Person, name string) json.RawMessage {
	if v, ok := p.Extra["crustdata."+name]; ok && len(v) > 0 {
		return v
	}
	return json.RawMessage("null")
}

// roundScore keeps scores readable and stable in goldens.
func roundScore(f float64) float64 { return math.Round(f*10000) / 10000 }

// companyInfo is what an employment entry shows of its company.
type companyInfo map[string]*enrichd.Company

// buildPersonData renders the sections of p that sel asks for.
func buildPersonData(p *enrichd.Person, sel *selection, companies companyInfo) *personData {
	d := &personData{CrustdataPersonID: searchql.NumericID(p.ID), UpdatedAt: timestamp(p.UpdatedAt)}
	if sel.wants("basic_profile") {
		d.BasicProfile = &basicProfile{
			Name: str(p.FullName), FirstName: str(p.FirstName), LastName: str(p.LastName),
			Headline: str(p.Headline), CurrentTitle: str(currentTitle(p)), Summary: str(p.Summary),
			Location: location{
				City: str(p.Location.City), State: str(p.Location.State), Country: str(p.Location.Country),
				FullLocation: str(fullLocation(p.Location)),
			},
			Languages:               strs(p.Languages),
			LastUpdated:             timestamp(p.UpdatedAt),
			ProfilePicturePermalink: str(p.PictureURL),
		}
	}
	if sel.wants("professional_network") {
		d.ProfessionalNetwork = &professionalNetwork{
			ProfilePicturePermalink: str(p.PictureURL),
			Connections:             p.Connections,
			Followers:               p.Followers,
			OpenToCards:             extra(p, "open_to_cards"),
			Pronoun:                 extra(p, "pronoun"),
			JoinedDate:              extra(p, "joined_date"),
			Verifications:           extra(p, "verifications"),
			Location: networkLocation{
				Raw: str(fullLocation(p.Location)), City: str(p.Location.City), State: str(p.Location.State),
				Country: str(p.Location.Country), Continent: str(p.Location.Continent),
			},
		}
	}
	if sel.wants("social_handles") {
		sh := &socialHandles{ProfessionalNetworkIdentifier: networkIdentifier{
			ProfileURL: str(p.Social.LinkedInURL), MemberID: str(p.Social.LinkedInMemberID),
		}}
		if p.Social.Twitter != "" {
			sh.TwitterIdentifier = &slugIdentifier{Slug: p.Social.Twitter}
		}
		if p.Social.GitHub != "" {
			sh.DevPlatformIdentifier = &urlIdentifier{ProfileURL: "https://github.com/" + p.Social.GitHub}
		}
		d.SocialHandles = sh
	}
	if sel.wants("experience") {
		ex := &experience{EmploymentDetails: employmentDetails{Current: []employment{}, Past: []employment{}}}
		for i := range p.Employment {
			e := buildEmployment(&p.Employment[i], companies)
			if p.Employment[i].Current {
				ex.EmploymentDetails.Current = append(ex.EmploymentDetails.Current, e)
			} else {
				ex.EmploymentDetails.Past = append(ex.EmploymentDetails.Past, e)
			}
		}
		d.Experience = ex
	}
	if sel.wants("education") {
		ed := &education{Schools: []school{}, AllSchools: []string{}, AllDegrees: []string{}}
		for _, e := range p.Education {
			ed.Schools = append(ed.Schools, school{
				School: str(e.School), Degree: str(e.Degree), FieldOfStudy: str(e.Field),
				StartDate: str(e.Start), EndDate: str(e.End),
			})
			if e.School != "" {
				ed.AllSchools = append(ed.AllSchools, e.School)
			}
			if e.Degree != "" {
				ed.AllDegrees = append(ed.AllDegrees, e.Degree)
			}
		}
		d.Education = ed
	}
	if sel.wants("skills") {
		d.Skills = &skills{ProfessionalNetworkSkills: strs(p.Skills)}
	}
	if sel.wants("contact") {
		c := &contact{BusinessEmails: []emailRecord{}, PersonalEmails: []emailRecord{}, PhoneNumbers: []phoneRecord{}, Websites: strs(p.Contact.Websites)}
		for _, e := range p.Contact.BusinessEmails {
			c.BusinessEmails = append(c.BusinessEmails, emailRecord{Email: e.Address, Status: str(e.Status)})
		}
		for _, e := range p.Contact.PersonalEmails {
			c.PersonalEmails = append(c.PersonalEmails, emailRecord{Email: e.Address, Status: str(e.Status)})
		}
		for _, ph := range p.Contact.Phones {
			c.PhoneNumbers = append(c.PhoneNumbers, phoneRecord{Number: ph.Number, Type: str(ph.Type), Status: str(ph.Status)})
		}
		d.Contact = c
	}
	if sel.wants("certifications") {
		cs := []certification{}
		for _, c := range p.Certifications {
			cs = append(cs, certification{Name: str(c.Name), IssuingOrganization: str(c.IssuingOrganization),
				IssueDate: str(c.IssueDate), ExpirationDate: str(c.ExpirationDate), CredentialURL: str(c.CredentialURL)})
		}
		d.Certifications = &cs
	}
	if sel.wants("honors") {
		hs := []honor{}
		for _, h := range p.Honors {
			hs = append(hs, honor{Title: str(h.Title), Issuer: str(h.Issuer), IssuedDate: str(h.IssuedDate), Description: str(h.Description)})
		}
		d.Honors = &hs
	}
	if sel.wants("dev_platform_profiles") {
		d.DevPlatformProfiles = devPlatformProfiles(p)
	}
	if sel.wants("metadata") {
		d.Metadata = &metadata{LastScrapedSource: lastSource(p), UpdatedAt: timestamp(p.UpdatedAt)}
	}
	return d
}

func buildEmployment(e *enrichd.Employment, companies companyInfo) employment {
	out := employment{
		Name: str(e.CompanyName), CompanyName: str(e.CompanyName), Title: str(e.Title),
		CompanyWebsiteDomain:                 str(e.CompanyDomain),
		CompanyProfessionalNetworkProfileURL: str(e.CompanyLinkedInURL),
		SeniorityLevel:                       str(e.Seniority), Department: str(e.Department),
		StartDate: str(e.Start), EndDate: str(e.End), Description: str(e.Description), Location: str(e.Location),
	}
	if e.CompanyID != "" {
		id := searchql.NumericID(e.CompanyID)
		out.CompanyID = &id
	}
	if c := companies[e.CompanyID]; c != nil {
		if out.Name == nil {
			out.Name, out.CompanyName = str(c.Name), str(c.Name)
		}
		if out.CompanyWebsiteDomain == nil {
			out.CompanyWebsiteDomain = str(c.Domain)
		}
		if out.CompanyProfessionalNetworkProfileURL == nil {
			out.CompanyProfessionalNetworkProfileURL = str(c.LinkedInURL)
		}
		out.CompanyIndustry = str(c.Industry)
		out.CompanyHeadcountRange = str(c.EmployeeRange)
		out.CompanyHeadquarters = str(fullLocation(c.HQ))
	}
	return out
}

// devPlatformProfiles returns the stored Crustdata profiles, or one built
// from the GitHub handle, or an empty list.
func devPlatformProfiles(p *enrichd.Person) *[]json.RawMessage {
	out := []json.RawMessage{}
	if raw, ok := p.Extra["crustdata.dev_platform_profiles"]; ok {
		if err := json.Unmarshal(raw, &out); err == nil {
			return &out
		}
	}
	if p.Social.GitHub != "" {
		b, _ := json.Marshal(map[string]string{"username": p.Social.GitHub, "profile_url": "https://github.com/" + p.Social.GitHub})
		out = append(out, b)
	}
	return &out
}

func lastSource(p *enrichd.Person) *string {
	if len(p.Sources) == 0 {
		return nil
	}
	return str(p.Sources[len(p.Sources)-1].Source)
}

// currentTitle is the title of the current job, or the profile's title.
func currentTitle(p *enrichd.Person) string {
	if p.Title != "" {
		return p.Title
	}
	if j := p.CurrentJob(); j != nil {
		return j.Title
	}
	return ""
}

// fullLocation is the raw location, or one assembled from its parts.
func fullLocation(l enrichd.Location) string {
	if l.Raw != "" {
		return l.Raw
	}
	var parts []string
	for _, s := range []string{l.City, l.State, l.Country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
