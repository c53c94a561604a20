package importer

import (
	"fmt"
	"sort"
	"strings"
)

// Field names a CSV column can carry (see docs/IMPORT.md). They are the values
// of `--map column=field`.
const (
	FieldFirstName  = "first_name"
	FieldMiddleName = "middle_name"
	FieldLastName   = "last_name"
	FieldFullName   = "full_name"
	FieldEmail      = "email"
	FieldPersonal   = "personal_email"
	FieldPhone      = "phone"
	FieldLinkedIn   = "linkedin_url"
	FieldTitle      = "title"
	FieldHeadline   = "headline"
	FieldSummary    = "summary"
	FieldSeniority  = "seniority"
	FieldDepartment = "department"
	FieldCity       = "city"
	FieldState      = "state"
	FieldCountry    = "country"
	FieldSkills     = "skills"
	FieldLanguages  = "languages"
	FieldTwitter    = "twitter"
	FieldGitHub     = "github"
	FieldPictureURL = "picture_url"
	FieldCoName     = "company_name"
	FieldCoDomain   = "company_domain"
	FieldCoLinkedIn = "company_linkedin_url"
	FieldCoIndustry = "company_industry"
	FieldCoSize     = "company_size"
	FieldCoRevenue  = "company_revenue"
	FieldCoFounded  = "company_founded_year"
	FieldCoCity     = "company_city"
	FieldCoState    = "company_state"
	FieldCoCountry  = "company_country"
	FieldCoPhone    = "company_phone"
	FieldCoDesc     = "company_description"
	FieldUpdatedAt  = "updated_at"
	FieldIgnore     = "-" // `--map column=-` skips a column without a warning
)

// Length limits of one value: longer values are rejected, not truncated.
const (
	maxShortField = 1024
	maxLongField  = 64 << 10
)

// fieldInfo describes one field.
type fieldInfo struct {
	person bool // the field describes a person (so a row with it has a person part)
	multi  bool // several columns may map to it; their values are all kept
	long   bool // free text: allowed up to maxLongField bytes instead of maxShortField
}

var fields = map[string]fieldInfo{
	FieldFirstName: {person: true}, FieldMiddleName: {person: true}, FieldLastName: {person: true},
	FieldFullName: {person: true}, FieldEmail: {person: true, multi: true},
	FieldPersonal: {person: true, multi: true}, FieldPhone: {person: true, multi: true},
	FieldLinkedIn: {person: true}, FieldTitle: {person: true}, FieldHeadline: {person: true, long: true},
	FieldSummary: {person: true, long: true}, FieldSeniority: {person: true},
	FieldDepartment: {person: true, multi: true}, FieldCity: {person: true}, FieldState: {person: true},
	FieldCountry: {person: true}, FieldSkills: {person: true, multi: true, long: true},
	FieldLanguages: {person: true, multi: true}, FieldTwitter: {person: true}, FieldGitHub: {person: true},
	FieldPictureURL: {person: true},
	FieldCoName:     {}, FieldCoDomain: {}, FieldCoLinkedIn: {}, FieldCoIndustry: {}, FieldCoSize: {},
	FieldCoRevenue: {}, FieldCoFounded: {}, FieldCoCity: {}, FieldCoState: {}, FieldCoCountry: {},
	FieldCoPhone: {}, FieldCoDesc: {long: true}, FieldUpdatedAt: {},
}

