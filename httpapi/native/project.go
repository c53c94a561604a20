package native

import (
	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// personFields are the top-level Person JSON names a caller may list in
// "fields". A test checks that it matches enrichd.Person exactly.
var personFields = []string{
	"id", "full_name", "first_name", "middle_name", "last_name",
	"headline", "summary", "title", "seniority", "departments",
	"location", "languages", "skills",
	"employment", "education", "certifications", "honors",
	"contact", "social", "picture_url", "connections", "followers",
	"extra", "sources", "created_at", "updated_at",
}

// gatedFields need a plan field permission of the same name, as Crustdata
// documents for contact data, certifications and honors (the default plan
// grants all three). Without it they are left out of every answer, and
// asking for them by name is EFORBIDDEN.
var gatedFields = []string{enrichd.FieldContact, enrichd.FieldCertifications, enrichd.FieldHonors}

// PersonFields returns the names accepted in "fields": the top-level JSON
// names of enrichd.Person.
func PersonFields() []string { return append([]string(nil), personFields...) }

func isPersonField(name string) bool { return copyPersonField(nil, nil, name) }

// copyPersonField copies the field called name from src to dst and reports
// whether name is a Person field. With nil pointers it only reports.
//
// NOTE: a switch rather than reflection keeps projection allocation-free on
// the hot path.
func copyPersonField(dst, src *enrichd.Person, name string) bool {
	do := dst != nil && src != nil
	switch name {
	case "id":
		if do {
			dst.ID = src.ID
		}
	case "full_name":
		if do {
			dst.FullName = src.FullName
		}
	case "first_name":
		if do {
			dst.FirstName = src.FirstName
		}
	case "middle_name":
		if do {
			dst.MiddleName = src.MiddleName
		}
	case "last_name":
		if do {
			dst.LastName = src.LastName
		}
	case "headline":
		if do {
			dst.Headline = src.Headline
		}
	case "summary":
		if do {
			dst.Summary = src.Summary
		}
	case "title":
		if do {
			dst.Title = src.Title
		}
	case "seniority":
		if do {
			dst.Seniority = src.Seniority
		}
	case "departments":
		if do {
			dst.Departments = src.Departments
		}
	case "location":
		if do {
			dst.Location = src.Location
		}
	case "languages":
		if do {
			dst.Languages = src.Languages
		}
	case "skills":
		if do {
			dst.Skills = src.Skills
		}
	case "employment":
		if do {
			dst.Employment = src.Employment
		}
	case "education":
		if do {
			dst.Education = src.Education
		}
	case "certifications":
		if do {
			dst.Certifications = src.Certifications
		}
	case "honors":
		if do {
			dst.Honors = src.Honors
		}
	case "contact":
		if do {
			dst.Contact = src.Contact
		}
	case "social":
		if do {
			dst.Social = src.Social
		}
	case "picture_url":
		if do {
			dst.PictureURL = src.PictureURL
		}
	case "connections":
		if do {
			dst.Connections = src.Connections
		}
	case "followers":
		if do {
			dst.Followers = src.Followers
		}
	case "extra":
		if do {
			dst.Extra = src.Extra
		}
	case "sources":
		if do {
			dst.Sources = src.Sources
		}
	case "created_at":
		if do {
			dst.CreatedAt = src.CreatedAt
		}
	case "updated_at":
		if do {
			dst.UpdatedAt = src.UpdatedAt
		}
	default:
		return false
	}
	return true
}

// deniedField returns the first field in fields that key's plan may not see, or "".
func deniedField(key *enrichd.APIKey, fields []string) string {
	for _, f := range fields {
		for _, g := range gatedFields {
			if f == g && !kit.FieldAllowed(key, g) {
				return f
			}
		}
	}
	return ""
}

// project returns the part of p the caller asked for and may see. The id is
// always kept so that results can be correlated. p itself is never modified:
// the engine or a cache may share it.
func project(p *enrichd.Person, fields []string, key *enrichd.APIKey) *enrichd.Person {
	if p == nil {
		return nil
	}
	var out enrichd.Person
	if len(fields) == 0 {
		if (contactEmpty(&p.Contact) || kit.FieldAllowed(key, enrichd.FieldContact)) &&
			(len(p.Certifications) == 0 || kit.FieldAllowed(key, enrichd.FieldCertifications)) &&
			(len(p.Honors) == 0 || kit.FieldAllowed(key, enrichd.FieldHonors)) {
			return p // nothing to hide: encode the record as it is
		}
		out = *p
	} else {
		out.ID = p.ID
		for _, f := range fields {
			copyPersonField(&out, p, f)
		}
	}
	for _, g := range gatedFields {
		if !kit.FieldAllowed(key, g) {
			switch g {
			case enrichd.FieldContact:
				out.Contact = enrichd.Contact{}
			case enrichd.FieldCertifications:
				out.Certifications = nil
			case enrichd.FieldHonors:
				out.Honors = nil
			}
		}
	}
	return &out
}

func contactEmpty(c *enrichd.Contact) bool {
	return len(c.BusinessEmails) == 0 && len(c.PersonalEmails) == 0 && len(c.Phones) == 0 && len(c.Websites) == 0
}
