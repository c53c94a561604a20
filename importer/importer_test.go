package importer_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/importer"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/mock"
)

// memStore is an in-memory IngestService good enough to check the importer's
// side of the contract: it merges by the first identity key and reports
// unchanged when a record's data (not its provenance) is what it stored.
type memStore struct {
	mu      sync.Mutex
	keyer   enrichd.Keyer
	people  map[string]string // identity key -> JSON of person without sources
	company map[string]string
	batches [][]enrichd.IngestRecord
}

func newMemStore() *memStore {
	return &memStore{keyer: match.NewKeyer(), people: map[string]string{}, company: map[string]string{}}
}

func (s *memStore) Ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, batch)
	out := make([]enrichd.IngestResult, len(batch))
	for i, r := range batch {
		if r.Company != nil {
			keys := s.keyer.CompanyIdentityKeys(r.Company)
			if len(keys) == 0 {
				return nil, enrichd.Errorf(enrichd.EINVALID, "company without identity")
			}
			c := *r.Company
			c.Sources = nil
			out[i].CompanyOutcome = outcome(s.company, keys[0], c)
		}
		if r.Person != nil {
			keys := s.keyer.PersonIdentityKeys(r.Person)
			if len(keys) == 0 {
				return nil, enrichd.Errorf(enrichd.EINVALID, "person without identity")
			}
			p := *r.Person
			p.Sources = nil
			out[i].PersonOutcome = outcome(s.people, keys[0], p)
		}
	}
	return out, nil
}

func outcome(m map[string]string, key string, v any) string {
	b, _ := json.Marshal(v)
	old, ok := m[key]
	m[key] = string(b)
	switch {
	case !ok:
		return enrichd.OutcomeNew
	case old == string(b):
		return enrichd.OutcomeUnchanged
	}
	return enrichd.OutcomeMerged
}

func (s *memStore) records() []enrichd.IngestRecord {
	var out []enrichd.IngestRecord
	for _, b := range s.batches {
		out = append(out, b...)
	}
	return out
}

