package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd/match"
)

// readAllCSV reads every record of s, collecting row errors.
func readAllCSV(tb testing.TB, s string) (recs []csvRecord, rowErrs int) {
	tb.Helper()
	r := newCSVReader(newLineReader(strings.NewReader(s)), ',')
	last := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, rowErrs
		}
		var re *rowError
		if errors.As(err, &re) {
			rowErrs++
		} else if err != nil {
			tb.Fatalf("I/O error from a string: %v", err)
		} else {
			recs = append(recs, rec)
		}
		if rec.line <= last {
			tb.Fatalf("line %d after line %d", rec.line, last)
		}
		last = rec.line
	}
}

func TestCSVReader(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     [][]string
		errs     int
	}{
		{"Plain", "a,b\nc,d\n", [][]string{{"a", "b"}, {"c", "d"}}, 0},
		{"NoFinalNewline", "a,b", [][]string{{"a", "b"}}, 0},
		{"CRLF", "a,b\r\n\r\nc,\r\n", [][]string{{"a", "b"}, {"c", ""}}, 0},
		{"Quoted", `"a,1","b""q""",""` + "\n", [][]string{{"a,1", `b"q"`, ""}}, 0},
		{"MultiLine", "\"a\nb\",c\nd,e\n", [][]string{{"a\nb", "c"}, {"d", "e"}}, 0},
		{"TrailingEmpty", "a,\"b\",\n", [][]string{{"a", "b", ""}}, 0},
		{"BareQuote", "a,b\"c\nd,e\n", [][]string{{"d", "e"}}, 1},
		{"AfterQuote", "\"a\"b,c\nd,e\n", [][]string{{"d", "e"}}, 1},
		{"Unterminated", "\"a,b\nc,d\ne,f\n", [][]string{{"c", "d"}, {"e", "f"}}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := readAllCSV(t, tt.in)
			var got [][]string
			for _, r := range recs {
				got = append(got, r.fields)
			}
			if !reflect.DeepEqual(got, tt.want) || errs != tt.errs {
				t.Fatalf("got %q (%d errors), want %q (%d errors)", got, errs, tt.want, tt.errs)
			}
		})
	}
}

// FuzzCSVReader checks that no input panics or loops, and that on input
// encoding/csv accepts, the reader agrees with it.
func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{"a,b\nc,d\n", "\"a\nb\",c\n", "\"a\"\"b\",\"\"\n", "a,\"b\n", "\"x\"y,z\n", "a\r\n\r\n", "\ufeffa;b\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		recs, errs := readAllCSV(t, s)
		// Differential check only where both readers define the same thing:
		// no CR (encoding/csv folds \r\n inside quotes) and no blank-looking lines.
		if errs > 0 || strings.ContainsRune(s, '\r') {
			return
		}
		for _, l := range strings.Split(s, "\n") {
			if l != "" && strings.TrimSpace(l) == "" {
				return
			}
		}
		cr := csv.NewReader(strings.NewReader(s))
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		if len(want) != len(recs) {
			t.Fatalf("%d records, encoding/csv has %d", len(recs), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(recs[i].fields, want[i]) {
				t.Fatalf("record %d = %q, encoding/csv has %q", i, recs[i].fields, want[i])
			}
		}
	})
}

// FuzzCSVRow runs decoding and conversion of a row under a fixed header: no
// input may panic, and every error must be a row error.
func FuzzCSVRow(f *testing.F) {
	hdr := "email,full name,linkedin,phone,country,company,website,employees,founded,skills,updated_at,seniority"
	for _, s := range []string{
		"a@b.com,Ann,linkedin.com/in/a,+4533123456,DK,Acme,acme.com,10-50,1999,go;sql,2024-01-01,vp",
		"\"x\",\"\",,,,,,,,,,", ",,,,,,,,,,,", "a@gmail.com,\"A\nB\",,,,,,10001+,,,,",
	} {
		f.Add(s)
	}
	h, err := resolveHeader(strings.Split(hdr, ","), nil)
	if err != nil {
		f.Fatal(err)
	}
	norm := MatchNormalizers()
	c := &converter{norm: &norm, keyer: match.NewKeyer(), source: "f.csv", file: "f.csv", seenAt: time.Unix(0, 0)}
	f.Fuzz(func(t *testing.T, s string) {
		r := newCSVReader(newLineReader(strings.NewReader(s)), ',')
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			var re *rowError
			if errors.As(err, &re) {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			out, err := c.csvRow(h, rec)
			if err != nil {
				if !errors.As(err, &re) {
					t.Fatalf("non-row error %v", err)
				}
				continue
			}
			if out.Person == nil && out.Company == nil {
				t.Fatal("empty record accepted")
			}
		}
	})
}

// FuzzJSONLine checks that no JSONL line panics the decoder or the converter.
func FuzzJSONLine(f *testing.F) {
	for _, s := range []string{
		`{"full_name":"A","social":{"linkedin_url":"linkedin.com/in/a"}}`,
		`{"person":{"contact":{"business_emails":[{"address":"a@b.com"}]}},"company":{"domain":"b.com"}}`,
		`{"company":{"name":"X"}}`, `{"employment":[{"current":true,"company_name":"X"}],"full_name":"A B"}`,
		`{"connections":"x"}`, `[]`, `{`, `{"a":1}`,
	} {
		f.Add([]byte(s))
	}
	norm := MatchNormalizers()
	c := &converter{norm: &norm, keyer: match.NewKeyer(), source: "f.jsonl", file: "f.jsonl", seenAt: time.Unix(0, 0)}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := c.jsonRow(1, b)
		var re *rowError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("non-row error %v", err)
		}
		if err == nil && out.Person == nil && out.Company == nil {
			t.Fatal("empty record accepted")
		}
	})
}

func TestParseCompanySize(t *testing.T) {
	for _, tt := range []struct {
		in    string
		rng   string
		count int
		ok    bool
	}{
		{"51-200", "51-200", 0, true}, {"51 - 200", "51-200", 0, true}, {"10,001+", "10001+", 0, true},
		{"1,234", "1001-5000", 1234, true}, {"7", "2-10", 7, true}, {"11 to 50 employees", "11-50", 0, true},
		{"many", "", 0, false}, {"200-51", "", 0, false},
	} {
		rng, n, err := parseCompanySize(tt.in)
		if rng != tt.rng || n != tt.count || (err == nil) != tt.ok {
			t.Errorf("parseCompanySize(%q) = %q, %d, %v", tt.in, rng, n, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2024-05-01", "2024-05-01T00:00:00Z", "2024-05-01 00:00:00", "1714521600", "1714521600000", "2024-05-01T02:00:00+02:00"} {
		if got, err := parseTime(s); err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := parseTime("yesterday"); err == nil {
		t.Error("parseTime(yesterday): want an error")
	}
}

func TestSniffComma(t *testing.T) {
	for in, want := range map[string]byte{"a,b,c": ',', "a;b;c": ';', "a\tb": '\t', "\"a;b\",c": ',', "name": ','} {
		if got := sniffComma([]byte(in)); got != want {
			t.Errorf("sniffComma(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAliases ensures every field name, as written in docs/IMPORT.md, is its own alias.
func TestAliases(t *testing.T) {
	for f := range fields {
		if got := aliases[foldColumn(f)]; got != f {
			t.Errorf("column %q maps to %q, want %q", f, got, f)
		}
	}
}
