// Package eval measures the matching engine: it generates a labelled
// benchmark (a people store and noisy queries of every kind issue 3 lists,
// including people who are not in the store), runs it through match.Engine,
// and reports precision, recall, false-match rate and calibration error per
// kind of query. It also runs the public FEBRL linkage datasets, which nobody
// on the team generated. `enrichd eval` prints its report.
package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// Query kinds. Kinds marked absent have no right answer in the store.
const (
	KindLinkedIn        = "linkedin_variant"
	KindEmail           = "email_variant"
	KindPersonalEmail   = "personal_email_variant"
	KindNameDomain      = "name+domain"
	KindNameCompany     = "name+company_name"
	KindNameCompanyLI   = "name+company_linkedin"
	KindNickname        = "nickname"
	KindTypo            = "typo"
	KindAccents         = "accents_dropped"
	KindLegalSuffix     = "legal_suffix_variant"
	KindMiddleInitial   = "middle_initial"
	KindReversed        = "last_first_order"
	KindSameLastName    = "same_last_name_colleague"
	KindNamesake        = "namesake_other_company"
	KindPastEmployer    = "past_employer"
	KindAbsent          = "absent"
	KindAbsentNamesake  = "absent_namesake"
	KindAbsentColleague = "absent_colleague"
)

// Kinds lists the query kinds in report order.
var Kinds = []string{
	KindLinkedIn, KindEmail, KindPersonalEmail, KindNameDomain, KindNameCompany, KindNameCompanyLI,
	KindNickname, KindTypo, KindAccents, KindLegalSuffix, KindMiddleInitial, KindReversed,
	KindSameLastName, KindNamesake, KindPastEmployer, KindAbsent, KindAbsentNamesake, KindAbsentColleague,
}

// IsAbsentKind reports whether queries of kind have no right answer.
func IsAbsentKind(kind string) bool { return strings.HasPrefix(kind, "absent") }

// Query is one labelled request.
type Query struct {
	Kind    string
	Req     enrichd.MatchRequest
	Want    int // index into Dataset.People of the right answer; -1 when absent
	Comment string
}

// Dataset is a generated store content plus labelled queries.
type Dataset struct {
	People    []*enrichd.Person  // each with its current company in Companies[i]
	Employers []*enrichd.Company // Employers[i] is People[i]'s current employer
	Queries   []Query
}

var firstNames = []string{
	"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
	"Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kenneth", "Kevin",
	"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
	"Margaret", "Katherine", "Nancy", "Rebecca", "Deborah", "Jacqueline", "Samantha", "Victoria", "Alexandra", "Catherine",
	"José", "María", "François", "Zoë", "Søren", "Jürgen", "Łukasz", "Chloé", "Renée", "André",
	"Jean-Charles", "Marie-Claire", "Anna-Lena", "Ángel", "Inés", "Björn", "Håkon", "Oğuz", "Siobhán", "Seán",
	"Priya", "Rahul", "Aarav", "Ananya", "Wei", "Mei", "Hiroshi", "Yuki", "Chinedu", "Ngozi",
	"Oluwaseun", "Fatima", "Mohammed", "Aisha", "Omar", "Leila", "Dmitri", "Olga", "Ivan", "Katarzyna",
	"Giulia", "Lorenzo", "Francesca", "Matteo", "Lucas", "Emma", "Liam", "Olivia", "Noah", "Sophie",
	"Benjamin", "Nicholas", "Alexander", "Timothy", "Peter", "Gregory", "Frederick", "Theodore", "Jonathan", "Edward",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
	"Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Dubois", "Lefèvre", "Moreau", "Girard", "Bonnet", "Núñez", "Peña", "García Márquez", "Fernández", "Ødegaard",
	"Kowalski", "Nowak", "Wiśniewski", "Novák", "Horváth", "Nagy", "Popescu", "Ivanov", "Petrov", "Sokolov",
	"van der Berg", "de Jong", "Jansen", "de Vries", "O'Brien", "O'Connor", "McCarthy", "MacDonald", "Murphy", "Kelly",
	"Okafor", "Adeyemi", "Mensah", "Nakamura", "Tanaka", "Suzuki", "Watanabe", "Kim", "Park", "Nguyen",
	"Tran", "Chen", "Wang", "Zhang", "Liu", "Patel", "Sharma", "Gupta", "Singh", "Kumar",
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsen", "Hansen", "Pedersen", "Nielsen", "Jensen",
	"Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Carvalho", "Almeida", "Ribeiro", "Barbosa",
	"Whitfield", "Ashworth", "Pemberton", "Thistlewood", "Blackwood", "Fairbairn", "Hargreaves", "Kingsley", "Lockhart", "Merriweather",
	"Abernathy", "Brannigan", "Castellano", "Delacroix", "Everhart", "Fitzgerald", "Galloway", "Halvorsen", "Iversen", "Jorgensen",
}

