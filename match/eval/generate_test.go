package eval

import "testing"

// Ensure the generator scales past its word lists (many companies) and is deterministic.
func TestGenerate(t *testing.T) {
	cfg := Config{Seed: 3, People: 5000, Companies: 2000, Queries: 5, Kinds: []string{KindNameDomain, KindAbsent}}
	a, b := Generate(cfg), Generate(cfg)
	if len(a.People) != 5000 || len(a.Queries) != 10 {
		t.Fatalf("people=%d queries=%d", len(a.People), len(a.Queries))
	}
	domains := map[string]bool{}
	for i, p := range a.People {
		if p.FullName != b.People[i].FullName {
			t.Fatalf("not deterministic at %d", i)
		}
		domains[a.Employers[i].Domain] = true
	}
	if len(domains) < 500 {
		t.Fatalf("%d distinct employers, want many", len(domains))
	}
}
