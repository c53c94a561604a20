// Package storetest is the conformance suite of the enrichd stores: every
// backend (sqlite, postgres) runs Run against itself, so that both behave
// exactly alike (litestream's RunWithReplicaClient pattern).
package storetest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// Stores are the services of one empty store under test. Ingest must index
// with storetest's Keyer (NewKeyer), whose keys the suite looks up.
type Stores struct {
	People    enrichd.PersonService
	Companies enrichd.CompanyService
	Ingest    enrichd.IngestService
}

// Run runs the conformance suite. open returns the services of a new, empty
// store and arranges its cleanup with tb.Cleanup; it is called once per subtest.
func Run(t *testing.T, open func(tb testing.TB) Stores) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Stores)
	}{
		{"IngestNew", testIngestNew},
		{"IngestCompanyOnly", testIngestCompanyOnly},
		{"IngestUnchanged", testIngestUnchanged},
		{"ReingestIdempotent", testReingestIdempotent},
		{"MergeByLinkedIn", testMergeByLinkedIn},
		{"MergeByBusinessEmail", testMergeByBusinessEmail},
		{"OlderRecordFillsBlanks", testOlderRecordFillsBlanks},
		{"MergeIntoOldest", testMergeIntoOldest},
		{"LinkedInConflictDoesNotMerge", testLinkedInConflict},
		{"DuplicateInBatch", testDuplicateInBatch},
		{"CompanyMergeByDomain", testCompanyMergeByDomain},
		{"CompanyMergeByLinkedIn", testCompanyMergeByLinkedIn},
		{"CompanyMergeByName", testCompanyMergeByName},
		{"CompanyNameConflict", testCompanyNameConflict},
		{"NoIdentifier", testNoIdentifier},
		{"PersonKnownOnlyByCompany", testPersonKnownOnlyByCompany},
		{"FindPersonIDsByKeys", testFindPersonIDsByKeys},
		{"KeysReplacedOnUpdate", testKeysReplacedOnUpdate},
		{"CountKeys", testCountKeys},
		{"FindEmailsAtDomain", testFindEmailsAtDomain},
		{"FindPeopleByIDsOrder", testFindPeopleByIDsOrder},
		{"FindCompanies", testFindCompanies},
		{"NotFound", testNotFound},
		{"ConcurrentIngest", testConcurrentIngest},
		{"Canceled", testCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

var (
	t0     = time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	t1     = t0.Add(24 * time.Hour)
	t2     = t1.Add(24 * time.Hour)
	idExpr = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// NewPerson returns a generated person #n working at acme, seen at t0.
func NewPerson(n int) *enrichd.Person {
	first, last := fmt.Sprintf("Ann%d", n), fmt.Sprintf("Lee%d", n)
	return &enrichd.Person{
		FullName:  first + " " + last,
		FirstName: first,
		LastName:  last,
		Title:     "Engineer",
		Skills:    []string{"Go", "SQL"},
		Location:  enrichd.Location{City: "Paris", Country: "France", CountryCode: "FR"},
		Employment: []enrichd.Employment{
			{CompanyName: "Acme Inc", CompanyDomain: "acme.com", Title: "Engineer", Start: "2020", Current: true},
		},
		Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: strings.ToLower(first+"."+last) + "@acme.com", Status: enrichd.StatusVerified}}},
		Social:  enrichd.Social{LinkedInURL: fmt.Sprintf("https://www.linkedin.com/in/ann-lee-%d", n)},
		Sources: []enrichd.Provenance{{Source: "people.csv", RecordID: fmt.Sprintf("people.csv:%d", n+1), SeenAt: t0}},
	}
}

// NewCompany returns the company of NewPerson, seen at t0.
func NewCompany() *enrichd.Company {
	return &enrichd.Company{
		Name:        "Acme Inc",
		Domain:      "acme.com",
		LinkedInURL: "https://www.linkedin.com/company/acme",
		Industry:    "Software",
		Sources:     []enrichd.Provenance{{Source: "people.csv", RecordID: "people.csv:2", SeenAt: t0}},
	}
}

func mustIngest(tb testing.TB, s Stores, recs ...enrichd.IngestRecord) []enrichd.IngestResult {
	tb.Helper()
	res, err := s.Ingest.Ingest(context.Background(), recs)
	if err != nil {
		tb.Fatalf("Ingest: %v", err)
	}
	if got, want := len(res), len(recs); got != want {
		tb.Fatalf("len(results)=%d, want %d", got, want)
	}
	return res
}

func mustPerson(tb testing.TB, s Stores, id string) *enrichd.Person {
	tb.Helper()
	p, err := s.People.FindPersonByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("FindPersonByID(%s): %v", id, err)
	}
	return p
}

