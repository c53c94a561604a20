package doccodec_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
	"github.com/enrichd/enrichd/match/eval"
)

// checkPerson fails unless DecodePerson and DecodePersonString give what
// json.Unmarshal gives.
func checkPerson(tb testing.TB, doc []byte) {
	tb.Helper()
	checkDecode(tb, doc, func(p *enrichd.Person) { p.FullName = "stale" }, doccodec.DecodePerson, doccodec.DecodePersonString)
}

func checkCompany(tb testing.TB, doc []byte) {
	tb.Helper()
	checkDecode(tb, doc, func(c *enrichd.Company) { c.Name = "stale" }, doccodec.DecodeCompany, doccodec.DecodeCompanyString)
}

// checkDecode compares decode and decodeString of doc with json.Unmarshal;
// stale dirties the target first, which each decoder must zero.
func checkDecode[T any](tb testing.TB, doc []byte, stale func(*T), decode func([]byte, *T) error, decodeString func(string, *T) error) {
	tb.Helper()
	var want T
	wantErr := json.Unmarshal(doc, &want)
	for i, dec := range []func(*T) error{
		func(v *T) error { return decode(doc, v) },
		func(v *T) error { return decodeString(string(doc), v) },
	} {
		var got T
		stale(&got)
		gotErr := dec(&got)
		if (gotErr == nil) != (wantErr == nil) {
			tb.Fatalf("doc %q (decoder %d): err=%v, want %v", doc, i, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			tb.Fatalf("doc %q (decoder %d):\n got %#v\nwant %#v", doc, i, got, want)
		}
	}
}

// words mixes plain ASCII with what json.Marshal escapes or what needs UTF-8.
var words = []string{"Ada", "Lovelace", "R&D", "<b>bold</b>", "Zoë", "Müller-Lüdenscheidt", "東京", "😀 emoji", `quote " and \ backslash`,
	"tab\tnew\nline", "\u2028sep\u2029", "\x7f", "ctl\x01", "", "https://www.linkedin.com/in/ada-lovelace", "+4512345678", "2019-03"}

func word(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return ""
	}
	return words[r.IntN(len(words))] + strings.Repeat(" x", r.IntN(3))
}

func wordList(r *rand.Rand) []string {
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []string{word(r)}
	}
	l := make([]string, 1+r.IntN(6))
	for i := range l {
		l[i] = word(r)
	}
	return l
}

func someTime(r *rand.Rand) time.Time {
	switch r.IntN(4) {
	case 0:
		return time.Time{}
	case 1:
		return time.Date(2026, 12, 3, 16, 31, 47, r.IntN(1e9), time.UTC)
	case 2:
		return time.Date(1999, 1, 2, 3, 4, 5, 0, time.FixedZone("", 5*3600+30*60))
	}
	return time.Unix(r.Int64N(4e9), int64(r.IntN(1e6))*1000).In(time.FixedZone("X", -7*3600))
}

func sources(r *rand.Rand) []enrichd.Provenance {
	var s []enrichd.Provenance
	for range r.IntN(4) {
		s = append(s, enrichd.Provenance{Source: word(r), RecordID: word(r), SeenAt: someTime(r)})
	}
	return s
}

func extra(r *rand.Rand) map[string]json.RawMessage {
	if r.IntN(3) == 0 {
		return nil
	}
	m := map[string]json.RawMessage{}
	raws := []string{`true`, `null`, `-12.5e3`, `"s<>"`, `{"a":[1,2,{"b":null}],"c":"\u00e9"}`, `[]`, `{}`, `0`}
	for range r.IntN(4) {
		m["v."+word(r)] = json.RawMessage(raws[r.IntN(len(raws))])
	}
	return m
}

