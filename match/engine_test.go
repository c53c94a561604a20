package match_test

import (
	"context"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/memstore"
)

// MustStore returns an in-memory store with a few people at two companies.
func MustStore(tb testing.TB) (*memstore.Store, map[string]string) {
	tb.Helper()
	s := memstore.New(match.NewKeyer())
	acme := func() *enrichd.Company {
		return &enrichd.Company{Name: "Acme Inc.", Domain: "acme.com", LinkedInURL: "https://www.linkedin.com/company/acme"}
	}
	globex := func() *enrichd.Company { return &enrichd.Company{Name: "Globex GmbH", Domain: "globex.de"} }
	ids := map[string]string{}
	add := func(key string, p *enrichd.Person, c *enrichd.Company) {
		if c != nil {
			p.Employment = append([]enrichd.Employment{{CompanyName: c.Name, CompanyDomain: c.Domain, Current: true}}, p.Employment...)
		}
		id, err := s.Add(p, c)
		if err != nil {
			tb.Fatal(err)
		}
		ids[key] = id
	}
	add("jane", &enrichd.Person{FirstName: "Jane", LastName: "Okafor", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/jane-okafor"},
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "jane.okafor@acme.com"}}}}, acme())
	add("robert", &enrichd.Person{FirstName: "Robert", LastName: "Smith", Location: enrichd.Location{City: "London", CountryCode: "GB"},
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "robert.smith@acme.com"}}}}, acme())
	add("mary", &enrichd.Person{FirstName: "Mary", LastName: "Smith", Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "mary.smith@acme.com"}}}}, acme())
	add("jc", &enrichd.Person{FirstName: "Jean-Charles", LastName: "Dupont", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/jcdupont"}}, acme())
	add("twin1", &enrichd.Person{FirstName: "Ana", LastName: "Lima", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/ana-lima-1"}}, globex())
	add("twin2", &enrichd.Person{FirstName: "Ana", LastName: "Lima", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/ana-lima-2"}}, globex())
	add("mover", &enrichd.Person{FirstName: "Zed", LastName: "Quigley", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/zq"},
		Employment: []enrichd.Employment{{CompanyName: "Acme Inc.", CompanyDomain: "acme.com", End: "2020"}}}, globex())
	return s, ids
}

func TestEngine_MatchPerson(t *testing.T) {
	s, ids := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		req     enrichd.MatchRequest
		want    string // key in ids, "" for no confident match
		on      string
		minConf float64
	}{
		{"LinkedIn", enrichd.MatchRequest{LinkedInURL: "uk.linkedin.com/in/Jane-Okafor/"}, "jane", enrichd.MatchOnLinkedIn, 0.99},
		{"Email", enrichd.MatchRequest{Email: "mailto:JANE.OKAFOR@acme.com"}, "jane", enrichd.MatchOnEmail, 0.99},
		{"NameDomain", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "https://www.acme.com/"}, "jane", enrichd.MatchOnName, 0.9},
		{"NameCompanyLegalForm", enrichd.MatchRequest{FullName: "Dr. Jane Okafor", CompanyName: "ACME"}, "jane", enrichd.MatchOnName, 0.9},
		{"CompanyLinkedIn", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyLinkedInURL: "linkedin.com/company/acme/about"}, "jane", enrichd.MatchOnName, 0.9},
		{"Nickname", enrichd.MatchRequest{FirstName: "Bob", LastName: "Smith", CompanyDomain: "acme.com"}, "robert", enrichd.MatchOnName, 0.5},
		{"Typo", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafur", CompanyDomain: "acme.com"}, "jane", enrichd.MatchOnName, 0.5},
		{"Reversed", enrichd.MatchRequest{FullName: "Okafor, Jane", CompanyDomain: "acme.com"}, "jane", enrichd.MatchOnName, 0.9},
		{"CompoundFirstPart", enrichd.MatchRequest{FirstName: "Jean", LastName: "Dupont", CompanyDomain: "acme.com"}, "jc", enrichd.MatchOnName, 0.5},
		{"PastEmployer", enrichd.MatchRequest{FirstName: "Zed", LastName: "Quigley", CompanyDomain: "acme.com"}, "mover", enrichd.MatchOnName, 0.3},
		{"Colleague", enrichd.MatchRequest{FirstName: "Mary", LastName: "Smith", CompanyDomain: "acme.com"}, "mary", enrichd.MatchOnName, 0.9},
		{"AbsentColleague", enrichd.MatchRequest{FirstName: "Thomas", LastName: "Smith", CompanyDomain: "acme.com"}, "", "", 0},
		{"AbsentElsewhere", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "globex.de"}, "", "", 0},
		{"UnknownLinkedIn", enrichd.MatchRequest{LinkedInURL: "https://www.linkedin.com/in/nobody"}, "", "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := e.MatchPerson(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			b := m.Best()
			if tt.want == "" {
				if b != nil && b.Confidence >= match.DefaultMinConfidence {
					t.Fatalf("matched %s %s with %.3f, want no match", b.Person.FirstName, b.Person.LastName, b.Confidence)
				}
				return
			}
			if b == nil || b.Person.ID != ids[tt.want] {
				t.Fatalf("best=%+v, want %s", b, tt.want)
			}
			if b.Confidence < tt.minConf || b.Confidence > 1 {
				t.Errorf("confidence %.3f, want >= %.2f", b.Confidence, tt.minConf)
			}
			if b.MatchedOn != tt.on {
				t.Errorf("matched on %q, want %q", b.MatchedOn, tt.on)
			}
		})
	}
}

// Ensure two people who fit equally both get low confidence and are both returned.
func TestEngine_Ambiguity(t *testing.T) {
	s, ids := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	m, err := e.MatchPerson(context.Background(), enrichd.MatchRequest{FirstName: "Ana", LastName: "Lima", CompanyDomain: "globex.de", TopK: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Candidates) != 2 {
		t.Fatalf("%d candidates, want 2", len(m.Candidates))
	}
	for _, c := range m.Candidates {
		if c.Confidence > 0.6 {
			t.Errorf("candidate %s confidence %.3f, want <= 0.6 (ambiguous)", c.Person.ID, c.Confidence)
		}
		if c.Person.ID != ids["twin1"] && c.Person.ID != ids["twin2"] {
			t.Errorf("unexpected candidate %s", c.Person.ID)
		}
	}
	// Any identifier settles it.
	m, err = e.MatchPerson(context.Background(), enrichd.MatchRequest{FirstName: "Ana", LastName: "Lima", CompanyDomain: "globex.de", LinkedInURL: "linkedin.com/in/ana-lima-2"})
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Best(); b == nil || b.Person.ID != ids["twin2"] || b.Confidence < 0.99 {
		t.Fatalf("best=%+v, want twin2 with high confidence", b)
	}
}

// Ensure every match explains itself, and conflicting evidence lowers the score.
func TestEngine_EvidenceAndConflict(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	ctx := context.Background()
	base := enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "acme.com", Explain: true}
	m, err := e.MatchPerson(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	b := m.Best()
	fields := map[string]enrichd.Evidence{}
	for _, ev := range b.Evidence {
		fields[ev.Field] = ev
	}
	for _, f := range []string{"first_name", "last_name", "company"} {
		if ev, ok := fields[f]; !ok || ev.Level != match.LevelExact || ev.Weight <= 0 {
			t.Errorf("evidence %s=%+v, want a positive exact agreement", f, ev)
		}
	}
	// Another address at the same domain, and a different LinkedIn profile.
	for _, req := range []enrichd.MatchRequest{
		{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "acme.com", Email: "j.okafor@acme.com", Explain: true},
		{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "acme.com", LinkedInURL: "linkedin.com/in/someone-else", Explain: true},
	} {
		m2, err := e.MatchPerson(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if b2 := m2.Best(); b2 != nil && b2.Confidence >= b.Confidence {
			t.Errorf("conflicting request %+v kept confidence %.3f >= %.3f", req, b2.Confidence, b.Confidence)
		}
	}
	// Without Explain, no evidence.
	base.Explain = false
	m, _ = e.MatchPerson(ctx, base)
	if len(m.Best().Evidence) != 0 {
		t.Error("evidence without Explain")
	}
}

func TestEngine_Invalid(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	for _, tt := range []struct {
		name  string
		req   enrichd.MatchRequest
		field string
	}{
		{"Empty", enrichd.MatchRequest{}, ""},
		{"NameOnly", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor"}, "company"},
		{"FirstOnly", enrichd.MatchRequest{FirstName: "Jane", CompanyDomain: "acme.com"}, "name"},
		{"BadLinkedIn", enrichd.MatchRequest{LinkedInURL: "https://example.com/in/x"}, "linkedin_url"},
		{"BadEmail", enrichd.MatchRequest{Email: "not-an-email"}, "email"},
		{"BadDomain", enrichd.MatchRequest{FirstName: "A", LastName: "B", CompanyDomain: "localhost"}, "company_domain"},
		{"BadPhone", enrichd.MatchRequest{Phone: "12"}, "phone"},
		{"BadCompanyLinkedIn", enrichd.MatchRequest{FirstName: "A", LastName: "B", CompanyLinkedInURL: "linkedin.com/in/x"}, "company_linkedin_url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.MatchPerson(context.Background(), tt.req)
			ae := enrichd.AsError(err)
			if ae == nil || ae.Code != enrichd.EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			if tt.field != "" && ae.Fields[tt.field] == "" {
				t.Errorf("fields=%v, want %q", ae.Fields, tt.field)
			}
		})
	}
}

// Ensure a well-formed international number that is not assigned (Ocean's
// documentation example) is a hint, not a client error.
func TestEngine_UnassignedPhoneIsAHint(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	_, err := e.MatchPerson(context.Background(), enrichd.MatchRequest{
		FirstName: "John", LastName: "Doe", CompanyDomain: "ocean.io", Phone: "+45 12345678",
	})
	if err != nil {
		t.Fatalf("err=%v, want none", err)
	}
}

func TestEngine_TopKAndThreshold(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	ctx := context.Background()
	m, _ := e.MatchPerson(ctx, enrichd.MatchRequest{FirstName: "Ana", LastName: "Lima", CompanyDomain: "globex.de"})
	if len(m.Candidates) != 1 {
		t.Fatalf("TopK 0: %d candidates, want 1", len(m.Candidates))
	}
	m, _ = e.MatchPerson(ctx, enrichd.MatchRequest{FirstName: "Ana", LastName: "Lima", CompanyDomain: "globex.de", TopK: 5, MinConfidence: 0.9})
	if len(m.Candidates) != 0 {
		t.Fatalf("MinConfidence 0.9 on an ambiguous pair: %d candidates, want 0", len(m.Candidates))
	}
	if m.Company == nil || m.Company.Domain != "globex.de" || m.CompanyConfidence < 0.9 {
		t.Errorf("company=%+v %.2f, want globex.de resolved even without a person", m.Company, m.CompanyConfidence)
	}
}

// Ensure the email finder guesses from the domain's dominant pattern, keeps
// compound first names whole, and never guesses over a stored address.
func TestEngine_GuessedEmail(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(s, s, match.NewKeyer())
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		req  enrichd.MatchRequest
		want string
	}{
		{"Compound", enrichd.MatchRequest{FirstName: "Jean-Charles", LastName: "Dupont", CompanyDomain: "acme.com"}, "jean-charles.dupont@acme.com"},
		{"Absent", enrichd.MatchRequest{FirstName: "Léa", LastName: "Martin", CompanyDomain: "acme.com"}, "lea.martin@acme.com"},
		{"Stored", enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "acme.com"}, ""},
		{"NoPattern", enrichd.MatchRequest{FirstName: "Ana", LastName: "Lima", CompanyDomain: "globex.de"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := e.MatchPerson(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			g := m.GuessedEmail
			if tt.want == "" {
				if g != nil {
					t.Fatalf("guessed %+v, want none", g)
				}
				return
			}
			if g == nil || g.Address != tt.want || g.Status != enrichd.StatusGuessed || g.Pattern != "{first}.{last}" || g.Confidence <= 0.5 || g.Confidence >= 1 {
				t.Fatalf("guessed %+v, want %s", g, tt.want)
			}
		})
	}
}

func TestInferEmailPattern(t *testing.T) {
	g, ok := match.InferEmailPattern([]enrichd.NamedEmail{
		{Address: "jsmith@x.com", FirstName: "John", LastName: "Smith"},
		{Address: "mdoe@x.com", FirstName: "Mary", LastName: "Doe"},
		{Address: "jeancharles.d@x.com", FirstName: "Jean-Charles", LastName: "D"},
		{Address: "jcdupont@x.com", FirstName: "Jean-Charles", LastName: "Dupont"},
		{Address: "info@x.com"},
	})
	// "jcdupont" (initials of a compound name) follows no pattern; "jeancharles.d" is {first}.{last} joined.
	if !ok || g.Pattern != "{f}{last}" || g.Support != 2 || g.Sample != 3 || g.CompoundStyle != "joined" {
		t.Fatalf("guess=%+v", g)
	}
	if _, ok := match.InferEmailPattern(nil); ok {
		t.Fatal("pattern from nothing")
	}
	if got := match.RenderEmailPattern("{first}.{last}", "Jean-Charles", "de la Tour", "joined"); got != "jeancharles.delatour" {
		t.Errorf("render=%q", got)
	}
	if got := match.RenderEmailPattern("{first}.{last}", "Zoë", "O'Brien", ""); got != "zoe.obrien" {
		t.Errorf("render=%q", got)
	}
}

func TestEngine_MatchCompany(t *testing.T) {
	s, _ := MustStore(t)
	s.AddCompany(&enrichd.Company{Name: "Acme Ltd", Domain: "acme.co.uk"})
	e := match.NewEngine(s, s, match.NewKeyer())
	ctx := context.Background()
	c, conf, err := e.MatchCompany(ctx, enrichd.CompanyQuery{Domain: "https://WWW.ACME.COM/about"})
	if err != nil || c.Domain != "acme.com" || conf < 0.9 {
		t.Fatalf("by domain: %+v %.2f %v", c, conf, err)
	}
	c, conf, err = e.MatchCompany(ctx, enrichd.CompanyQuery{LinkedInURL: "linkedin.com/company/acme/"})
	if err != nil || c.Domain != "acme.com" || conf < 0.9 {
		t.Fatalf("by LinkedIn: %+v %.2f %v", c, conf, err)
	}
	// Two companies normalise to "acme": the name alone is ambiguous.
	_, conf, err = e.MatchCompany(ctx, enrichd.CompanyQuery{Name: "ACME"})
	if err != nil || conf > 0.5 {
		t.Fatalf("ambiguous name: conf %.2f err %v, want <= 0.5", conf, err)
	}
	if _, _, err := e.MatchCompany(ctx, enrichd.CompanyQuery{Name: "Nonexistent Widgets"}); enrichd.ErrorCode(err) != enrichd.ENOTFOUND {
		t.Fatalf("unknown: err=%v, want ENOTFOUND", err)
	}
	for _, q := range []enrichd.CompanyQuery{{}, {Domain: "not a domain"}, {LinkedInURL: "https://example.com"}} {
		if _, _, err := e.MatchCompany(ctx, q); enrichd.ErrorCode(err) != enrichd.EINVALID {
			t.Errorf("%+v: err=%v, want EINVALID", q, err)
		}
	}
}

// Ensure the engine reads the store only by key: a store that fails every
// call surfaces as an error, never a panic, and nothing is cached from it.
func TestEngine_StoreErrors(t *testing.T) {
	s, _ := MustStore(t)
	e := match.NewEngine(failing{s}, failing{s}, match.NewKeyer())
	_, err := e.MatchPerson(context.Background(), enrichd.MatchRequest{FirstName: "Jane", LastName: "Okafor", CompanyDomain: "acme.com"})
	if err == nil || !strings.Contains(err.Error(), "store down") {
		t.Fatalf("err=%v, want the store error", err)
	}
}

type failing struct{ *memstore.Store }

func (f failing) FindPersonIDsByKeys(context.Context, []string, int) (map[string][]string, error) {
	return nil, errStoreDown
}
func (f failing) FindCompanyIDsByKeys(context.Context, []string, int) (map[string][]string, error) {
	return nil, errStoreDown
}

var errStoreDown = enrichd.Errorf(enrichd.EUNAVAILABLE, "store down")