func mustCompany(tb testing.TB, s Stores, id string) *enrichd.Company {
	tb.Helper()
	c, err := s.Companies.FindCompanyByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("FindCompanyByID(%s): %v", id, err)
	}
	return c
}

func mustCount(tb testing.TB, s Stores, want int) {
	tb.Helper()
	n, err := s.People.CountPeople(context.Background())
	if err != nil {
		tb.Fatal(err)
	} else if n != want {
		tb.Fatalf("CountPeople=%d, want %d", n, want)
	}
}

func idsByKey(tb testing.TB, s Stores, key string) []string {
	tb.Helper()
	m, err := s.People.FindPersonIDsByKeys(context.Background(), []string{key}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return m[key]
}

// Ensure a new person with a company is stored whole, linked to the company,
// and indexed under its keys.
func testIngestNew(t *testing.T, s Stores) {
	p := NewPerson(1)
	res := mustIngest(t, s, enrichd.IngestRecord{Person: p, Company: NewCompany()})[0]
	if res.PersonOutcome != enrichd.OutcomeNew || res.CompanyOutcome != enrichd.OutcomeNew {
		t.Fatalf("outcomes=%q/%q, want new/new", res.PersonOutcome, res.CompanyOutcome)
	}
	if !idExpr.MatchString(res.PersonID) || !idExpr.MatchString(res.CompanyID) {
		t.Fatalf("ids %q, %q: want 16 lower-case hex characters", res.PersonID, res.CompanyID)
	}
	got := mustPerson(t, s, res.PersonID)
	if got.ID != res.PersonID {
		t.Fatalf("ID=%q, want %q", got.ID, res.PersonID)
	}
	if got.FullName != p.FullName || got.Title != p.Title || got.Location != p.Location || !slices.Equal(got.Skills, p.Skills) {
		t.Fatalf("stored person differs: %+v", got)
	}
	if got.Contact.BusinessEmails[0] != p.Contact.BusinessEmails[0] || got.Social != p.Social {
		t.Fatalf("stored contact differs: %+v", got.Contact)
	}
	if len(got.Employment) != 1 || got.Employment[0].CompanyID != res.CompanyID {
		t.Fatalf("employment=%+v, want linked to company %s", got.Employment, res.CompanyID)
	}
	if got.CreatedAt.IsZero() || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("CreatedAt=%v UpdatedAt=%v, want set and %v", got.CreatedAt, got.UpdatedAt, t0)
	}
	if len(got.Sources) != 1 || got.Sources[0].RecordID != "people.csv:2" {
		t.Fatalf("sources=%+v", got.Sources)
	}
	c := mustCompany(t, s, res.CompanyID)
	if c.ID != res.CompanyID || c.Name != "Acme Inc" || c.Domain != "acme.com" || c.Industry != "Software" {
		t.Fatalf("company=%+v", c)
	}
	mustCount(t, s, 1)
	for _, key := range []string{"li:https://www.linkedin.com/in/ann-lee-1", "em:ann1.lee1@acme.com", "ln:lee1", "cl:" + res.CompanyID + "|lee1"} {
		if ids := idsByKey(t, s, key); !slices.Equal(ids, []string{res.PersonID}) {
			t.Fatalf("key %s: ids=%v, want [%s]", key, ids, res.PersonID)
		}
	}
	cm, err := s.Companies.FindCompanyIDsByKeys(context.Background(), []string{"cd:acme.com", "cn:acme", "cnt:acme", "cd:other.com"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cm) != 3 || !slices.Equal(cm["cd:acme.com"], []string{res.CompanyID}) || !slices.Equal(cm["cnt:acme"], []string{res.CompanyID}) {
		t.Fatalf("company keys=%v", cm)
	}
}

// Ensure a record with a company alone stores the company.
func testIngestCompanyOnly(t *testing.T, s Stores) {
	res := mustIngest(t, s, enrichd.IngestRecord{Company: NewCompany()})[0]
	if res.PersonID != "" || res.PersonOutcome != "" || res.CompanyOutcome != enrichd.OutcomeNew {
		t.Fatalf("result=%+v", res)
	}
	mustCompany(t, s, res.CompanyID)
	mustCount(t, s, 0)
	res2 := mustIngest(t, s, enrichd.IngestRecord{Company: NewCompany()})[0]
	if res2.CompanyID != res.CompanyID || res2.CompanyOutcome != enrichd.OutcomeUnchanged {
		t.Fatalf("second result=%+v, want unchanged %s", res2, res.CompanyID)
	}
}

// Ensure re-ingesting the same record reports unchanged and writes nothing.
func testIngestUnchanged(t *testing.T, s Stores) {
	first := mustIngest(t, s, enrichd.IngestRecord{Person: NewPerson(1), Company: NewCompany()})[0]
	before := mustPerson(t, s, first.PersonID)
	// Seen again later, with the same content.
	p := NewPerson(1)
	p.Sources[0].SeenAt = t1
	res := mustIngest(t, s, enrichd.IngestRecord{Person: p, Company: NewCompany()})[0]
	if res.PersonOutcome != enrichd.OutcomeUnchanged || res.CompanyOutcome != enrichd.OutcomeUnchanged {
		t.Fatalf("outcomes=%q/%q, want unchanged", res.PersonOutcome, res.CompanyOutcome)
	}
	if res.PersonID != first.PersonID || res.CompanyID != first.CompanyID {
		t.Fatalf("ids changed: %+v vs %+v", res, first)
	}
	after := mustPerson(t, s, first.PersonID)
	if !after.UpdatedAt.Equal(before.UpdatedAt) || len(after.Sources) != 1 {
		t.Fatalf("UpdatedAt %v → %v, sources %d: want untouched", before.UpdatedAt, after.UpdatedAt, len(after.Sources))
	}
}

// Ensure re-ingesting a whole batch changes nothing and creates no one.
func testReingestIdempotent(t *testing.T, s Stores) {
	var batch []enrichd.IngestRecord
	for i := 0; i < 50; i++ {
		batch = append(batch, enrichd.IngestRecord{Person: NewPerson(i), Company: NewCompany()})
	}
	first := mustIngest(t, s, batch...)
	newCompanies := 0
	for _, r := range first {
		if r.PersonOutcome != enrichd.OutcomeNew {
			t.Fatalf("first ingest outcome=%q", r.PersonOutcome)
		}
		if r.CompanyOutcome == enrichd.OutcomeNew {
			newCompanies++
		}
	}
	if newCompanies != 1 {
		t.Fatalf("new companies=%d, want 1 (the rest merge into it)", newCompanies)
	}
	counts, err := s.People.CountKeys(context.Background(), []string{"ln:lee7", "cnt:acme"})
	if err != nil {
		t.Fatal(err)
	}
	batch = nil
	for i := 0; i < 50; i++ {
		batch = append(batch, enrichd.IngestRecord{Person: NewPerson(i), Company: NewCompany()})
	}
	second := mustIngest(t, s, batch...)
	for i, r := range second {
		if r.PersonOutcome != enrichd.OutcomeUnchanged || r.PersonID != first[i].PersonID || r.CompanyID != first[0].CompanyID {
			t.Fatalf("record %d: %+v, want unchanged %s", i, r, first[i].PersonID)
		}
	}
	mustCount(t, s, 50)
	counts2, err := s.People.CountKeys(context.Background(), []string{"ln:lee7", "cnt:acme"})
	if err != nil {
		t.Fatal(err)
	}
	if counts2["ln:lee7"] != 1 || counts2["ln:lee7"] != counts["ln:lee7"] {
		t.Fatalf("key counts %v → %v", counts, counts2)
	}
}

// Ensure a newer record for the same LinkedIn URL wins per field, unions
// lists, appends its source, and moves the old current job to the past.
func testMergeByLinkedIn(t *testing.T, s Stores) {
	first := mustIngest(t, s, enrichd.IngestRecord{Person: NewPerson(1), Company: NewCompany()})[0]
	p := &enrichd.Person{
		FirstName: "Ann1", LastName: "Lee1",
		Title:  "CTO",
		Skills: []string{"go", "Rust"},
		Employment: []enrichd.Employment{
			{CompanyName: "Globex", CompanyDomain: "globex.com", Title: "CTO", Start: "2025", Current: true},
		},
		Contact: enrichd.Contact{Phones: []enrichd.Phone{{Number: "+33123456789", Type: "work"}}},
		Social:  enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/ann-lee-1", Twitter: "annlee"},
		Sources: []enrichd.Provenance{{Source: "update.jsonl", RecordID: "update.jsonl:1", SeenAt: t1}},
	}
	globex := &enrichd.Company{Name: "Globex", Domain: "globex.com"}
	res := mustIngest(t, s, enrichd.IngestRecord{Person: p, Company: globex})[0]
	if res.PersonOutcome != enrichd.OutcomeMerged || res.PersonID != first.PersonID {
		t.Fatalf("result=%+v, want merged into %s", res, first.PersonID)
	}
	if res.CompanyOutcome != enrichd.OutcomeNew || res.CompanyID == first.CompanyID {
		t.Fatalf("company result=%+v, want a new company", res)
	}
	got := mustPerson(t, s, first.PersonID)
	if got.Title != "CTO" || got.FullName != "Ann1 Lee1" || got.Social.Twitter != "annlee" {
		t.Fatalf("scalars: title=%q full=%q twitter=%q", got.Title, got.FullName, got.Social.Twitter)
	}
	if want := []string{"Go", "SQL", "Rust"}; !slices.Equal(got.Skills, want) {
		t.Fatalf("skills=%v, want %v", got.Skills, want)
	}
	if len(got.Contact.BusinessEmails) != 1 || len(got.Contact.Phones) != 1 {
		t.Fatalf("contact=%+v", got.Contact)
	}
	if len(got.Employment) != 2 {
		t.Fatalf("employment=%+v, want 2 jobs", got.Employment)
	}
	for _, j := range got.Employment {
		if j.Current != (j.CompanyName == "Globex") {
			t.Fatalf("job %+v: only the newer Globex job should be current", j)
		}
		if j.CompanyName == "Globex" && j.CompanyID != res.CompanyID {
			t.Fatalf("Globex job not linked: %+v", j)
		}
	}
	if len(got.Sources) != 2 || !got.UpdatedAt.Equal(t1) {
		t.Fatalf("sources=%+v updated=%v", got.Sources, got.UpdatedAt)
	}
	// The blocking key at the old employer is gone, the new one is there.
	if ids := idsByKey(t, s, "cl:"+first.CompanyID+"|lee1"); len(ids) != 0 {
		t.Fatalf("old employer key still indexes %v", ids)
	}
	if ids := idsByKey(t, s, "cl:"+res.CompanyID+"|lee1"); !slices.Equal(ids, []string{first.PersonID}) {
		t.Fatalf("new employer key ids=%v", ids)
	}
	mustCount(t, s, 1)
}

// Ensure a record with only a business email (in another case) merges.
func testMergeByBusinessEmail(t *testing.T, s Stores) {
	first := mustIngest(t, s, enrichd.IngestRecord{Person: NewPerson(1)})[0]
	p := &enrichd.Person{
		LastName: "Lee1",
		Headline: "Builds things",
		Contact:  enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "ANN1.LEE1@acme.com"}}},
		Sources:  []enrichd.Provenance{{Source: "crm.csv", RecordID: "crm.csv:9", SeenAt: t1}},
	}
	res := mustIngest(t, s, enrichd.IngestRecord{Person: p})[0]
	if res.PersonOutcome != enrichd.OutcomeMerged || res.PersonID != first.PersonID {
		t.Fatalf("result=%+v, want merged into %s", res, first.PersonID)
	}
	got := mustPerson(t, s, first.PersonID)
	if got.Headline != "Builds things" || len(got.Contact.BusinessEmails) != 1 {
		t.Fatalf("headline=%q emails=%+v", got.Headline, got.Contact.BusinessEmails)
	}
	mustCount(t, s, 1)
}

