package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
)

// Generator makes deterministic, realistic records for benchmarks and load
// tests: accented and common names, companies with domains and LinkedIn
// pages, current and past jobs, skills, schools and business emails that
// follow each company's address pattern. Person n is always the same person,
// so a second run over the same range re-ingests the same people.
type Generator struct {
	// Companies is how many distinct employers people are spread over.
	Companies int
	// Source names the provenance of generated records.
	Source string
	// SeenAt is the provenance time of generated records.
	SeenAt time.Time
}

// NewGenerator returns a Generator over companies employers.
func NewGenerator(companies int) *Generator {
	return &Generator{Companies: max(companies, 1), Source: "generated.csv", SeenAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
}

var (
	genFirst = []string{"Anna", "José", "Zoë", "Mohammed", "Wei", "Olivia", "Liam", "Chloé", "Søren", "Priya", "Hiroshi",
		"Fatima", "Lukas", "Amélie", "Noah", "Isabella", "Mateo", "Sofía", "Ethan", "Mia", "Jean-Charles", "Björn",
		"Aisha", "Carlos", "Emma", "Oliver", "Ava", "Lucas", "Élodie", "Kwame", "Nikolai", "Ines", "Tomás", "Yuki",
		"Grace", "Daniel", "Léa", "Rafael", "Hannah", "Arjun", "Magdalena", "Patrick", "Siobhán", "Omar", "Julia",
		"Kenji", "Marta", "Samuel", "Chiara", "William"}
	genLast = []string{"Smith", "Müller", "García", "Nguyen", "Okafor", "Johansson", "Rossi", "Dubois", "Kowalski",
		"Tanaka", "Patel", "O'Brien", "van der Berg", "Fernández", "Schmidt", "Chen", "Kim", "Martin", "Silva",
		"Novák", "Andersen", "Ivanova", "Moreau", "Brown", "Wilson", "Taylor", "Jones", "Khan", "Haddad", "Lefèvre",
		"Nakamura", "Costa", "Papadopoulos", "Horvat", "Jensen", "Murphy", "López", "Wang", "Singh", "Rahman",
		"Becker", "Lambert", "Ferrari", "Svensson", "Yilmaz", "Mendoza", "Dvořák", "Walsh", "Adeyemi", "Laurent"}
	genWords = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
		"Cyberdyne", "Tyrell", "Wonka", "Aperture", "Massive", "Dynamics", "Nordic", "Blue", "Summit", "Vertex", "Orbit",
		"Quantum", "Atlas", "Pioneer", "Harbor", "Cedar", "Falcon", "Lumen", "Nimbus", "Polar", "Crimson"}
	genSuffix     = []string{"Inc", "GmbH", "Ltd", "SA", "Labs", "Systems", "Group", "Technologies", "AB", "BV"}
	genIndustries = []string{"Software", "Financial Services", "Manufacturing", "Retail", "Healthcare", "Logistics", "Media", "Energy"}
	genTitles     = []struct{ title, seniority, dept string }{
		{"Software Engineer", enrichd.SeniorityMid, "Engineering"}, {"Senior Software Engineer", enrichd.SenioritySenior, "Engineering"},
		{"VP of Engineering", enrichd.SeniorityExecutive, "Engineering"}, {"Account Executive", enrichd.SeniorityMid, "Sales"},
		{"Head of Sales", enrichd.SeniorityExecutive, "Sales"}, {"Marketing Manager", enrichd.SenioritySenior, "Marketing"},
		{"Product Manager", enrichd.SenioritySenior, "Product"}, {"Financial Analyst", enrichd.SeniorityJunior, "Finance"},
		{"Chief Financial Officer", enrichd.SeniorityExecutive, "Finance"}, {"HR Business Partner", enrichd.SeniorityMid, "Human Resources"},
		{"Customer Success Manager", enrichd.SeniorityMid, "Customer Success"}, {"Data Scientist", enrichd.SenioritySenior, "Engineering"},
		{"Operations Coordinator", enrichd.SeniorityJunior, "Operations"}, {"Legal Counsel", enrichd.SenioritySenior, "Legal"},
		{"Chief Executive Officer", enrichd.SeniorityExecutive, "Operations"}, {"Sales Development Representative", enrichd.SeniorityJunior, "Sales"}}
	genSkills = []string{"Go", "Python", "SQL", "Kubernetes", "Negotiation", "Salesforce", "Financial Modeling", "Excel",
		"Machine Learning", "Public Speaking", "Project Management", "React", "Recruiting", "Contract Law", "SEO",
		"Leadership", "Data Analysis", "AWS", "Customer Retention", "Supply Chain"}
	genPlaces = []enrichd.Location{
		{City: "Paris", Country: "France", CountryCode: "FR"}, {City: "Berlin", Country: "Germany", CountryCode: "DE"},
		{City: "London", Country: "United Kingdom", CountryCode: "GB"}, {City: "New York", State: "New York", Country: "United States", CountryCode: "US"},
		{City: "San Francisco", State: "California", Country: "United States", CountryCode: "US"}, {City: "Madrid", Country: "Spain", CountryCode: "ES"},
		{City: "Stockholm", Country: "Sweden", CountryCode: "SE"}, {City: "Tokyo", Country: "Japan", CountryCode: "JP"},
		{City: "São Paulo", Country: "Brazil", CountryCode: "BR"}, {City: "Lagos", Country: "Nigeria", CountryCode: "NG"},
		{City: "Bangalore", Country: "India", CountryCode: "IN"}, {City: "Toronto", State: "Ontario", Country: "Canada", CountryCode: "CA"}}
	genSchools = []string{"MIT", "Université Paris-Saclay", "TU München", "University of Lagos", "Stanford University", "KTH", "IIT Bombay", "Universidad de Buenos Aires"}
	genPattern = []string{"{first}.{last}", "{f}{last}", "{first}", "{first}_{last}"}
)