var nicknames = map[string][]string{
	"Robert": {"Bob", "Rob", "Bobby"}, "William": {"Bill", "Will", "Billy"}, "Richard": {"Rick", "Dick", "Rich"},
	"James": {"Jim", "Jimmy"}, "John": {"Jack", "Johnny"}, "Michael": {"Mike", "Mikey"}, "Joseph": {"Joe", "Joey"},
	"Thomas": {"Tom", "Tommy"}, "Charles": {"Charlie", "Chuck"}, "Christopher": {"Chris"}, "Daniel": {"Dan", "Danny"},
	"Matthew": {"Matt"}, "Anthony": {"Tony"}, "Steven": {"Steve"}, "Andrew": {"Andy", "Drew"}, "Joshua": {"Josh"},
	"Kenneth": {"Ken", "Kenny"}, "Elizabeth": {"Liz", "Beth", "Betty"}, "Patricia": {"Pat", "Patty"},
	"Jennifer": {"Jen", "Jenny"}, "Margaret": {"Maggie", "Peggy", "Meg"}, "Katherine": {"Kate", "Kathy", "Katie"},
	"Rebecca": {"Becky"}, "Deborah": {"Debbie", "Deb"}, "Samantha": {"Sam"}, "Victoria": {"Vicky", "Tori"},
	"Alexandra": {"Alex", "Sandra"}, "Catherine": {"Cathy", "Kate"}, "Susan": {"Sue", "Susie"}, "Benjamin": {"Ben"},
	"Nicholas": {"Nick"}, "Alexander": {"Alex"}, "Timothy": {"Tim"}, "Gregory": {"Greg"}, "Frederick": {"Fred"},
	"Theodore": {"Ted", "Theo"}, "Jonathan": {"Jon"}, "Edward": {"Ed", "Ted", "Eddie"}, "Peter": {"Pete"},
	"Jacqueline": {"Jackie"}, "Barbara": {"Barb"},
}

var companyWords = []string{
	"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell",
	"Cyberdyne", "Soylent", "Massive", "Aperture", "Black Mesa", "Oscorp", "Nakatomi", "Gringotts", "Monarch", "Dunder",
	"Blue Harbor", "Northwind", "Contoso", "Fabrikam", "Litware", "Adatum", "Proseware", "Tailspin", "Woodgrove", "Lucerne",
	"Nordlicht", "Solaris", "Helix", "Quantum", "Vertex", "Pinnacle", "Summit", "Evergreen", "Redwood", "Silverline",
	"Brightpath", "Clearwater", "Ironclad", "Keystone", "Lighthouse", "Meridian", "Northstar", "Orchard", "Pioneer", "Riverbend",
}
var companySuffixWords = []string{"Labs", "Systems", "Analytics", "Software", "Logistics", "Health", "Energy", "Foods", "Capital", "Robotics", "Media", "Bio", "Networks", "Consulting", "Studios", ""}
var legalForms = []string{"Inc.", "LLC", "Ltd", "GmbH", "S.A.", "B.V.", "Pty Ltd", "AB", "Corporation", "", "", ""}
var legalVariants = map[string][]string{
	"Inc.": {"Inc", "Incorporated", ", Inc.", ""}, "LLC": {"L.L.C.", ""}, "Ltd": {"Limited", "Ltd.", ""},
	"GmbH": {"G.m.b.H.", ""}, "S.A.": {"SA", ""}, "B.V.": {"BV", ""}, "Pty Ltd": {"Pty. Ltd.", ""}, "AB": {""},
	"Corporation": {"Corp.", "Corp", ""}, "": {"Inc.", "Ltd", "LLC"},
}
var titles = []string{
	"Software Engineer", "Senior Software Engineer", "Engineering Manager", "VP of Engineering", "Product Manager",
	"Account Executive", "Sales Director", "Marketing Manager", "Data Scientist", "Chief Financial Officer",
	"HR Business Partner", "Recruiter", "Customer Success Manager", "Operations Manager", "Legal Counsel",
	"UX Designer", "Financial Analyst", "CEO", "CTO", "Marketing Intern",
}
var cities = []struct{ city, country, cc string }{
	{"London", "United Kingdom", "GB"}, {"Berlin", "Germany", "DE"}, {"Paris", "France", "FR"}, {"New York", "United States", "US"},
	{"San Francisco", "United States", "US"}, {"Copenhagen", "Denmark", "DK"}, {"Madrid", "Spain", "ES"}, {"Bengaluru", "India", "IN"},
	{"Lagos", "Nigeria", "NG"}, {"Tokyo", "Japan", "JP"}, {"São Paulo", "Brazil", "BR"}, {"Stockholm", "Sweden", "SE"},
}
var patterns = []string{"{first}.{last}", "{first}.{last}", "{first}.{last}", "{f}{last}", "{f}{last}", "{first}", "{first}{last}", "{first}_{last}", "{f}.{last}", "{last}{f}"}
var freeDomains = []string{"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com"}

