// Package importbench measures `enrichd import` against `sqlite3 .import`
// (issue 2, "Import"; issue 6, item 2). It generates realistic people CSV
// files of any size; run.sh times both tools on the same file and Go
// benchmarks in this package time the importer without the CLI.
package importbench

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Header is the header row Generate writes: the column names of a typical
// CRM or prospecting-tool export, all matched by enrichd's aliases.
const Header = "First Name,Last Name,Email,LinkedIn URL,Job Title,Seniority,Company,Website,Company LinkedIn URL,Industry,Employees,City,Country,Phone,Skills"

var (
	firstNames = strings.Fields("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra José María Zoë Chloé Søren Jürgen François Ana Luís Björn Ingrid Mads Freja Ahmed Fatima Wei Mei Hiroshi Yuki Priya Arjun Olga Dmitri Aoife Siobhán Nuno Inês Łukasz Agnieszka Émilie Noël")
	lastNames  = strings.Fields("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Schröder Jørgensen Nielsen Sørensen Dubois Lefèvre Rossi Bianchi Kowalski Nowak Okafor Adeyemi Tanaka Suzuki Kim Park Chen Wang Singh Patel O'Brien Ní Bhriain García Márquez")
	titles     = []string{"Software Engineer", "Senior Software Engineer", "VP of Sales", "Account Executive", "Chief Technology Officer",
		"Marketing Manager", "Product Manager", "Data Scientist", "Head of People", "Director of Engineering",
		"Sales Development Representative", "Customer Success Manager", "CEO & Co-Founder", "Financial Analyst",
		"Operations Manager", "Director, Product", "Recruiter", "Staff Engineer", "Junior Developer", "Chief Financial Officer", "Designer"}
	seniorities = []string{"Entry", "Senior", "VP", "Manager", "C-Suite", "Director", "Senior", "Manager", "", ""}
	industries  = []string{"Computer Software", "Financial Services", "Marketing & Advertising", "Hospital & Health Care",
		"Information Technology & Services", "Retail", "Real Estate", "Higher Education", "Logistics", "Renewables"}
	sizes     = []string{"1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+"}
	skills    = strings.Fields("Go SQL Python Sales Negotiation Marketing Leadership Kubernetes Excel Salesforce Figma Java React Finance Recruiting Analytics")
	words     = strings.Fields("acme globex initech umbrella stark wayne tyrell cyberdyne hooli pied piper vandelay soylent wonka oscorp massive dynamic nakatomi gringotts aperture blue sun")
	suffixes  = []string{" Inc", " Ltd", " GmbH", " ApS", " LLC", "", "", " Group", " Labs", " Technologies"}
	tlds      = []string{".com", ".com", ".com", ".io", ".co.uk", ".de", ".dk", ".net"}
	locations = [][2]string{{"San Francisco", "United States"}, {"New York", "United States"}, {"Austin", "United States"},
		{"London", "United Kingdom"}, {"Berlin", "Germany"}, {"Copenhagen", "Denmark"}, {"Paris", "France"},
		{"Aarhus", "DK"}, {"Toronto", "Canada"}, {"Chicago", "US"}}
	areaCodes = []string{"415", "212", "512", "646", "312", "206", "617", "303"}
)

// company is one generated employer.
type company struct{ name, domain, slug, industry, size string }

// PeoplePerCompany is how many people of a generated file share an employer
// on average. It is the same at every size, so that a file's name look-ups
// meet blocks of the same size and a scale curve measures the store's size,
// not its block size (until 2026-12-04 companies were capped at 50,000 and
// 5M people had 100 a company).
const PeoplePerCompany = 20

// Companies is the number of companies Generate shares between rows people.
func Companies(rows int) int { return max(1, rows/PeoplePerCompany) }

// Generate writes a header and rows people to w. Rows are deterministic for a
// seed; every person has a unique LinkedIn URL and business email, and
// Companies(rows) companies are shared between them, so the file has the
// shape of a real prospect export. Values include accents, quoted fields with
// commas, and empty cells.
func Generate(w io.Writer, rows int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	nco := Companies(rows)
	cos := make([]company, nco)
	for i := range cos {
		a, b := words[r.IntN(len(words))], words[r.IntN(len(words))]
		base := fmt.Sprintf("%s%s%d", a, b, i)
		name := strings.ToUpper(a[:1]) + a[1:] + " " + strings.ToUpper(b[:1]) + b[1:] + fmt.Sprintf(" %d", i) + suffixes[r.IntN(len(suffixes))]
		cos[i] = company{name: name, domain: base + tlds[r.IntN(len(tlds))], slug: base,
			industry: industries[r.IntN(len(industries))], size: sizes[r.IntN(len(sizes))]}
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(Header + "\n")
	var sb strings.Builder
	for i := range rows {
		sb.Reset()
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		co := cos[r.IntN(nco)]
		loc := locations[r.IntN(len(locations))]
		slug := strings.ToLower(asciiOnly(first) + "-" + asciiOnly(last) + fmt.Sprintf("-%x", i))
		email := strings.ToLower(asciiOnly(first)+"."+asciiOnly(last)) + fmt.Sprintf("%d@", i) + co.domain
		website := co.domain
		if r.IntN(2) == 0 {
			website = "https://www." + co.domain + "/"
		}
		phone := ""
		if loc[1] == "United States" || loc[1] == "US" {
			phone = fmt.Sprintf("+1 (%s) %d%02d-%04d", areaCodes[r.IntN(len(areaCodes))], 2+r.IntN(8), r.IntN(100), r.IntN(10000))
		}
		var sk []string
		for range r.IntN(4) {
			sk = append(sk, skills[r.IntN(len(skills))])
		}
		fields := []string{first, last, email, "https://www.linkedin.com/in/" + slug, titles[r.IntN(len(titles))],
			seniorities[r.IntN(len(seniorities))], co.name, website, "https://www.linkedin.com/company/" + co.slug,
			co.industry, co.size, loc[0], loc[1], phone, strings.Join(sk, ";")}
		for j, f := range fields {
			if j > 0 {
				sb.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\n") {
				sb.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
			} else {
				sb.WriteString(f)
			}
		}
		sb.WriteByte('\n')
		if _, err := bw.WriteString(sb.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// asciiOnly drops the non-ASCII letters and punctuation of a name for slugs
// and mailbox names, as most mail systems do.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteRune(c)
		}
	}
	return b.String()
}
