package demo

import (
	"time"

	"github.com/enrichd/enrichd"
)

// DocExamplesSource names the records behind the vendors' documentation examples.
const DocExamplesSource = "vendor-doc-examples"

// DocExamples returns fictional records for the identifiers that the
// vendors' own documentation examples use (Crustdata's dvdhsu and
// abhilashchowdhary, Clodura's dipak-bhoi-b3a700172, Ocean's John Doe,
// ApiOne's John Smith at stripe.com), so that those examples, copied with
// only the host and key changed, return profiles from the demo store.
//
// NOTE: only the identifiers and names come from the documentation; titles,
// histories and everything else are invented for the demo.
func DocExamples() []enrichd.IngestRecord {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	src := []enrichd.Provenance{{Source: DocExamplesSource, SeenAt: at}}
	company := func(name, domain, slug, industry, size, city, state, country, code string) *enrichd.Company {
		return &enrichd.Company{
			Name: name, Domain: domain, LinkedInURL: "https://www.linkedin.com/company/" + slug,
			Industry: industry, EmployeeRange: size,
			HQ:      enrichd.Location{Raw: joinNonEmpty(", ", city, state, country), City: city, State: state, Country: country, CountryCode: code},
			Sources: src,
		}
	}
	crustdata := company("Crustdata", "crustdata.com", "crustdata", "Software Development", "11-50", "San Francisco", "California", "United States", "US")
	retool := company("Retool", "retool.com", "tryretool", "Software Development", "201-500", "San Francisco", "California", "United States", "US")
	clodura := company("Clodura.AI", "clodura.ai", "clodura-ai", "Software Development", "51-200", "Pune", "Maharashtra", "India", "IN")
	ocean := company("Ocean ApS", "ocean.io", "oceanio", "Software Development", "51-200", "Copenhagen", "", "Denmark", "DK")
	stripe := company("Stripe", "stripe.com", "stripe", "Financial Services", "5001-10000", "South San Francisco", "California", "United States", "US")

	person := func(first, last, title, seniority, dept, li, email string, c *enrichd.Company, start string) *enrichd.Person {
		p := &enrichd.Person{
			FullName: first + " " + last, FirstName: first, LastName: last,
			Title: title, Seniority: seniority, Departments: []string{dept},
			Headline: title + " at " + c.Name,
			Location: c.HQ,
			Employment: []enrichd.Employment{{
				CompanyName: c.Name, CompanyDomain: c.Domain, CompanyLinkedInURL: c.LinkedInURL,
				Title: title, Seniority: seniority, Department: dept, Start: start, Current: true, Location: c.HQ.Raw,
			}},
			Social:  enrichd.Social{LinkedInURL: li},
			Sources: src,
		}
		if email != "" {
			p.Contact.BusinessEmails = []enrichd.Email{{Address: email, Status: enrichd.StatusVerified, Source: DocExamplesSource}}
		}
		return p
	}
	abhilash := person("Abhilash", "Chowdhary", "Co-Founder & CEO", enrichd.SeniorityExecutive, "Executive",
		"https://www.linkedin.com/in/abhilashchowdhary", "abhilash@crustdata.com", crustdata, "2021-01")
	abhilash.Skills = []string{"Data Infrastructure", "B2B SaaS", "Go-to-Market"}
	david := person("David", "Hsu", "Founder & CEO", enrichd.SeniorityExecutive, "Executive",
		"https://www.linkedin.com/in/dvdhsu", "david@retool.com", retool, "2017-01")
	david.Skills = []string{"Software Engineering", "Product Management"}
	// Two colleagues, so that the Crustdata search example (Retool, title
	// "VP|Director|Head of") has results.
	mara := person("Mara", "Lindqvist", "Head of Engineering", enrichd.SenioritySenior, "Engineering",
		"https://www.linkedin.com/in/mara-lindqvist-retool", "mara@retool.com", retool, "2020-04")
	tomas := person("Tomás", "Ibáñez", "VP of Sales", enrichd.SeniorityExecutive, "Sales",
		"https://www.linkedin.com/in/tomas-ibanez-retool", "tomas@retool.com", retool, "2019-09")
	dipak := person("Dipak", "Bhoi", "Software Engineer", enrichd.SeniorityMid, "Engineering",
		"https://www.linkedin.com/in/dipak-bhoi-b3a700172", "dipak.bhoi@clodura.ai", clodura, "2022-06")
	dipak.Skills = []string{"Node.js", "MongoDB", "AWS"}
	john := person("John", "Doe", "CEO", enrichd.SeniorityExecutive, "Executive",
		"https://www.linkedin.com/in/johndoe", "john.doe@example.com", ocean, "2017-03")
	john.Location = enrichd.Location{Raw: "Copenhagen, Denmark", City: "Copenhagen", Country: "Denmark", CountryCode: "DK"}
	john.Contact.Phones = []enrichd.Phone{{Number: "+4512345678", Type: "work", Status: enrichd.StatusVerified, Source: DocExamplesSource}}
	john.Social.Twitter, john.Social.Facebook = "johndoe", "johndoe"
	smith := person("John", "Smith", "Engineering Manager", enrichd.SenioritySenior, "Engineering",
		"https://www.linkedin.com/in/john-smith-stripe", "john.smith@stripe.com", stripe, "2018-02")

	var out []enrichd.IngestRecord
	for _, c := range []*enrichd.Company{crustdata, retool, clodura, ocean, stripe} {
		out = append(out, enrichd.IngestRecord{Company: c})
	}
	for _, p := range []*enrichd.Person{abhilash, david, mara, tomas, dipak, john, smith} {
		c := map[string]*enrichd.Company{"crustdata.com": crustdata, "retool.com": retool, "clodura.ai": clodura, "ocean.io": ocean, "stripe.com": stripe}[p.Employment[0].CompanyDomain]
		out = append(out, enrichd.IngestRecord{Person: p, Company: clone(c)})
	}
	return out
}
