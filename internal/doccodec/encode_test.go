package doccodec_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
	"github.com/enrichd/enrichd/match/eval"
)

// checkEncodePerson fails unless EncodePerson gives what json.Marshal gives.
func checkEncodePerson(tb testing.TB, p *enrichd.Person) {
	tb.Helper()
	want, wantErr := json.Marshal(p)
	got, gotErr := doccodec.EncodePerson([]byte("prefix"), p)
	if (gotErr == nil) != (wantErr == nil) {
		tb.Fatalf("%#v: err=%v, want %v", p, gotErr, wantErr)
	}
	if wantErr != nil {
		want = nil
	}
	if !bytes.Equal(got, append([]byte("prefix"), want...)) {
		tb.Fatalf("got  %s\nwant prefix%s", got, want)
	}
}

func checkEncodeCompany(tb testing.TB, c *enrichd.Company) {
	tb.Helper()
	want, wantErr := json.Marshal(c)
	got, gotErr := doccodec.EncodeCompany(nil, c)
	if (gotErr == nil) != (wantErr == nil) {
		tb.Fatalf("%#v: err=%v, want %v", c, gotErr, wantErr)
	}
	if !bytes.Equal(got, want) {
		tb.Fatalf("got  %s\nwant %s", got, want)
	}
}

// Ensure generated and random people and companies encode byte for byte as
// json.Marshal encodes them.
func TestEncode_Equivalence(t *testing.T) {
	d := eval.Generate(eval.Config{Seed: 9, People: 2000, Companies: 100, Queries: 1})
	for _, p := range d.People {
		checkEncodePerson(t, p)
	}
	for _, c := range d.Employers {
		checkEncodeCompany(t, c)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		checkEncodePerson(t, randomPerson(r))
		checkEncodeCompany(t, randomCompany(r))
	}
	checkEncodePerson(t, benchPerson())
	var p enrichd.Person
	fill(reflect.ValueOf(&p).Elem())
	checkEncodePerson(t, &p)
}

// Ensure edge values encode (or fail) as json.Marshal does.
func TestEncodePerson_EdgeCases(t *testing.T) {
	t.Run("Nil", func(t *testing.T) {
		checkEncodePerson(t, nil)
		checkEncodeCompany(t, nil)
	})
	for _, tc := range []struct {
		Name   string
		Person enrichd.Person
	}{
		{"Zero", enrichd.Person{}},
		{"Strings", enrichd.Person{FullName: "a\"b\\c\b\f\n\r\t\x00\x1f\x7f<>&\u2028\u2029é😀", Skills: []string{"", "\xff", "a\xc3", "\xed\xa0\x80"}}},
		{"EmptyNonNilSlices", enrichd.Person{Skills: []string{}, Employment: []enrichd.Employment{}, Contact: enrichd.Contact{Phones: []enrichd.Phone{}}}},
		{"ContactEmptyWebsites", enrichd.Person{Contact: enrichd.Contact{Websites: []string{}}}},
		{"EmptyElements", enrichd.Person{Employment: []enrichd.Employment{{}}, Contact: enrichd.Contact{BusinessEmails: []enrichd.Email{{}}, Phones: []enrichd.Phone{{}}}, Sources: []enrichd.Provenance{{}}}},
		{"NegativeInts", enrichd.Person{Connections: -1, Followers: -9223372036854775808}},
		{"TimeOffset", enrichd.Person{CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("", -(9*3600+30*60)))}},
		{"TimeYear10000", enrichd.Person{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"TimeNegativeYear", enrichd.Person{UpdatedAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"TimeZoneHour24", enrichd.Person{UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))}},
		{"SeenAtBad", enrichd.Person{Sources: []enrichd.Provenance{{Source: "s", SeenAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}},
		{"ExtraRaw", enrichd.Person{Extra: map[string]json.RawMessage{"b": json.RawMessage(` { "x" : [ 1 , "<&>" ] } `), "a": nil, "<k>": json.RawMessage(`"\u2028"`)}}},
		{"ExtraInvalid", enrichd.Person{Extra: map[string]json.RawMessage{"a": json.RawMessage(`{`)}}},
		{"ExtraEmptyMap", enrichd.Person{Extra: map[string]json.RawMessage{}}},
	} {
		t.Run(tc.Name, func(t *testing.T) { checkEncodePerson(t, &tc.Person) })
	}
}

// FuzzEncodePerson encodes the person a document decodes to, with the fuzzed
// string (any bytes) and times set, and compares with json.Marshal.
func FuzzEncodePerson(f *testing.F) {
	seeds2 := func(doc []byte) { f.Add(doc, "x<\xff", int64(0), 0) }
	r := rand.New(rand.NewPCG(7, 8))
	for range 10 {
		seeds2(mustMarshal(f, randomPerson(r)))
	}
	seeds2(mustMarshal(f, benchPerson()))
	f.Fuzz(func(t *testing.T, doc []byte, s string, sec int64, offset int) {
		var p enrichd.Person
		_ = json.Unmarshal(doc, &p)
		p.Summary = s
		if len(s) > 0 && s[0]&1 == 1 {
			p.Skills = append(p.Skills, s)
			p.Contact.Phones = append(p.Contact.Phones, enrichd.Phone{Number: s})
		}
		if sec != 0 {
			p.UpdatedAt = time.Unix(sec, 0).In(time.FixedZone("", offset%(100*3600)))
		}
		checkEncodePerson(t, &p)
	})
}

// FuzzEncodeCompany is FuzzEncodePerson for companies.
func FuzzEncodeCompany(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 10 {
		f.Add(mustMarshal(f, randomCompany(r)), "x<\xff")
	}
	f.Fuzz(func(t *testing.T, doc []byte, s string) {
		var c enrichd.Company
		_ = json.Unmarshal(doc, &c)
		c.Description = s
		checkEncodeCompany(t, &c)
	})
}

func BenchmarkEncodePerson(b *testing.B) {
	p := benchPerson()
	for _, bc := range []struct {
		Name   string
		Encode func([]byte, *enrichd.Person) ([]byte, error)
	}{
		{"stdlib", func(_ []byte, p *enrichd.Person) ([]byte, error) { return json.Marshal(p) }},
		{"doccodec", doccodec.EncodePerson},
	} {
		b.Run(bc.Name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := bc.Encode(nil, p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