// Ensure a record seen before the golden record's last change only fills blanks.
func testOlderRecordFillsBlanks(t *testing.T, s Stores) {
	p := NewPerson(1)
	p.Sources[0].SeenAt = t2
	first := mustIngest(t, s, enrichd.IngestRecord{Person: p})[0]
	old := &enrichd.Person{
		Title:    "Intern",
		Headline: "Student",
		Social:   enrichd.Social{LinkedInURL: p.Social.LinkedInURL},
		Sources:  []enrichd.Provenance{{Source: "old.csv", RecordID: "old.csv:2", SeenAt: t0}},
	}
	res := mustIngest(t, s, enrichd.IngestRecord{Person: old})[0]
	if res.PersonOutcome != enrichd.OutcomeMerged {
		t.Fatalf("outcome=%q, want merged", res.PersonOutcome)
	}
	got := mustPerson(t, s, first.PersonID)
	if got.Title != "Engineer" || got.Headline != "Student" || !got.UpdatedAt.Equal(t2) {
		t.Fatalf("title=%q headline=%q updated=%v: want Engineer, Student, %v", got.Title, got.Headline, got.UpdatedAt, t2)
	}
}

// Ensure a record whose keys hit two people merges into the oldest, as documented.
func testMergeIntoOldest(t *testing.T, s Stores) {
	a := &enrichd.Person{FullName: "Old", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/x"},
		Sources: []enrichd.Provenance{{Source: "a", RecordID: "1", SeenAt: t0}}}
	ra := mustIngest(t, s, enrichd.IngestRecord{Person: a})[0]
	b := &enrichd.Person{FullName: "Young", Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "x@acme.com"}}},
		Sources: []enrichd.Provenance{{Source: "b", RecordID: "1", SeenAt: t0}}}
	rb := mustIngest(t, s, enrichd.IngestRecord{Person: b})[0]
	both := &enrichd.Person{Title: "Boss", Social: a.Social, Contact: b.Contact,
		Sources: []enrichd.Provenance{{Source: "c", RecordID: "1", SeenAt: t1}}}
	rc := mustIngest(t, s, enrichd.IngestRecord{Person: both})[0]
	if rc.PersonOutcome != enrichd.OutcomeMerged || rc.PersonID != ra.PersonID {
		t.Fatalf("result=%+v, want merged into the oldest %s (not %s)", rc, ra.PersonID, rb.PersonID)
	}
	if got := mustPerson(t, s, rb.PersonID); got.Title != "" {
		t.Fatalf("the younger person changed: %+v", got)
	}
	if ids := idsByKey(t, s, "em:x@acme.com"); len(ids) != 2 {
		t.Fatalf("em:x@acme.com ids=%v, want both people", ids)
	}
	mustCount(t, s, 2)
}