// randomPerson returns a person with every kind of field set or not.
func randomPerson(r *rand.Rand) *enrichd.Person {
	p := &enrichd.Person{ID: word(r), FullName: word(r), FirstName: word(r), MiddleName: word(r), LastName: word(r),
		Headline: word(r), Summary: word(r), Title: word(r), Seniority: word(r), Departments: wordList(r),
		Location:  enrichd.Location{Raw: word(r), City: word(r), State: word(r), Country: word(r), CountryCode: word(r), Continent: word(r)},
		Languages: wordList(r), Skills: wordList(r),
		Contact:    enrichd.Contact{Websites: wordList(r)},
		Social:     enrichd.Social{LinkedInURL: word(r), LinkedInMemberID: word(r), Twitter: word(r), GitHub: word(r), Facebook: word(r)},
		PictureURL: word(r), Connections: r.IntN(3) * r.IntN(1e6), Followers: -r.IntN(2) * r.IntN(1e6),
		Extra: extra(r), Sources: sources(r), CreatedAt: someTime(r), UpdatedAt: someTime(r)}
	for range r.IntN(5) {
		p.Employment = append(p.Employment, enrichd.Employment{CompanyID: word(r), CompanyName: word(r), CompanyDomain: word(r),
			CompanyLinkedInURL: word(r), Title: word(r), Seniority: word(r), Department: word(r), Start: word(r), End: word(r),
			Current: r.IntN(2) == 0, Description: word(r), Location: word(r)})
	}
	for range r.IntN(3) {
		p.Education = append(p.Education, enrichd.Education{School: word(r), Degree: word(r), Field: word(r), Start: word(r), End: word(r)})
	}
	for range r.IntN(3) {
		p.Certifications = append(p.Certifications, enrichd.Certification{Name: word(r), IssuingOrganization: word(r),
			IssueDate: word(r), ExpirationDate: word(r), CredentialURL: word(r)})
	}
	for range r.IntN(3) {
		p.Honors = append(p.Honors, enrichd.Honor{Title: word(r), Issuer: word(r), IssuedDate: word(r), Description: word(r)})
	}
	for range r.IntN(3) {
		p.Contact.BusinessEmails = append(p.Contact.BusinessEmails, enrichd.Email{Address: word(r), Status: word(r), Source: word(r)})
	}
	for range r.IntN(3) {
		p.Contact.PersonalEmails = append(p.Contact.PersonalEmails, enrichd.Email{Address: word(r), Status: word(r)})
	}
	for range r.IntN(3) {
		p.Contact.Phones = append(p.Contact.Phones, enrichd.Phone{Number: word(r), Type: word(r), Status: word(r), Source: word(r)})
	}
	return p
}

func randomCompany(r *rand.Rand) *enrichd.Company {
	return &enrichd.Company{ID: word(r), Name: word(r), LegalName: word(r), Domain: word(r), OtherDomains: wordList(r),
		LinkedInURL: word(r), Industry: word(r), EmployeeRange: word(r), EmployeeCount: r.IntN(2) * r.IntN(1e5),
		RevenueRange: word(r), FoundedYear: r.IntN(2) * (1800 + r.IntN(226)),
		HQ:    enrichd.Location{City: word(r), Country: word(r), CountryCode: word(r)},
		Phone: word(r), Description: word(r), EmailPattern: word(r), Extra: extra(r), Sources: sources(r),
		CreatedAt: someTime(r), UpdatedAt: someTime(r)}
}

func mustMarshal(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Ensure stored documents of generated and random people and companies decode
// as json.Unmarshal decodes them.
func TestDecode_RoundTrip(t *testing.T) {
	t.Run("Generated", func(t *testing.T) {
		d := eval.Generate(eval.Config{Seed: 7, People: 2000, Companies: 100, Queries: 1})
		for _, p := range d.People {
			checkPerson(t, mustMarshal(t, p))
		}
		for _, c := range d.Employers {
			checkCompany(t, mustMarshal(t, c))
		}
	})
	t.Run("Random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 3000 {
			checkPerson(t, mustMarshal(t, randomPerson(r)))
			checkCompany(t, mustMarshal(t, randomCompany(r)))
		}
	})
}