// Config sizes a generated benchmark.
type Config struct {
	Seed      uint64
	Companies int // default 400
	People    int // default 20,000
	Queries   int // per kind; default 200
	// Kinds restricts the queries to these kinds; nil means all.
	Kinds []string
}

type genCompany struct {
	c         *enrichd.Company
	base      string // name without legal form
	legal     string
	pattern   string
	employees []int // indexes into people
}

type generator struct {
	r         *rand.Rand
	cfg       Config
	companies []*genCompany
	people    []*enrichd.Person
	employer  []int
	slugs     map[string]bool
	emails    map[string]bool
	taken     map[int]map[string]bool
	names     map[string][]int // folded "first|last" -> people
}

// zipf picks an index in [0, n) with a heavy head, so that some names are
// common ("Smith") and many rare ("Okafor").
func (g *generator) zipf(n int) int {
	for {
		x := int(float64(n) * g.r.Float64() * g.r.Float64() * g.r.Float64() * 3)
		if x < n {
			return x
		}
	}
}

// Generate builds a deterministic benchmark from cfg.
func Generate(cfg Config) *Dataset {
	if cfg.Companies <= 0 {
		cfg.Companies = 400
	}
	if cfg.People <= 0 {
		cfg.People = 20000
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 200
	}
	g := &generator{r: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), cfg: cfg, slugs: map[string]bool{}, emails: map[string]bool{}, taken: map[int]map[string]bool{}, names: map[string][]int{}}
	usedNames := map[string]bool{}
	for len(g.companies) < cfg.Companies {
		base := strings.TrimSpace(companyWords[g.r.IntN(len(companyWords))] + " " + companySuffixWords[g.r.IntN(len(companySuffixWords))])
		// Past the 800 word pairs, number them ("Acme Labs 7").
		for k := 2; usedNames[base]; k++ {
			if len(usedNames) < 700 {
				break
			}
			base = fmt.Sprintf("%s %d", strings.TrimRight(base, "0123456789 "), k)
		}
		if usedNames[base] {
			continue
		}
		usedNames[base] = true
		legal := legalForms[g.r.IntN(len(legalForms))]
		name := base
		if legal != "" {
			name = base + " " + legal
		}
		slug := strings.ReplaceAll(match.Fold(base), " ", "")
		tlds := []string{".com", ".io", ".de", ".co.uk", ".fr", ".com"}
		c := &enrichd.Company{
			Name: name, Domain: slug + tlds[g.r.IntN(len(tlds))],
			LinkedInURL:   "https://www.linkedin.com/company/" + strings.ReplaceAll(match.Fold(base), " ", "-"),
			EmployeeCount: 0,
		}
		g.companies = append(g.companies, &genCompany{c: c, base: base, legal: legal, pattern: patterns[g.r.IntN(len(patterns))]})
	}
	for i := 0; i < cfg.People; i++ {
		ci := g.zipf(len(g.companies))
		p := g.newPerson(ci)
		if p == nil {
			i--
			continue
		}
		g.people = append(g.people, p)
		g.employer = append(g.employer, ci)
		g.companies[ci].employees = append(g.companies[ci].employees, i)
	}
	for _, gc := range g.companies {
		gc.c.EmployeeCount = max(len(gc.employees), 1) * 3 // the store holds a third of the staff (unused by the engine)
	}
	d := &Dataset{People: g.people}
	for _, ci := range g.employer {
		d.Employers = append(d.Employers, g.companies[ci].c)
	}
	kinds := Kinds
	if cfg.Kinds != nil {
		kinds = cfg.Kinds
	}
	for _, kind := range kinds {
		for n := 0; n < cfg.Queries; n++ {
			if q, ok := g.query(kind); ok {
				d.Queries = append(d.Queries, q)
			}
		}
	}
	return d
}

