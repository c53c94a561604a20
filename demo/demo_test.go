package demo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/mock"
)

func TestGenerate(t *testing.T) {
	start := time.Now()
	ds := Generate(DefaultOptions())
	t.Logf("generated %d people, %d companies, %d records in %v", len(ds.People), len(ds.Companies), len(ds.Records), time.Since(start))

	t.Run("Size", func(t *testing.T) {
		if got := len(ds.People); got < 10_000 {
			t.Fatalf("people=%d, want ≥ 10000", got)
		}
		if got := len(ds.Companies); got < 500 {
			t.Fatalf("companies=%d, want ≥ 500", got)
		}
	})

	t.Run("Companies", func(t *testing.T) {
		domains, names := map[string]bool{}, map[string]bool{}
		for _, c := range ds.Companies {
			if domains[c.Domain] || names[c.Name] {
				t.Fatalf("duplicate company %q %q", c.Name, c.Domain)
			}
			domains[c.Domain], names[c.Name] = true, true
			if c.Domain == "" || c.LinkedInURL == "" || c.EmailPattern == "" || c.HQ.CountryCode == "" || c.EmployeeRange == "" {
				t.Fatalf("incomplete company %+v", c)
			}
		}
	})

	t.Run("People", func(t *testing.T) {
		byDomain := map[string]*enrichd.Company{}
		for _, c := range ds.Companies {
			byDomain[c.Domain] = c
		}
		emails, lis := map[string]bool{}, map[string]bool{}
		var accented, multiCurrent, history, personal, phones, middle int
		for _, p := range ds.People {
			if p.FirstName == "" || p.LastName == "" || p.Title == "" || p.Seniority == "" || len(p.Skills) < 3 || len(p.Education) == 0 {
				t.Fatalf("incomplete person %+v", p)
			}
			if len(p.Contact.BusinessEmails) != 1 {
				t.Fatalf("%s has %d business emails", p.FullName, len(p.Contact.BusinessEmails))
			}
			e := p.Contact.BusinessEmails[0].Address
			if emails[e] {
				t.Fatalf("duplicate email %s", e)
			}
			emails[e] = true
			if li := p.Social.LinkedInURL; li != "" {
				if lis[li] {
					t.Fatalf("duplicate LinkedIn %s", li)
				}
				lis[li] = true
			}
			job := p.CurrentJob()
			c := byDomain[job.CompanyDomain]
			if c == nil || !strings.HasSuffix(e, "@"+c.Domain) {
				t.Fatalf("%s: email %s not at the current employer %s", p.FullName, e, job.CompanyDomain)
			}
			if strings.ContainsFunc(p.FullName, func(r rune) bool { return r > 127 }) {
				accented++
			}
			var current int
			for _, j := range p.Employment {
				if j.Current {
					current++
				} else if j.End == "" || j.Start > j.End {
					t.Fatalf("%s: past job with bad dates %+v", p.FullName, j)
				}
			}
			if current > 1 {
				multiCurrent++
			}
			if len(p.Employment) > 1 {
				history++
			}
			if len(p.Contact.PersonalEmails) > 0 {
				personal++
			}
			if len(p.Contact.Phones) > 0 {
				phones++
				if !strings.HasPrefix(p.Contact.Phones[0].Number, "+") {
					t.Fatalf("phone %q is not E.164", p.Contact.Phones[0].Number)
				}
			}
			if p.MiddleName != "" {
				middle++
			}
		}
		n := len(ds.People)
		for _, c := range []struct {
			name     string
			got, min int
		}{
			{"accented names", accented, n / 10},
			{"several current jobs", multiCurrent, n / 50},
			{"job histories", history, n / 2},
			{"personal emails", personal, n / 5},
			{"phones", phones, n / 6},
			{"middle names", middle, n / 20},
		} {
			if c.got < c.min {
				t.Errorf("%s: %d, want ≥ %d", c.name, c.got, c.min)
			}
		}
	})

	t.Run("Deterministic", func(t *testing.T) {
		// A smaller set keeps the test fast under -race; the generator is the same.
		opt := Options{People: 1000, Companies: 100, Seed: DefaultSeed}
		a, _ := json.Marshal(Generate(opt).Records)
		b, _ := json.Marshal(Generate(opt).Records)
		if string(a) != string(b) {
			t.Fatal("two generations with the same seed differ")
		}
		other := Generate(Options{People: 100, Companies: 20, Seed: 7})
		if other.People[0].FullName == ds.People[0].FullName && other.People[1].FullName == ds.People[1].FullName {
			t.Fatal("a different seed gave the same people")
		}
	})

	t.Run("Records", func(t *testing.T) {
		var companyOnly, withPerson, crm int
		docs := DocExamples()
		for _, r := range ds.Records[len(ds.Records)-len(docs):] {
			if r.Person != nil && r.Person.Social.LinkedInURL == "" && len(r.Person.Contact.BusinessEmails) == 0 {
				t.Fatal("doc example without an identity key")
			}
		}
		for _, r := range ds.Records[:len(ds.Records)-len(docs)] {
			switch {
			case r.Person == nil:
				companyOnly++
			case r.Company != nil:
				withPerson++
			default:
				crm++
				if r.Person.Social.LinkedInURL == "" && len(r.Person.Contact.BusinessEmails) == 0 {
					t.Fatal("CRM copy without an identity key")
				}
			}
		}
		if companyOnly != len(ds.Companies) || withPerson != len(ds.People) || crm == 0 {
			t.Fatalf("company-only %d, person %d, crm %d", companyOnly, withPerson, crm)
		}
	})
}

func TestLoad(t *testing.T) {
	ds := Generate(Options{People: 50, Companies: 10, Seed: 1})
	var batches [][]enrichd.IngestRecord
	ing := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
		batches = append(batches, batch)
		res := make([]enrichd.IngestResult, len(batch))
		for i, r := range batch {
			if r.Person != nil {
				res[i].PersonOutcome = enrichd.OutcomeNew
			}
		}
		return res, nil
	}}
	var done []int
	st, err := Load(context.Background(), ing, ds.Records, 16, func(n int) { done = append(done, n) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Records, len(ds.Records); got != want {
		t.Fatalf("records=%d, want %d", got, want)
	}
	if got, want := len(batches), (len(ds.Records)+15)/16; got != want {
		t.Fatalf("batches=%d, want %d", got, want)
	}
	if done[len(done)-1] != len(ds.Records) {
		t.Fatalf("progress %v", done)
	}

	t.Run("Error", func(t *testing.T) {
		ing := &mock.IngestService{IngestFn: func(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
			return nil, enrichd.Errorf(enrichd.EINVALID, "bad")
		}}
		if _, err := Load(context.Background(), ing, ds.Records, 16, nil); enrichd.ErrorCode(err) != enrichd.EINVALID {
			t.Fatalf("err=%v", err)
		}
	})
}