// Ensure the fast path really decodes what the stores write (rather than
// handing everything to the fallback): allocations stay far below stdlib's.
func TestDecodePerson_FastPath(t *testing.T) {
	doc := mustMarshal(t, benchPerson())
	allocs := testing.AllocsPerRun(100, func() {
		var p enrichd.Person
		if err := doccodec.DecodePerson(doc, &p); err != nil {
			t.Fatal(err)
		}
	})
	std := testing.AllocsPerRun(100, func() {
		var p enrichd.Person
		if err := json.Unmarshal(doc, &p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs*2 > std {
		t.Fatalf("allocs=%v, stdlib %v: fast path not taken?", allocs, std)
	}
}

var personEdgeCases = []struct {
	Name string
	Doc  string
}{
	{"Empty", `{}`},
	{"EmptyInput", ``},
	{"Whitespace", " \t\r\n{ \"id\" : \"a\" ,\n\"skills\" :[ \"x\" , \"y\" ] } \n"},
	{"Null", `null`},
	{"NullField", `{"full_name":null,"skills":null,"location":null,"created_at":null}`},
	{"NullElement", `{"skills":["a",null],"employment":[null]}`},
	{"TopArray", `[]`},
	{"TopString", `"x"`},
	{"Trailing", `{} {}`},
	{"TrailingGarbage", `{}x`},
	{"Truncated", `{"id":"a"`},
	{"TruncatedString", `{"id":"a`},
	{"TrailingComma", `{"id":"a",}`},
	{"TrailingCommaArray", `{"skills":["a",]}`},
	{"MissingColon", `{"id" "a"}`},
	{"LeadingComma", `{,"id":"a"}`},
	{"SimpleEscapes", `{"full_name":"a\"b\\c\/d\be\ff\ng\rh\ti"}`},
	{"UnicodeEscape", `{"full_name":"\u00e9\u00E9\u003c\u2028"}`},
	{"SurrogatePair", `{"full_name":"\ud83d\ude00"}`},
	{"LoneHighSurrogate", `{"full_name":"\ud83dx"}`},
	{"LoneLowSurrogate", `{"full_name":"\ude00"}`},
	{"HighHigh", `{"full_name":"\ud83d\ud83d\ude00"}`},
	{"HighThenBMP", `{"full_name":"\ud83d\u0041"}`},
	{"HighAtEnd", `{"full_name":"\ud83d"}`},
	{"BadEscape", `{"full_name":"\x"}`},
	{"ApostropheEscape", `{"full_name":"\'"}`},
	{"ShortUnicode", `{"full_name":"\u12"}`},
	{"BadHex", `{"full_name":"\u12g4"}`},
	{"InvalidUTF8", "{\"full_name\":\"a\xffb\xc3\"}"},
	{"EncodedSurrogate", "{\"full_name\":\"\xed\xa0\x80\"}"},
	{"ReplacementChar", "{\"full_name\":\"\xef\xbf\xbd\"}"},
	{"ControlChar", "{\"full_name\":\"a\x01\"}"},
	{"DEL", "{\"full_name\":\"a\x7f\"}"},
	{"UnknownKey", `{"nickname":"x","id":"a"}`},
	{"CaseVariantKey", `{"Full_Name":"x"}`},
	{"KelvinKey", "{\"s\u212Aills\":[\"x\"]}"},
	{"EscapedKey", `{"full\u005fname":"x"}`},
	{"DuplicateKey", `{"id":"a","id":"b"}`},
	{"DuplicateNested", `{"location":{"city":"A","country":"X"},"location":{"city":"B"}}`},
	{"DuplicateSlice", `{"skills":["a","b"],"skills":["c"]}`},
	{"DuplicateStructSlice", `{"employment":[{"title":"a","company_name":"x"}],"employment":[{"title":"b"}]}`},
	{"DuplicateInElement", `{"employment":[{"title":"a","title":"b"}]}`},
	{"EmptyArrays", `{"skills":[],"employment":[],"contact":{"phones":[]}}`},
	{"EmptyObjects", `{"location":{},"contact":{},"social":{},"extra":{}}`},
	{"Ints", `{"connections":0,"followers":-0}`},
	{"NegativeInt", `{"connections":-42}`},
	{"MaxInt", `{"connections":9223372036854775807,"followers":-9223372036854775808}`},
	{"Overflow", `{"connections":9223372036854775808}`},
	{"NegOverflow", `{"followers":-9223372036854775809}`},
	{"BigNumber", `{"connections":123456789012345678901234567890}`},
	{"Float", `{"connections":1.0}`},
	{"Exponent", `{"connections":1e3}`},
	{"LeadingZero", `{"connections":01}`},
	{"MinusOnly", `{"connections":-}`},
	{"IntAsString", `{"connections":"1"}`},
	{"StringAsInt", `{"full_name":1}`},
	{"BoolAsString", `{"employment":[{"current":"true"}]}`},
	{"Bools", `{"employment":[{"current":true},{"current":false}]}`},
	{"BadLiteral", `{"employment":[{"current":tru}]}`},
	{"LiteralRunOn", `{"employment":[{"current":truex}]}`},
	{"ExtraNested", `{"extra":{"a.b": {"x" : [1, 2.5e-3, "s", null, true, {}]} , "c":null,"d":"\u00e9","e":-0.0}}`},
	{"ExtraDuplicate", `{"extra":{"a":1,"a":2}}`},
	{"ExtraEscapedKey", `{"extra":{"a\u00e9\n":1,"b\ud800":2}}`},
	{"ExtraBadNumber", `{"extra":{"a":01}}`},
	{"ExtraBadNested", `{"extra":{"a":{"b":}}}`},
	{"ExtraNotObject", `{"extra":[1]}`},
	{"ExtraDeep", `{"extra":{"a":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}}`},
	{"ExtraTooDeep", `{"extra":{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}}`},
	{"TimeUTC", `{"created_at":"2026-12-03T16:31:47.123456789Z"}`},
	{"TimeOffset", `{"created_at":"2026-12-03T16:31:47+05:30","updated_at":"1999-01-02T03:04:05-07:00"}`},
	{"TimeZero", `{"created_at":"0001-01-01T00:00:00Z"}`},
	{"TimeBad", `{"created_at":"2026-13-03T16:31:47Z"}`},
	{"TimeNoZone", `{"created_at":"2026-12-03T16:31:47"}`},
	{"TimeEscaped", `{"created_at":"2026-12-03T16:31:47\u005a"}`},
	{"TimeNumber", `{"created_at":0}`},
	{"SourcesTime", `{"sources":[{"source":"a.csv","record_id":"a.csv:2","seen_at":"2026-12-03T16:31:47Z"}]}`},
	{"SourcesBadTime", `{"sources":[{"source":"a.csv","seen_at":"yesterday"}]}`},
	{"WrongContainer", `{"location":[]}`},
	{"StringSliceOfInts", `{"skills":[1]}`},
}

// Ensure hand-written edge cases decode (or fail) as json.Unmarshal does.
func TestDecodePerson_EdgeCases(t *testing.T) {
	t.Run("NilTarget", func(t *testing.T) {
		if err := doccodec.DecodePerson([]byte(`{}`), nil); err == nil {
			t.Fatal("no error decoding into nil")
		}
		if err := doccodec.DecodeCompany([]byte(`{}`), nil); err == nil {
			t.Fatal("no error decoding into nil")
		}
	})
	for _, tc := range personEdgeCases {
		t.Run(tc.Name, func(t *testing.T) { checkPerson(t, []byte(tc.Doc)) })
	}
}

// Ensure company edge cases decode (or fail) as json.Unmarshal does.
func TestDecodeCompany_EdgeCases(t *testing.T) {
	for _, doc := range []string{
		`{}`, `{"name":"Acme \u0026 Co","hq":{"city":"Zürich"},"employee_count":51,"founded_year":-1}`,
		`{"other_domains":["a.com","b.io"],"other_domains":[]}`, `{"Name":"x"}`, `{"employee_count":1.5}`,
		`{"extra":{"x":{"y":[null]}},"sources":[{"source":"s","seen_at":"2026-01-01T00:00:00Z"}]}`,
		`{"hq":null}`, `{"name":"a"}garbage`,
	} {
		checkCompany(t, []byte(doc))
	}
}

// seeds are real documents for the fuzz targets.
func seeds(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		f.Add(mustMarshal(f, randomPerson(r)))
		f.Add(mustMarshal(f, randomCompany(r)))
	}
	f.Add(mustMarshal(f, benchPerson()))
	for _, tc := range personEdgeCases {
		f.Add([]byte(tc.Doc))
	}
}

func FuzzDecodePerson(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) { checkPerson(t, doc) })
}