var mtime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// mustImport imports the named inputs and returns the summary and the rejects CSV.
func mustImport(tb testing.TB, ing enrichd.IngestService, cfg importer.Config, inputs ...*importer.Input) (importer.Summary, [][]string) {
	tb.Helper()
	var rej bytes.Buffer
	cfg.Rejects = importer.NewRejects(&rej)
	im, err := importer.New(ing, match.NewKeyer(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := im.Import(context.Background(), inputs)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	if err := cfg.Rejects.Close(); err != nil {
		tb.Fatal(err)
	}
	var rows [][]string
	if rej.Len() > 0 {
		if rows, err = csv.NewReader(&rej).ReadAll(); err != nil {
			tb.Fatalf("rejects are not CSV: %v\n%s", err, rej.String())
		}
		rows = rows[1:]
	}
	if got := sum.New + sum.Merged + sum.Unchanged + sum.Rejected; got != sum.Read {
		tb.Fatalf("summary does not add up: %+v", sum)
	}
	return sum, rows
}

func input(name, body string) *importer.Input {
	return &importer.Input{Name: name, R: strings.NewReader(body), Size: int64(len(body)), ModTime: mtime}
}

func TestImport_CSV(t *testing.T) {
	// Ensure aliases, normalisation, email routing, the employer and provenance.
	const body = "First Name,Last Name,Email,Personal Email,LinkedIn,Job Title,Company,Website,Company LinkedIn URL,# Employees,Founded,Country,Phone,Skills,Industry\n" +
		"Jane,Doe,Jane.Doe@Acme.com,jane@gmail.com,linkedin.com/in/JaneDoe/,VP Sales,Acme Inc,https://www.acme.com/about,https://linkedin.com/company/acme/,51-200,1998,Denmark,+45 33 12 34 56,Go; SQL;go;,Software\n" +
		"Bob,Roe,bob@hotmail.com,,,Engineer,,,,,,US,,,\n"
	st := newMemStore()
	sum, rejects := mustImport(t, st, importer.Config{}, input("data/people.csv", body))
	if len(rejects) != 0 {
		t.Fatalf("rejects: %v", rejects)
	}
	if sum.Read != 2 || sum.New != 2 || sum.CompaniesNew != 1 {
		t.Fatalf("summary %+v", sum)
	}
	recs := st.records()
	p, co := recs[0].Person, recs[0].Company
	for _, c := range []struct{ name, got, want string }{
		{"full name", p.FullName, "Jane Doe"},
		{"linkedin", p.Social.LinkedInURL, "https://www.linkedin.com/in/janedoe"},
		{"business email", p.Contact.BusinessEmails[0].Address, "jane.doe@acme.com"},
		{"personal email", p.Contact.PersonalEmails[0].Address, "jane@gmail.com"},
		{"phone", p.Contact.Phones[0].Number, "+4533123456"},
		{"country code", p.Location.CountryCode, "DK"},
		{"skills", strings.Join(p.Skills, "|"), "Go|SQL"},
		{"company domain", co.Domain, "acme.com"},
		{"company linkedin", co.LinkedInURL, "https://www.linkedin.com/company/acme"},
		{"employee range", co.EmployeeRange, "51-200"},
		{"industry", co.Industry, "Software"},
		{"job company", p.Employment[0].CompanyDomain, "acme.com"},
		{"job title", p.Employment[0].Title, "VP Sales"},
		{"source", p.Sources[0].Source, "people.csv"},
		{"record id", p.Sources[0].RecordID, "people.csv:2"},
		{"company record id", co.Sources[0].RecordID, "people.csv:2"},
		{"bob personal", recs[1].Person.Contact.PersonalEmails[0].Address, "bob@hotmail.com"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !p.Employment[0].Current || co.FoundedYear != 1998 {
		t.Errorf("job %+v, founded %d", p.Employment[0], co.FoundedYear)
	}
	if !p.Sources[0].SeenAt.Equal(mtime) {
		t.Errorf("SeenAt = %v, want the file's mtime %v", p.Sources[0].SeenAt, mtime)
	}
	if recs[1].Company != nil || len(recs[1].Person.Contact.BusinessEmails) != 0 {
		t.Errorf("bob: %+v", recs[1])
	}

	// Ensure importing the same file again changes nothing.
	sum, _ = mustImport(t, st, importer.Config{}, input("data/people.csv", body))
	if sum.Unchanged != 2 || sum.New != 0 || sum.Merged != 0 {
		t.Fatalf("re-import summary %+v", sum)
	}
}

func TestImport_Rejects(t *testing.T) {
	// Ensure each kind of bad row is rejected with its line and reason, and the
	// rows around it are imported.
	long := strings.Repeat("x", 2000)
	body := "email,full_name,company_founded_year,company_name\n" +
		"a@acme.com,Ann A,,Acme\n" + // 2 ok
		"b@acme.com,Bo\"b,,Acme\n" + // 3 bare quote
		"c@acme.com,Cy C\n" + // 4 too few fields
		"d@acme.com,D\xffD,,Acme\n" + // 5 broken UTF-8
		"e@acme.com," + long + ",,Acme\n" + // 6 over-long
		",Nobody,,\n" + // 7 no identifier
		"not-an-email,F F,,Acme\n" + // 8 bad email
		"g@acme.com,G G,nineteen,Acme\n" + // 9 wrong type
		"h@acme.com,\"Hal\nHalsey\",,Acme\n" + // 10-11 multi-line ok
		"\n" + // 12 blank: skipped
		"i@acme.com,\"Ivy,,Acme\n" + // 13 unterminated quote
		"j@acme.com,Jo J,,Acme\n" // 14 ok, after the bad quote
	st := newMemStore()
	sum, rejects := mustImport(t, st, importer.Config{}, input("in.csv", body))
	wantLines := map[string]string{
		"3": "bare \"", "4": "row has 2 fields", "5": "UTF-8", "6": "longer than", "7": "no usable identifier",
		"8": "not an email", "9": "founded year", "13": "unterminated",
	}
	if len(rejects) != len(wantLines) {
		t.Fatalf("rejects = %q", rejects)
	}
	for _, r := range rejects {
		want, ok := wantLines[r[1]]
		if !ok || r[0] != "in.csv" || !strings.Contains(r[2], want) {
			t.Errorf("reject %q: want line in %v with reason containing %q", r, wantLines, want)
		}
		if r[1] == "8" && r[3] != "not-an-email,F F,,Acme" {
			t.Errorf("raw record = %q", r[3])
		}
	}
	if sum.Read != 11 || sum.New != 3 || sum.Rejected != 8 {
		t.Fatalf("summary %+v", sum)
	}
	var names []string
	for _, r := range st.records() {
		names = append(names, r.Person.FullName)
	}
	if got, want := strings.Join(names, "|"), "Ann A|Hal Halsey|Jo J"; got != want {
		t.Errorf("imported %q", got)
	}
}

func TestImport_Map(t *testing.T) {
	body := "Work Address,Mail,Boss,Profile\nx@acme.com,y@acme.com,ignored,https://linkedin.com/in/x\n"
	for _, tt := range []struct {
		name    string
		maps    []string
		wantErr string
	}{
		{"OK", []string{"work address=email", "Mail=personal_email", "Boss=-", "profile=linkedin_url"}, ""},
		{"UnknownField", []string{"Mail=e-mail"}, "unknown field"},
		{"BadSpec", []string{"Mail"}, "want COLUMN=FIELD"},
		{"Twice", []string{"Mail=email", "mail=phone"}, "mapped twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := importer.ParseMap(tt.maps)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st := newMemStore()
			var log bytes.Buffer
			sum, rejects := mustImport(t, st, importer.Config{Map: m, Log: &log}, input("m.csv", body))
			if sum.New != 1 || len(rejects) != 0 {
				t.Fatalf("summary %+v rejects %v", sum, rejects)
			}
			p := st.records()[0].Person
			if p.Contact.BusinessEmails[0].Address != "x@acme.com" || p.Contact.PersonalEmails[0].Address != "y@acme.com" {
				t.Errorf("contact %+v", p.Contact)
			}
			if strings.Contains(log.String(), "Boss") {
				t.Errorf("warned about a column mapped to -: %s", log.String())
			}
		})
	}
}

func TestImport_HeaderErrors(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"NoKnownColumn", "foo,bar\n1,2\n", "no column matches"},
		{"DuplicateScalar", "title,job title,email\na,b,c@d.com\n", "both map to title"},
		{"BadHeader", "email,\"name\n", "header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			im, _ := importer.New(newMemStore(), match.NewKeyer(), importer.Config{})
			_, err := im.Import(context.Background(), []*importer.Input{input("h.csv", tt.body)})
			if err == nil || !strings.Contains(err.Error(), tt.want) || enrichd.ErrorCode(err) != enrichd.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestImport_CompanyList(t *testing.T) {
	// Ensure a file with only company columns imports companies, reading its
	// Name and LinkedIn columns as the company's.
	body := "Name,Domain,LinkedIn,Industry,Employees\nAcme,acme.com,linkedin.com/company/acme,Software,1200\nGlobex,,,,\n"
	st := newMemStore()
	var log bytes.Buffer
	sum, rejects := mustImport(t, st, importer.Config{Log: &log}, input("companies.csv", body))
	if sum.New != 2 || len(rejects) != 0 || sum.CompaniesNew != 2 {
		t.Fatalf("summary %+v rejects %v", sum, rejects)
	}
	c := st.records()[0]
	if c.Person != nil || c.Company.Name != "Acme" || c.Company.LinkedInURL != "https://www.linkedin.com/company/acme" ||
		c.Company.EmployeeCount != 1200 || c.Company.EmployeeRange != "1001-5000" {
		t.Fatalf("record %+v %+v", c.Person, c.Company)
	}
	if !strings.Contains(log.String(), "list of companies") {
		t.Errorf("log = %q", log.String())
	}
}

func TestImport_Formats(t *testing.T) {
	// Ensure the delimiter, a BOM, CRLF, gzip and updated_at are handled.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\ufeffEmail;Full Name;Updated At\r\nz@acme.com;Zed Z;2023-02-03T04:05:06Z\r\n"))
	zw.Close()
	st := newMemStore()
	in := &importer.Input{Name: "x.csv.gz", R: &gz, ModTime: mtime}
	sum, rejects := mustImport(t, st, importer.Config{Source: "crm"}, in)
	if sum.New != 1 || len(rejects) != 0 {
		t.Fatalf("summary %+v rejects %v", sum, rejects)
	}
	p := st.records()[0].Person
	if p.FullName != "Zed Z" || p.FirstName != "Zed" || p.LastName != "Z" {
		t.Errorf("names %q %q %q", p.FullName, p.FirstName, p.LastName)
	}
	if got := p.Sources[0]; got.Source != "crm" || got.RecordID != "x.csv:2" || !got.SeenAt.Equal(time.Date(2023, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("provenance %+v", got)
	}
}

func TestImport_JSONL(t *testing.T) {
	body := `{"full_name":"Ann A","social":{"linkedin_url":"linkedin.com/in/ann"},"employment":[{"company_name":"Acme","company_domain":"www.acme.com","title":"CTO","current":true}],"updated_at":"2022-01-01T00:00:00Z"}
{"person":{"full_name":"Bo B","contact":{"business_emails":[{"address":"BO@Globex.com"}]}},"company":{"name":"Globex","domain":"globex.com"}}
{"company":{"name":"Initech","linkedin_url":"https://www.linkedin.com/company/initech/about"}}

{"full_name":"Cy","nickname":"c"}
{"full_name":"Di","connections":"many"}
{"person":{"full_name":"Ed"},"full_name":"Ed"}
not json
{"full_name":"Fay"}
{"full_name":"Gus","social":{"linkedin_url":"linkedin.com/in/gus"}} trailing
`
	st := newMemStore()
	sum, rejects := mustImport(t, st, importer.Config{}, input("dump.jsonl", body))
	if sum.New != 3 || sum.Rejected != 6 || sum.Read != 9 {
		t.Fatalf("summary %+v rejects %v", sum, rejects)
	}
	wantReasons := map[string]string{"5": "unknown field", "6": "connections", "7": "one shape", "8": "not a JSON object",
		"9": "no usable identifier", "10": "after the JSON object"}
	for _, r := range rejects {
		if !strings.Contains(r[2], wantReasons[r[1]]) || wantReasons[r[1]] == "" {
			t.Errorf("reject %q, want reason with %q", r, wantReasons[r[1]])
		}
	}
	recs := st.records()
	a := recs[0]
	if a.Company == nil || a.Company.Domain != "acme.com" || a.Person.Employment[0].CompanyDomain != "acme.com" {
		t.Errorf("ann: company %+v job %+v", a.Company, a.Person.Employment)
	}
	if !a.Person.Sources[0].SeenAt.Equal(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)) || !a.Person.UpdatedAt.IsZero() {
		t.Errorf("ann provenance %+v updated %v", a.Person.Sources, a.Person.UpdatedAt)
	}
	b := recs[1]
	if b.Person.Contact.BusinessEmails[0].Address != "bo@globex.com" || b.Person.CurrentJob() == nil ||
		b.Person.CurrentJob().CompanyDomain != "globex.com" {
		t.Errorf("bo %+v", b.Person)
	}
	if c := recs[2]; c.Person != nil || c.Company.LinkedInURL != "https://www.linkedin.com/company/initech" {
		t.Errorf("initech %+v", c.Company)
	}
}

func TestImport_StoreRefusesRecord(t *testing.T) {
	// Ensure a batch the store refuses as invalid is retried record by record
	// and only the refused record is rejected.
	ing := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
		for _, r := range batch {
			if r.Person.FullName == "Bad B" {
				return nil, enrichd.Errorf(enrichd.EINVALID, "nope")
			}
		}
		out := make([]enrichd.IngestResult, len(batch))
		for i := range out {
			out[i].PersonOutcome = enrichd.OutcomeNew
		}
		return out, nil
	}}
	body := "email,name\na@x.com,Ann A\nb@x.com,Bad B\nc@x.com,Cy C\n"
	sum, rejects := mustImport(t, ing, importer.Config{}, input("r.csv", body))
	if sum.New != 2 || sum.Rejected != 1 || len(rejects) != 1 || rejects[0][1] != "3" || !strings.Contains(rejects[0][2], "nope") {
		t.Fatalf("summary %+v rejects %q", sum, rejects)
	}
}

func TestImport_StoreFails(t *testing.T) {
	// Ensure a store failure stops the import with an error naming the rows,
	// and the summary counts only what was committed.
	calls := 0
	ing := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
		calls++
		if calls == 2 {
			return nil, errors.New("disk full")
		}
		out := make([]enrichd.IngestResult, len(batch))
		for i := range out {
			out[i].PersonOutcome = enrichd.OutcomeNew
		}
		return out, nil
	}}
	var b strings.Builder
	b.WriteString("email\n")
	for i := range 10 {
		b.WriteString(string(rune('a'+i)) + "@x.com\n")
	}
	im, err := importer.New(ing, match.NewKeyer(), importer.Config{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := im.Import(context.Background(), []*importer.Input{input("f.csv", b.String())})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "f.csv:5") {
		t.Fatalf("err = %v", err)
	}
	if sum.New != 3 || sum.Read != 3 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestImport_Cancel(t *testing.T) {
	// Ensure cancelling stops the import and reports the cancellation.
	ctx, cancel := context.WithCancel(context.Background())
	ing := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
		cancel()
		return nil, ctx.Err()
	}}
	im, _ := importer.New(ing, match.NewKeyer(), importer.Config{BatchSize: 1})
	_, err := im.Import(ctx, []*importer.Input{input("c.csv", "email\na@x.com\nb@x.com\n")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestImport_Progress(t *testing.T) {
	// Ensure a non-terminal gets plain log lines.
	slow := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
		time.Sleep(30 * time.Millisecond)
		return make([]enrichd.IngestResult, len(batch)), nil
	}}
	var log bytes.Buffer
	_, _ = mustImport(t, slow, importer.Config{Log: &log, BatchSize: 1, ProgressInterval: 10 * time.Millisecond},
		input("p.csv", "email\na@x.com\nb@x.com\nc@x.com\n"))
	if !strings.Contains(log.String(), "import: p.csv") || !strings.Contains(log.String(), "rows/s") || strings.Contains(log.String(), "\r") {
		t.Fatalf("log = %q", log.String())
	}
}

func TestNew_BatchSize(t *testing.T) {
	if _, err := importer.New(newMemStore(), match.NewKeyer(), importer.Config{BatchSize: -1}); err == nil {
		t.Fatal("want an error for a negative batch size")
	}
}

// FuzzImport runs whole imports of arbitrary files: no input may panic, a
// failed import must be a clear EINVALID about the file, and a completed one
// must account for every record.
func FuzzImport(f *testing.F) {
	f.Add("email,name\na@b.com,A B\n", false)
	f.Add("Name,Domain\nAcme,acme.com\n\"x\n", false)
	f.Add("{\"full_name\":\"A\",\"contact\":{\"personal_emails\":[{\"address\":\"a@gmail.com\"}]}}\n{", true)
	f.Fuzz(func(t *testing.T, body string, jsonl bool) {
		name := "f.csv"
		if jsonl {
			name = "f.jsonl"
		}
		var rej bytes.Buffer
		cfg := importer.Config{Rejects: importer.NewRejects(&rej), BatchSize: 2}
		im, err := importer.New(newMemStore(), match.NewKeyer(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := im.Import(context.Background(), []*importer.Input{input(name, body)})
		if err != nil {
			if enrichd.ErrorCode(err) != enrichd.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			return
		}
		cfg.Rejects.Close()
		if sum.New+sum.Merged+sum.Unchanged+sum.Rejected != sum.Read {
			t.Fatalf("summary does not add up: %+v", sum)
		}
		if sum.Rejected > 0 {
			rows, err := csv.NewReader(&rej).ReadAll()
			if err != nil || len(rows) != sum.Rejected+1 {
				t.Fatalf("rejects file: %d rows, err %v; want %d", len(rows), err, sum.Rejected+1)
			}
		}
	})
}