// aliases maps a folded column name (see foldColumn) to its field. Every field
// name is also its own alias (TestAliases checks it).
var aliases = map[string]string{
	"firstname": FieldFirstName, "first": FieldFirstName, "givenname": FieldFirstName, "forename": FieldFirstName,
	"middlename": FieldMiddleName, "middle": FieldMiddleName,
	"lastname": FieldLastName, "last": FieldLastName, "surname": FieldLastName, "familyname": FieldLastName,
	"fullname": FieldFullName, "name": FieldFullName, "personname": FieldFullName, "contactname": FieldFullName,
	"contact": FieldFullName,
	"email":   FieldEmail, "emailaddress": FieldEmail, "workemail": FieldEmail, "businessemail": FieldEmail,
	"mail": FieldEmail, "emails": FieldEmail, "workemailaddress": FieldEmail,
	"personalemail": FieldPersonal, "privateemail": FieldPersonal, "homeemail": FieldPersonal,
	"personalemailaddress": FieldPersonal,
	"phone":                FieldPhone, "phonenumber": FieldPhone, "telephone": FieldPhone, "tel": FieldPhone,
	"mobile": FieldPhone, "mobilephone": FieldPhone, "mobilenumber": FieldPhone, "cellphone": FieldPhone,
	"workphone": FieldPhone, "directphone": FieldPhone, "workdirectphone": FieldPhone, "firstphone": FieldPhone,
	"linkedin": FieldLinkedIn, "linkedinurl": FieldLinkedIn, "linkedinprofile": FieldLinkedIn,
	"linkedinprofileurl": FieldLinkedIn, "personlinkedinurl": FieldLinkedIn, "personlinkedin": FieldLinkedIn,
	"profileurl": FieldLinkedIn, "linkedinlink": FieldLinkedIn,
	"title": FieldTitle, "jobtitle": FieldTitle, "position": FieldTitle, "role": FieldTitle,
	"currenttitle": FieldTitle, "currentjobtitle": FieldTitle,
	"headline": FieldHeadline, "summary": FieldSummary, "bio": FieldSummary, "about": FieldSummary,
	"seniority": FieldSeniority, "senioritylevel": FieldSeniority,
	"department": FieldDepartment, "departments": FieldDepartment, "function": FieldDepartment,
	"city": FieldCity, "personcity": FieldCity, "state": FieldState, "region": FieldState,
	"province": FieldState, "personstate": FieldState, "country": FieldCountry, "personcountry": FieldCountry,
	"skills": FieldSkills, "skill": FieldSkills, "languages": FieldLanguages, "language": FieldLanguages,
	"twitter": FieldTwitter, "twitterurl": FieldTwitter, "twitterhandle": FieldTwitter, "x": FieldTwitter,
	"github": FieldGitHub, "githuburl": FieldGitHub, "githubhandle": FieldGitHub,
	"pictureurl": FieldPictureURL, "photourl": FieldPictureURL, "avatarurl": FieldPictureURL,
	"profilepicture": FieldPictureURL, "profilepictureurl": FieldPictureURL,
	"company": FieldCoName, "companyname": FieldCoName, "organization": FieldCoName,
	"organisation": FieldCoName, "organizationname": FieldCoName, "employer": FieldCoName,
	"accountname": FieldCoName, "currentcompany": FieldCoName, "currentcompanyname": FieldCoName,
	"website": FieldCoDomain, "companywebsite": FieldCoDomain, "domain": FieldCoDomain,
	"companydomain": FieldCoDomain, "companyurl": FieldCoDomain, "websiteurl": FieldCoDomain,
	"companywebsiteurl": FieldCoDomain,
	"companylinkedin":   FieldCoLinkedIn, "companylinkedinurl": FieldCoLinkedIn,
	"companylinkedinprofile": FieldCoLinkedIn,
	"industry":               FieldCoIndustry, "companyindustry": FieldCoIndustry,
	"companysize": FieldCoSize, "employees": FieldCoSize, "employeecount": FieldCoSize,
	"numberofemployees": FieldCoSize, "noofemployees": FieldCoSize, "headcount": FieldCoSize,
	"size": FieldCoSize, "companyemployees": FieldCoSize, "employeerange": FieldCoSize,
	"revenue": FieldCoRevenue, "annualrevenue": FieldCoRevenue, "companyrevenue": FieldCoRevenue,
	"revenuerange": FieldCoRevenue,
	"founded":      FieldCoFounded, "foundedyear": FieldCoFounded, "yearfounded": FieldCoFounded,
	"companyfounded": FieldCoFounded, "companyfoundedyear": FieldCoFounded,
	"companycity": FieldCoCity, "hqcity": FieldCoCity, "companystate": FieldCoState, "hqstate": FieldCoState,
	"companycountry": FieldCoCountry, "hqcountry": FieldCoCountry,
	"companyphone": FieldCoPhone, "corporatephone": FieldCoPhone, "hqphone": FieldCoPhone,
	"companydescription": FieldCoDesc, "description": FieldCoDesc, "seodescription": FieldCoDesc,
	"updatedat": FieldUpdatedAt, "lastupdated": FieldUpdatedAt, "updated": FieldUpdatedAt,
	"modifiedat": FieldUpdatedAt, "lastmodified": FieldUpdatedAt, "updatedtime": FieldUpdatedAt,
}