// Ensure a shared email never fuses two different LinkedIn profiles.
func testLinkedInConflict(t *testing.T, s Stores) {
	a := NewPerson(1)
	ra := mustIngest(t, s, enrichd.IngestRecord{Person: a})[0]
	b := NewPerson(1)
	b.Social.LinkedInURL = "https://www.linkedin.com/in/someone-else"
	b.Sources[0].SeenAt = t1
	rb := mustIngest(t, s, enrichd.IngestRecord{Person: b})[0]
	if rb.PersonOutcome != enrichd.OutcomeNew || rb.PersonID == ra.PersonID {
		t.Fatalf("result=%+v, want a new person", rb)
	}
	if got := mustPerson(t, s, ra.PersonID); got.Social.LinkedInURL != a.Social.LinkedInURL {
		t.Fatalf("LinkedIn overwritten: %q", got.Social.LinkedInURL)
	}
	mustCount(t, s, 2)
}

// Ensure the same person twice in one batch is created once.
func testDuplicateInBatch(t *testing.T, s Stores) {
	p1, p2 := NewPerson(1), NewPerson(1)
	p2.Title = "Staff Engineer"
	p2.Sources[0] = enrichd.Provenance{Source: "people.csv", RecordID: "people.csv:99", SeenAt: t1}
	res := mustIngest(t, s,
		enrichd.IngestRecord{Person: p1, Company: NewCompany()},
		enrichd.IngestRecord{Person: p2, Company: NewCompany()})
	if res[0].PersonOutcome != enrichd.OutcomeNew || res[1].PersonOutcome != enrichd.OutcomeMerged || res[0].PersonID != res[1].PersonID {
		t.Fatalf("results=%+v, want new then merged into the same id", res)
	}
	if res[0].CompanyOutcome != enrichd.OutcomeNew || res[1].CompanyOutcome != enrichd.OutcomeUnchanged || res[0].CompanyID != res[1].CompanyID {
		t.Fatalf("company results=%+v", res)
	}
	if got := mustPerson(t, s, res[0].PersonID); got.Title != "Staff Engineer" || len(got.Sources) != 2 {
		t.Fatalf("title=%q sources=%d", got.Title, len(got.Sources))
	}
	mustCount(t, s, 1)
}