func (g *generator) newPerson(ci int) *enrichd.Person {
	gc := g.companies[ci]
	first := firstNames[g.zipf(len(firstNames))]
	last := lastNames[g.zipf(len(lastNames))]
	// NOTE: two people with one name at one company are indistinguishable by
	// name and company; real data has few, so the generator has none.
	if g.taken[ci][match.Fold(first)+"|"+match.Fold(last)] {
		return nil
	}
	if g.taken[ci] == nil {
		g.taken[ci] = map[string]bool{}
	}
	g.taken[ci][match.Fold(first)+"|"+match.Fold(last)] = true
	p := &enrichd.Person{FirstName: first, LastName: last, FullName: first + " " + last}
	if g.r.IntN(5) == 0 {
		p.MiddleName = string("ABCDEFGHJKLMNPRSTW"[g.r.IntN(18)])
	}
	loc := cities[g.r.IntN(len(cities))]
	p.Location = enrichd.Location{City: loc.city, Country: loc.country, CountryCode: loc.cc}
	p.Title = titles[g.r.IntN(len(titles))]
	slug := strings.ReplaceAll(match.Fold(first+" "+last), " ", "-")
	for g.slugs[slug] {
		slug = fmt.Sprintf("%s-%x", strings.ReplaceAll(match.Fold(first+" "+last), " ", "-"), g.r.Uint32()%0xfffff)
	}
	g.slugs[slug] = true
	if g.r.IntN(10) < 8 {
		p.Social.LinkedInURL = "https://www.linkedin.com/in/" + slug
	}
	if g.r.IntN(10) < 7 {
		if local := match.RenderEmailPattern(gc.pattern, first, last, ""); local != "" {
			a := g.unique(local, "@"+gc.c.Domain)
			p.Contact.BusinessEmails = []enrichd.Email{{Address: a, Status: enrichd.StatusVerified}}
		}
	}
	if g.r.IntN(10) < 3 || (p.Social.LinkedInURL == "" && len(p.Contact.BusinessEmails) == 0) {
		local := strings.ReplaceAll(match.Fold(first+"."+last), " ", "") + fmt.Sprint(g.r.IntN(100))
		p.Contact.PersonalEmails = []enrichd.Email{{Address: g.unique(local, "@"+freeDomains[g.r.IntN(len(freeDomains))])}}
	}
	p.Employment = []enrichd.Employment{{CompanyName: gc.c.Name, CompanyDomain: gc.c.Domain, Title: p.Title, Current: true, Start: "2021"}}
	if g.r.IntN(10) < 3 {
		past := g.companies[g.r.IntN(len(g.companies))]
		if past != gc {
			p.Employment = append(p.Employment, enrichd.Employment{CompanyName: past.c.Name, CompanyDomain: past.c.Domain, Title: "Analyst", Start: "2015", End: "2020"})
		}
	}
	key := match.Fold(first) + "|" + match.Fold(last)
	g.names[key] = append(g.names[key], len(g.people))
	return p
}

// unique returns local+domain, with a number appended to local when the
// address is taken (as mail admins do for a second John Smith).
func (g *generator) unique(local, domain string) string {
	a := local + domain
	for n := 2; g.emails[normalized(a)]; n++ {
		a = fmt.Sprintf("%s%d%s", local, n, domain)
	}
	g.emails[normalized(a)] = true
	return a
}

func normalized(a string) string {
	n, _ := match.NormalizeEmail(a)
	return n
}