// mix is a cheap deterministic hash of n and salt.
func mix(n, salt int) int {
	x := uint64(n)*0x9E3779B97F4A7C15 + uint64(salt)*0xBF58476D1CE4E5B9
	x ^= x >> 31
	x *= 0x94D049BB133111EB
	x ^= x >> 29
	return int(x >> 1)
}

func pick[T any](list []T, n, salt int) T { return list[mix(n, salt)%len(list)] }

// Company returns company number c.
func (g *Generator) Company(c int) *enrichd.Company {
	name := pick(genWords, c, 1) + " " + pick(genWords, c, 2) + " " + pick(genSuffix, c, 3)
	slug := strings.ToLower(strings.ReplaceAll(strings.TrimSuffix(name, " "+pick(genSuffix, c, 3)), " ", "-")) + fmt.Sprintf("-%d", c)
	size := []string{"1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000"}
	return &enrichd.Company{
		Name:          name,
		Domain:        slug + ".com",
		LinkedInURL:   "https://www.linkedin.com/company/" + slug,
		Industry:      pick(genIndustries, c, 4),
		EmployeeRange: pick(size, c, 5),
		FoundedYear:   1950 + mix(c, 6)%70,
		HQ:            pick(genPlaces, c, 7),
		Sources:       []enrichd.Provenance{{Source: g.Source, SeenAt: g.SeenAt}},
	}
}

// slugName lower-cases a name for an address or a URL, keeping letters only
// as ASCII where the accent is a common one.
func slugName(s string) string { return slugReplacer.Replace(strings.ToLower(s)) }

var slugReplacer = strings.NewReplacer("é", "e", "è", "e", "ë", "e", "ó", "o", "ö", "o", "ø", "o", "ü", "u", "á", "a", "í", "i",
	"ñ", "n", "ç", "c", "ř", "r", "ά", "a", "å", "a", "' ", "", "'", "", " ", "", "-", "")

// Record returns record n: person n with their current employer.
func (g *Generator) Record(n int) enrichd.IngestRecord {
	first, last := pick(genFirst, n, 11), pick(genLast, n, 12)
	// Employers follow a rough power law: a few large companies, a long tail.
	c := mix(n, 13) % g.Companies
	if mix(n, 14)%3 == 0 {
		c = mix(n, 15) % max(g.Companies/20, 1)
	}
	co := g.Company(c)
	t := pick(genTitles, n, 16)
	pattern := pick(genPattern, c, 17)
	local := strings.NewReplacer("{first}", slugName(first), "{last}", slugName(last), "{f}", slugName(first)[:1]).Replace(pattern)
	var skills []string
	for i := 0; i < 3+mix(n, 18)%4; i++ {
		if s := pick(genSkills, n, 19+i); !containsFold(skills, s) {
			skills = append(skills, s)
		}
	}
	start := fmt.Sprintf("%d-%02d", 2012+mix(n, 30)%13, 1+mix(n, 31)%12)
	jobs := []enrichd.Employment{{
		CompanyName: co.Name, CompanyDomain: co.Domain, CompanyLinkedInURL: co.LinkedInURL,
		Title: t.title, Seniority: t.seniority, Department: t.dept, Start: start, Current: true,
	}}
	for i := 0; i < mix(n, 32)%3; i++ {
		past := g.Company(mix(n, 33+i) % g.Companies)
		pt := pick(genTitles, n, 40+i)
		jobs = append(jobs, enrichd.Employment{
			CompanyName: past.Name, CompanyDomain: past.Domain, Title: pt.title, Seniority: pt.seniority,
			Start: fmt.Sprintf("%d", 2000+mix(n, 35+i)%12), End: fmt.Sprintf("%d", 2012+mix(n, 37+i)%3),
		})
	}
	p := &enrichd.Person{
		FullName: first + " " + last, FirstName: first, LastName: last,
		Headline:    t.title + " at " + co.Name,
		Title:       t.title,
		Seniority:   t.seniority,
		Departments: []string{t.dept},
		Location:    pick(genPlaces, n, 20),
		Languages:   []string{"English"},
		Skills:      skills,
		Employment:  jobs,
		Education:   []enrichd.Education{{School: pick(genSchools, n, 21), Degree: "MSc", Field: "Computer Science", Start: "2006", End: "2010"}},
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{
			{Address: fmt.Sprintf("%s%d@%s", local, n, co.Domain), Status: enrichd.StatusVerified, Source: g.Source}}},
		Social:      enrichd.Social{LinkedInURL: fmt.Sprintf("https://www.linkedin.com/in/%s-%s-%d", slugName(first), slugName(last), n)},
		Connections: mix(n, 22) % 500,
		Followers:   mix(n, 23) % 2000,
		Sources:     []enrichd.Provenance{{Source: g.Source, RecordID: fmt.Sprintf("%s:%d", g.Source, n+2), SeenAt: g.SeenAt}},
	}
	return enrichd.IngestRecord{Person: p, Company: co}
}

// Batch returns records from, from+1, … from+n-1.
func (g *Generator) Batch(from, n int) []enrichd.IngestRecord {
	out := make([]enrichd.IngestRecord, n)
	for i := range out {
		out[i] = g.Record(from + i)
	}
	return out
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