func companyRecord(tb testing.TB, s Stores, c *enrichd.Company) enrichd.IngestResult {
	tb.Helper()
	return mustIngest(tb, s, enrichd.IngestRecord{Company: c})[0]
}

// Ensure companies with the same domain merge, whatever their names.
func testCompanyMergeByDomain(t *testing.T, s Stores) {
	a := companyRecord(t, s, &enrichd.Company{Name: "Acme Inc", Domain: "acme.com",
		Sources: []enrichd.Provenance{{Source: "web", SeenAt: t0}}})
	b := companyRecord(t, s, &enrichd.Company{Name: "ACME Corporation", Domain: "acme.com", EmployeeCount: 120,
		Sources: []enrichd.Provenance{{Source: "crm", SeenAt: t1}}})
	if b.CompanyID != a.CompanyID || b.CompanyOutcome != enrichd.OutcomeMerged {
		t.Fatalf("result=%+v, want merged into %s", b, a.CompanyID)
	}
	c := mustCompany(t, s, a.CompanyID)
	if c.Name != "ACME Corporation" || c.EmployeeCount != 120 {
		t.Fatalf("company=%+v", c)
	}
	// Both names now lead to it.
	m, err := s.Companies.FindCompanyIDsByKeys(context.Background(), []string{"cn:acme", "cn:acme corporation"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m["cn:acme corporation"], []string{a.CompanyID}) {
		t.Fatalf("keys=%v", m)
	}
}

// Ensure companies with the same LinkedIn URL merge, keeping both domains.
func testCompanyMergeByLinkedIn(t *testing.T, s Stores) {
	a := companyRecord(t, s, &enrichd.Company{Name: "Acme", Domain: "acme.com", LinkedInURL: "https://www.linkedin.com/company/acme",
		Sources: []enrichd.Provenance{{Source: "web", SeenAt: t0}}})
	b := companyRecord(t, s, &enrichd.Company{Name: "Acme Europe", Domain: "acme.eu", LinkedInURL: "https://www.linkedin.com/company/acme",
		Sources: []enrichd.Provenance{{Source: "crm", SeenAt: t1}}})
	if b.CompanyID != a.CompanyID || b.CompanyOutcome != enrichd.OutcomeMerged {
		t.Fatalf("result=%+v, want merged into %s", b, a.CompanyID)
	}
	c := mustCompany(t, s, a.CompanyID)
	if c.Domain != "acme.eu" || !slices.Equal(c.OtherDomains, []string{"acme.com"}) {
		t.Fatalf("domain=%q others=%v", c.Domain, c.OtherDomains)
	}
	for _, key := range []string{"cd:acme.com", "cd:acme.eu"} {
		m, err := s.Companies.FindCompanyIDsByKeys(context.Background(), []string{key}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m[key], []string{a.CompanyID}) {
			t.Fatalf("%s → %v", key, m[key])
		}
	}
}

// Ensure a company known only by name merges into the same normalised name.
func testCompanyMergeByName(t *testing.T, s Stores) {
	a := companyRecord(t, s, &enrichd.Company{Name: "Initech, Inc."})
	b := companyRecord(t, s, &enrichd.Company{Name: "initech", Domain: "initech.com"})
	if b.CompanyID != a.CompanyID || b.CompanyOutcome != enrichd.OutcomeMerged {
		t.Fatalf("result=%+v, want merged into %s", b, a.CompanyID)
	}
	if c := mustCompany(t, s, a.CompanyID); c.Domain != "initech.com" || c.Name != "initech" {
		t.Fatalf("company=%+v", c)
	}
}

// Ensure two companies sharing a name but not a domain stay apart.
func testCompanyNameConflict(t *testing.T, s Stores) {
	a := companyRecord(t, s, &enrichd.Company{Name: "Delta", Domain: "delta.com"})
	b := companyRecord(t, s, &enrichd.Company{Name: "Delta", Domain: "delta-faucets.com"})
	if b.CompanyID == a.CompanyID || b.CompanyOutcome != enrichd.OutcomeNew {
		t.Fatalf("result=%+v, want a second company", b)
	}
	// A name-only record then joins the oldest of them.
	c := companyRecord(t, s, &enrichd.Company{Name: "DELTA", Industry: "Airlines"})
	if c.CompanyID != a.CompanyID {
		t.Fatalf("name-only record went to %s, want the oldest %s", c.CompanyID, a.CompanyID)
	}
}

// Ensure records with nothing to identify them are refused, naming each
// record by index, and that nothing of the batch is written.
func testNoIdentifier(t *testing.T, s Stores) {
	nameOnly := &enrichd.Person{FullName: "John Smith", Sources: []enrichd.Provenance{{Source: "x", RecordID: "x:2"}}}
	_, err := s.Ingest.Ingest(context.Background(), []enrichd.IngestRecord{
		{Person: NewPerson(1)},
		{Person: nameOnly},
		{},
		{Company: &enrichd.Company{Industry: "Software"}},
	})
	if enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("err=%v, want EINVALID", err)
	}
	e := enrichd.AsError(err)
	if len(e.Fields) != 3 || e.Fields["1"] == "" || e.Fields["2"] == "" || e.Fields["3"] == "" {
		t.Fatalf("fields=%v, want records 1, 2 and 3", e.Fields)
	}
	mustCount(t, s, 0)
}