func FuzzDecodeCompany(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) { checkCompany(t, doc) })
}

// benchPerson is a representative stored person: a few jobs, schools,
// emails, phones and sources.
func benchPerson() *enrichd.Person {
	seen := time.Date(2026, 11, 30, 9, 12, 44, 123456000, time.UTC)
	p := &enrichd.Person{
		ID: "p_01HZX3K9V7Q2", FullName: "Margarethe Okafor-Lindqvist", FirstName: "Margarethe", LastName: "Okafor-Lindqvist",
		Headline: "VP Engineering at Northwind Analytics | distributed systems & data platforms",
		Summary:  "Engineering leader with 15 years building data platforms. Previously led storage at Contoso; before that, search infrastructure at Fabrikam.",
		Title:    "VP Engineering", Seniority: enrichd.SeniorityExecutive, Departments: []string{"engineering"},
		Location:  enrichd.Location{Raw: "Copenhagen, Capital Region, Denmark", City: "Copenhagen", State: "Capital Region", Country: "Denmark", CountryCode: "DK", Continent: "Europe"},
		Languages: []string{"English", "Danish", "German"},
		Skills:    []string{"Go", "PostgreSQL", "Distributed Systems", "Kubernetes", "Team Leadership", "Data Engineering"},
		Contact: enrichd.Contact{
			BusinessEmails: []enrichd.Email{{Address: "margarethe.okafor@northwind.io", Status: enrichd.StatusVerified, Source: "crm.csv"}},
			PersonalEmails: []enrichd.Email{{Address: "m.okafor.lindqvist@gmail.com", Status: enrichd.StatusUnknown}},
			Phones:         []enrichd.Phone{{Number: "+4512345678", Type: "mobile", Status: enrichd.StatusVerified, Source: "crm.csv"}},
		},
		Social:      enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/margarethe-okafor-lindqvist", Twitter: "mokafor", GitHub: "mokafor"},
		PictureURL:  "https://media.example.com/p/01HZX3K9V7Q2.jpg",
		Connections: 500, Followers: 1873,
		CreatedAt: seen.Add(-90 * 24 * time.Hour), UpdatedAt: seen,
	}
	for i, c := range []string{"Northwind Analytics", "Contoso", "Fabrikam"} {
		p.Employment = append(p.Employment, enrichd.Employment{
			CompanyName: c, CompanyDomain: strings.ToLower(strings.Fields(c)[0]) + ".io",
			CompanyLinkedInURL: "https://www.linkedin.com/company/" + strings.ToLower(strings.Fields(c)[0]),
			Title:              []string{"VP Engineering", "Director of Storage", "Senior Software Engineer"}[i],
			Seniority:          enrichd.SenioritySenior, Department: "engineering",
			Start: fmt.Sprint(2021 - 4*i), End: []string{"", "2021-02", "2017-06"}[i], Current: i == 0,
			Location: "Copenhagen, Denmark",
		})
	}
	p.Education = []enrichd.Education{
		{School: "Technical University of Denmark", Degree: "MSc", Field: "Computer Science", Start: "2006", End: "2008"},
		{School: "University of Copenhagen", Degree: "BSc", Field: "Mathematics", Start: "2003", End: "2006"},
	}
	p.Sources = []enrichd.Provenance{
		{Source: "crm.csv", RecordID: "crm.csv:1842", SeenAt: seen.Add(-90 * 24 * time.Hour)},
		{Source: "linkedin-feed", RecordID: "li:8842113", SeenAt: seen},
	}
	return p
}