// Fields returns the field names `--map` accepts, sorted.
func Fields() []string {
	out := make([]string, 0, len(fields))
	for f := range fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// foldColumn reduces a column name to lower-case letters and digits, so that
// "First Name", "first_name" and "FIRST-NAME" are one column. A leading '#'
// ("# Employees") is dropped like any other punctuation.
func foldColumn(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseMap parses `--map` values of the form column=field into a map keyed by
// the folded column name. It rejects unknown fields and a column given twice.
func ParseMap(specs []string) (map[string]string, error) {
	m := make(map[string]string, len(specs))
	for _, spec := range specs {
		col, field, ok := strings.Cut(spec, "=")
		col, field = strings.TrimSpace(col), strings.ToLower(strings.TrimSpace(field))
		if !ok || col == "" || field == "" {
			return nil, fmt.Errorf("--map %q: want COLUMN=FIELD, e.g. --map \"Work Email=email\"", spec)
		}
		if _, known := fields[field]; !known && field != FieldIgnore {
			return nil, fmt.Errorf("--map %q: unknown field %q; fields are: %s, or - to skip the column",
				spec, field, strings.Join(Fields(), ", "))
		}
		key := foldColumn(col)
		if key == "" {
			key = col
		}
		if prev, dup := m[key]; dup && prev != field {
			return nil, fmt.Errorf("--map: column %q is mapped twice (%s and %s)", col, prev, field)
		}
		m[key] = field
	}
	return m, nil
}

// header is a CSV header resolved to fields.
type header struct {
	names   []string // the header as written
	field   []string // field of each column, "" when ignored
	ignored []string // columns that map to nothing (for a warning)
	company bool     // a company-only file: no person fields
}

// resolveHeader maps each column to a field via user mappings first, then the
// aliases. A scalar field claimed by two columns is an error: silently picking
// one would drop data.
func resolveHeader(names []string, user map[string]string) (*header, error) {
	h := &header{names: names, field: make([]string, len(names))}
	owner := map[string]int{}
	for i, name := range names {
		key := foldColumn(name)
		f, ok := user[key]
		if !ok {
			f, ok = user[strings.TrimSpace(name)]
		}
		if !ok {
			f = aliases[key]
		}
		if f == FieldIgnore {
			continue
		}
		if f == "" {
			if strings.TrimSpace(name) != "" {
				h.ignored = append(h.ignored, name)
			}
			continue
		}
		if j, dup := owner[f]; dup && !fields[f].multi {
			return nil, fmt.Errorf("columns %q and %q both map to %s: map one elsewhere, e.g. --map %q",
				names[j], name, f, name+"=-")
		}
		owner[f] = i
		h.field[i] = f
	}
	if len(owner) == 0 {
		return nil, fmt.Errorf("no column matches a known field (header: %s); use --map COLUMN=FIELD",
			strings.Join(names, ", "))
	}
	// NOTE: a company list ("Name, Domain, LinkedIn, Industry") uses the same
	// words as a people list for its name and LinkedIn columns. When nothing
	// else names a person and something names a company, read those two
	// columns as the company's, unless the user mapped them explicitly.
	personish := false
	companyish := false
	for i, f := range h.field {
		if f == "" {
			continue
		}
		_, userMapped := user[foldColumn(names[i])]
		switch {
		case (f == FieldFullName || f == FieldLinkedIn) && !userMapped:
		case fields[f].person:
			personish = true
		case f != FieldUpdatedAt:
			companyish = true
		}
	}
	if !personish && companyish {
		for i, f := range h.field {
			if _, userMapped := user[foldColumn(names[i])]; userMapped {
				continue
			}
			switch f {
			case FieldFullName:
				if _, taken := owner[FieldCoName]; taken {
					return nil, fmt.Errorf("column %q: a company list has both %q and a company name column; use --map",
						names[i], names[i])
				}
				h.field[i] = FieldCoName
			case FieldLinkedIn:
				if _, taken := owner[FieldCoLinkedIn]; taken {
					return nil, fmt.Errorf("column %q: a company list has both %q and a company LinkedIn column; use --map",
						names[i], names[i])
				}
				h.field[i] = FieldCoLinkedIn
			}
		}
		h.company = true
	}
	return h, nil
}