// Ensure a person known only by name at a company is stored and found again
// by its source record on re-import.
func testPersonKnownOnlyByCompany(t *testing.T, s Stores) {
	rec := func() enrichd.IngestRecord {
		return enrichd.IngestRecord{
			Person:  &enrichd.Person{FullName: "John Smith", LastName: "Smith", Sources: []enrichd.Provenance{{Source: "x.csv", RecordID: "x.csv:2", SeenAt: t0}}},
			Company: &enrichd.Company{Name: "Acme", Domain: "acme.com"},
		}
	}
	a := mustIngest(t, s, rec())[0]
	b := mustIngest(t, s, rec())[0]
	if a.PersonOutcome != enrichd.OutcomeNew || b.PersonOutcome != enrichd.OutcomeUnchanged || a.PersonID != b.PersonID {
		t.Fatalf("results %+v, %+v: want new then unchanged", a, b)
	}
	if got := mustPerson(t, s, a.PersonID); len(got.Employment) != 1 || !got.Employment[0].Current || got.Employment[0].CompanyID != a.CompanyID {
		t.Fatalf("employment=%+v, want a current job at %s", got.Employment, a.CompanyID)
	}
	mustCount(t, s, 1)
}

// Ensure key look-ups return ids per key, cap them per key, and leave out
// keys with none.
func testFindPersonIDsByKeys(t *testing.T, s Stores) {
	var batch []enrichd.IngestRecord
	for i := 0; i < 5; i++ {
		p := NewPerson(i)
		p.LastName = "Same"
		batch = append(batch, enrichd.IngestRecord{Person: p})
	}
	res := mustIngest(t, s, batch...)
	m, err := s.People.FindPersonIDsByKeys(context.Background(), []string{"ln:same", "li:https://www.linkedin.com/in/ann-lee-3", "ln:none"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || len(m["ln:same"]) != 3 || !slices.Equal(m["li:https://www.linkedin.com/in/ann-lee-3"], []string{res[3].PersonID}) {
		t.Fatalf("got %v", m)
	}
	all := idsByKey(t, s, "ln:same")
	want := []string{}
	for _, r := range res {
		want = append(want, r.PersonID)
	}
	sort.Strings(want)
	if !slices.Equal(all, want) {
		t.Fatalf("ln:same → %v, want %v (sorted)", all, want)
	}
	if m, err := s.People.FindPersonIDsByKeys(context.Background(), nil, 10); err != nil || len(m) != 0 {
		t.Fatalf("no keys: %v, %v", m, err)
	}
}

// Ensure a changed person's stale keys are removed and new ones added.
func testKeysReplacedOnUpdate(t *testing.T, s Stores) {
	first := mustIngest(t, s, enrichd.IngestRecord{Person: NewPerson(1)})[0]
	p := NewPerson(1)
	p.LastName = "Martin"
	p.Sources[0] = enrichd.Provenance{Source: "u", RecordID: "u:1", SeenAt: t1}
	mustIngest(t, s, enrichd.IngestRecord{Person: p})
	if ids := idsByKey(t, s, "ln:lee1"); len(ids) != 0 {
		t.Fatalf("stale key ln:lee1 → %v", ids)
	}
	if ids := idsByKey(t, s, "ln:martin"); !slices.Equal(ids, []string{first.PersonID}) {
		t.Fatalf("ln:martin → %v", ids)
	}
	if ids := idsByKey(t, s, "li:https://www.linkedin.com/in/ann-lee-1"); !slices.Equal(ids, []string{first.PersonID}) {
		t.Fatalf("identity key lost: %v", ids)
	}
}

// Ensure CountKeys counts people per key and leaves out keys with none.
func testCountKeys(t *testing.T, s Stores) {
	var batch []enrichd.IngestRecord
	for i := 0; i < 4; i++ {
		p := NewPerson(i)
		if i < 3 {
			p.LastName = "Common"
		}
		batch = append(batch, enrichd.IngestRecord{Person: p})
	}
	mustIngest(t, s, batch...)
	m, err := s.People.CountKeys(context.Background(), []string{"ln:common", "ln:lee3", "ln:nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m["ln:common"] != 3 || m["ln:lee3"] != 1 {
		t.Fatalf("counts=%v", m)
	}
}

// Ensure FindEmailsAtDomain returns real addresses at the domain only.
func testFindEmailsAtDomain(t *testing.T, s Stores) {
	var batch []enrichd.IngestRecord
	for i := 0; i < 3; i++ {
		batch = append(batch, enrichd.IngestRecord{Person: NewPerson(i), Company: NewCompany()})
	}
	g := NewPerson(9)
	g.Contact.BusinessEmails = append(g.Contact.BusinessEmails, enrichd.Email{Address: "guess@acme.com", Status: enrichd.StatusGuessed})
	g.Contact.BusinessEmails[0].Address = "ann9@globex.com"
	batch = append(batch, enrichd.IngestRecord{Person: g})
	mustIngest(t, s, batch...)

	got, err := s.Companies.FindEmailsAtDomain(context.Background(), "ACME.com", 10)
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, e := range got {
		addrs = append(addrs, e.Address)
		if !strings.HasPrefix(strings.ToLower(e.Address), strings.ToLower(e.FirstName)) || e.LastName == "" {
			t.Fatalf("names not filled: %+v", e)
		}
	}
	sort.Strings(addrs)
	if want := []string{"ann0.lee0@acme.com", "ann1.lee1@acme.com", "ann2.lee2@acme.com"}; !slices.Equal(addrs, want) {
		t.Fatalf("addresses=%v, want %v", addrs, want)
	}
	if got, err := s.Companies.FindEmailsAtDomain(context.Background(), "acme.com", 2); err != nil || len(got) != 2 {
		t.Fatalf("limit 2: %d, %v", len(got), err)
	}
	if got, err := s.Companies.FindEmailsAtDomain(context.Background(), "nowhere.org", 10); err != nil || len(got) != 0 {
		t.Fatalf("unknown domain: %v, %v", got, err)
	}
	if _, err := s.Companies.FindEmailsAtDomain(context.Background(), "not a domain", 10); enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("bad domain: err=%v, want EINVALID", err)
	}
}

// Ensure FindPeopleByIDs keeps the order of ids and skips unknown ones.
func testFindPeopleByIDsOrder(t *testing.T, s Stores) {
	var batch []enrichd.IngestRecord
	for i := 0; i < 5; i++ {
		batch = append(batch, enrichd.IngestRecord{Person: NewPerson(i)})
	}
	res := mustIngest(t, s, batch...)
	ids := []string{res[3].PersonID, "ffffffffffffffff", res[0].PersonID, res[4].PersonID}
	got, err := s.People.FindPeopleByIDs(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, p := range got {
		gotIDs = append(gotIDs, p.ID)
	}
	if want := []string{res[3].PersonID, res[0].PersonID, res[4].PersonID}; !slices.Equal(gotIDs, want) {
		t.Fatalf("ids=%v, want %v", gotIDs, want)
	}
	if got[0].LastName != "Lee3" {
		t.Fatalf("first person=%+v", got[0])
	}
	if got, err := s.People.FindPeopleByIDs(context.Background(), nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v, %v", got, err)
	}
}

// Ensure FindCompaniesByIDs keeps the order of ids and skips unknown ones.
func testFindCompanies(t *testing.T, s Stores) {
	a := companyRecord(t, s, &enrichd.Company{Name: "A", Domain: "a.com"})
	b := companyRecord(t, s, &enrichd.Company{Name: "B", Domain: "b.com"})
	got, err := s.Companies.FindCompaniesByIDs(context.Background(), []string{b.CompanyID, "0000000000000000", a.CompanyID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "B" || got[1].Name != "A" || got[0].ID != b.CompanyID {
		t.Fatalf("got %+v", got)
	}
}

// Ensure unknown ids give ENOTFOUND, never nil, nil.
func testNotFound(t *testing.T, s Stores) {
	if p, err := s.People.FindPersonByID(context.Background(), "0123456789abcdef"); enrichd.ErrorCode(err) != enrichd.ENOTFOUND || p != nil {
		t.Fatalf("person: %v, %v", p, err)
	}
	if c, err := s.Companies.FindCompanyByID(context.Background(), "0123456789abcdef"); enrichd.ErrorCode(err) != enrichd.ENOTFOUND || c != nil {
		t.Fatalf("company: %v, %v", c, err)
	}
	if n, err := s.People.CountPeople(context.Background()); err != nil || n != 0 {
		t.Fatalf("empty count: %d, %v", n, err)
	}
}

// Ensure concurrent ingests of overlapping batches create each person and
// company once.
func testConcurrentIngest(t *testing.T, s Stores) {
	const workers, people = 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var batch []enrichd.IngestRecord
			for i := 0; i < people; i++ {
				n := (i + w*7) % people // each worker in another order
				batch = append(batch, enrichd.IngestRecord{Person: NewPerson(n), Company: NewCompany()})
			}
			for len(batch) > 0 {
				k := min(len(batch), 10)
				if _, err := s.Ingest.Ingest(context.Background(), batch[:k]); err != nil {
					errs <- err
					return
				}
				batch = batch[k:]
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Ingest: %v", err)
	}
	mustCount(t, s, people)
	for i := 0; i < people; i++ {
		if ids := idsByKey(t, s, fmt.Sprintf("li:https://www.linkedin.com/in/ann-lee-%d", i)); len(ids) != 1 {
			t.Fatalf("person %d stored %d times", i, len(ids))
		}
	}
	m, err := s.Companies.FindCompanyIDsByKeys(context.Background(), []string{"cd:acme.com"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(m["cd:acme.com"]) != 1 {
		t.Fatalf("company stored %d times", len(m["cd:acme.com"]))
	}
}

// Ensure a canceled context fails the batch and writes nothing.
func testCanceled(t *testing.T, s Stores) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Ingest.Ingest(ctx, []enrichd.IngestRecord{{Person: NewPerson(1)}}); err == nil {
		t.Fatal("want an error")
	}
	mustCount(t, s, 0)
}