func BenchmarkDecodePerson(b *testing.B) {
	doc := mustMarshal(b, benchPerson())
	for _, bc := range []struct {
		Name   string
		Decode func([]byte, *enrichd.Person) error
	}{
		{"stdlib", func(doc []byte, p *enrichd.Person) error { return json.Unmarshal(doc, p) }},
		{"doccodec", doccodec.DecodePerson},
	} {
		b.Run(bc.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			cpu := cpuTime()
			for b.Loop() {
				var p enrichd.Person
				if err := bc.Decode(doc, &p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime returns the process's user and system CPU time in ns: on a shared
// machine it varies less than wall time (ns/op) does.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// fill sets every field of v, recursively, to a non-zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Int:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.SetBytes([]byte(`{"k":[1]}`))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range v.Len() {
			fill(v.Index(i))
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e)
		m.SetMapIndex(reflect.ValueOf("a.b"), e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

// Ensure the fast path knows every field: a field added to Person or Company
// without a case in the decoder would send every document that has it to the
// (exact but slow) fallback.
func TestDecode_AllFieldsFast(t *testing.T) {
	var p enrichd.Person
	fill(reflect.ValueOf(&p).Elem())
	if doc := mustMarshal(t, &p); !doccodec.FastPerson(doc) {
		t.Fatalf("fast path gave up on %s", doc)
	}
	var c enrichd.Company
	fill(reflect.ValueOf(&c).Elem())
	if doc := mustMarshal(t, &c); !doccodec.FastCompany(doc) {
		t.Fatalf("fast path gave up on %s", doc)
	}
}

// Ensure the fast path itself (not the fallback) decodes the edge cases it
// claims: escapes, surrogates, invalid UTF-8, raw Extra values and times.
func TestDecodePerson_FastEdgeCases(t *testing.T) {
	fast := map[string]bool{}
	for _, name := range strings.Fields(`Empty Whitespace SimpleEscapes UnicodeEscape SurrogatePair LoneHighSurrogate
		LoneLowSurrogate HighHigh HighThenBMP HighAtEnd InvalidUTF8 EncodedSurrogate ReplacementChar DEL EmptyArrays
		EmptyObjects Ints NegativeInt MaxInt Bools ExtraNested ExtraDuplicate ExtraEscapedKey TimeUTC TimeOffset TimeZero
		SourcesTime`) {
		fast[name] = true
	}
	for _, tc := range personEdgeCases {
		if got, want := doccodec.FastPerson([]byte(tc.Doc)), fast[tc.Name]; got != want {
			t.Errorf("%s: fast=%v, want %v", tc.Name, got, want)
		}
	}
}
