package match

import (
	"encoding/csv"
	"os"
	"reflect"
	"strings"
	"testing"
)

// Ensure inferred seniority and primary department agree with a hand-labelled
// set of real-world titles at least 90% of the time each.
func TestTitles_LabelledSet(t *testing.T) {
	f, err := os.Open("testdata/titles.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	if len(rows) < 300 {
		t.Fatalf("labelled set has %d titles, want >= 300", len(rows))
	}
	var senOK, deptOK int
	for _, r := range rows {
		title, sen, dept := r[0], r[1], r[2]
		if got := InferSeniority(title); got == sen {
			senOK++
		} else if testing.Verbose() {
			t.Logf("seniority %q: got %q, want %q", title, got, sen)
		}
		got := InferDepartments(title)
		primary := ""
		if len(got) > 0 {
			primary = got[0]
		}
		if primary == dept {
			deptOK++
		} else if testing.Verbose() {
			t.Logf("department %q: got %q, want %q", title, got, dept)
		}
	}
	n := float64(len(rows))
	t.Logf("%d titles: seniority agreement %.3f, department agreement %.3f", len(rows), float64(senOK)/n, float64(deptOK)/n)
	if float64(senOK)/n < 0.90 {
		t.Errorf("seniority agreement %.3f < 0.90", float64(senOK)/n)
	}
	if float64(deptOK)/n < 0.90 {
		t.Errorf("department agreement %.3f < 0.90", float64(deptOK)/n)
	}
}

func TestVendorSeniorities(t *testing.T) {
	for _, tt := range []struct {
		title, clodura string
		ocean          []string
	}{
		{"Software Engineer", "Entry Level", []string{"Other"}},
		{"Marketing Intern", "Entry Level", []string{"Other"}},
		{"Engineering Manager", "Manager", []string{"Manager"}},
		{"Contract Manager", "Manager", []string{"Manager"}},
		{"Director of Sales", "Director", []string{"Director"}},
		{"Head of Product", "Director", []string{"Head"}},
		{"Senior Software Engineer", "Senior", []string{"Other"}},
		{"VP of Marketing", "VP", []string{"VP"}},
		{"CTO & Co-founder", "C-Level", []string{"Founder", "C-Level"}},
		{"Owner", "Owner", []string{"Owner"}},
		{"Managing Partner", "Partner", []string{"Partner"}},
		{"", "", nil},
	} {
		if got := CloduraSeniority("", tt.title); got != tt.clodura {
			t.Errorf("CloduraSeniority(%q)=%q, want %q", tt.title, got, tt.clodura)
		}
		if got := OceanSeniorities("", tt.title); !reflect.DeepEqual(got, tt.ocean) {
			t.Errorf("OceanSeniorities(%q)=%q, want %q", tt.title, got, tt.ocean)
		}
	}
	if got := CloduraSeniority("senior", ""); got != "Senior" {
		t.Errorf("CloduraSeniority(senior)=%q", got)
	}
	if got, want := OceanDepartments([]string{DeptMarketing, DeptIT, DeptEngineering, "Basket weaving"}), []string{"Marketing and Advertising", "Engineering", "Other"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OceanDepartments=%q, want %q", got, want)
	}
}

func TestHasWords(t *testing.T) {
	for _, tc := range []struct {
		t, p string
		want bool
	}{
		{" vp of sales ", "sales", true},
		{" vp of sales ", "vp", true},
		{" vp of sales ", "vp of", true},
		{" vp of salesforce ", "sales", false},
		{" presales lead ", "sales", false},
		{" sales sales ", "sales", true},
		{" salesales sales ", "sales", true},
		{" ceo ", "ceo", true},
		{"ceo", "ceo", false}, // unpadded: no surrounding spaces
		{" ", "ceo", false},
		{"", "ceo", false},
	} {
		if got := hasWords(tc.t, tc.p); got != tc.want {
			t.Errorf("hasWords(%q, %q) = %v, want %v", tc.t, tc.p, got, tc.want)
		}
	}
}

// FuzzHasWords pins hasWords to the padded-phrase search it replaces.
func FuzzHasWords(f *testing.F) {
	f.Add(" head of sales ", "sales")
	f.Add(" a  b ", "a")
	f.Fuzz(func(t *testing.T, s, p string) {
		if p == "" {
			return // no rule keyword is empty
		}
		if got, want := hasWords(s, p), strings.Contains(s, " "+p+" "); got != want {
			t.Fatalf("hasWords(%q, %q) = %v, want %v", s, p, got, want)
		}
	})
}

func BenchmarkInferDepartments(b *testing.B) {
	titles := []string{"VP of Sales & Marketing", "Senior Software Engineer", "Chief Executive Officer", "Intern", "Head of People Operations"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		InferDepartments(titles[i%len(titles)])
	}
}
