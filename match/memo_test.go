package match

import (
	"fmt"
	"strings"
	"testing"
)

// Ensure a memo answers as its function, stays bounded and keeps no long input.
func TestMemo(t *testing.T) {
	calls := 0
	m := newMemo(func(s string) int { calls++; return len(s) })
	long := strings.Repeat("x", maxMemoKey+1)
	tests := []struct {
		in        string
		want      int
		wantCalls int // after the call
	}{
		{"abc", 3, 1},
		{"abc", 3, 1}, // from the memo
		{"", 0, 2},
		{long, maxMemoKey + 1, 3},
		{long, maxMemoKey + 1, 4}, // never kept
	}
	for i, tt := range tests {
		if got := m.get(tt.in); got != tt.want || calls != tt.wantCalls {
			t.Fatalf("%d: get(%.10q)=%d after %d calls, want %d after %d", i, tt.in, got, calls, tt.want, tt.wantCalls)
		}
	}
	if m.has(long) {
		t.Fatal("memo keeps an input longer than maxMemoKey")
	}
	for i := 0; i < maxMemo+10; i++ {
		m.get(fmt.Sprint(i))
	}
	if n := m.len(); n > maxMemo || n == 0 {
		t.Fatalf("memo holds %d entries, max %d", n, maxMemo)
	}
}

// Ensure the memoised normalisers answer as the functions they cache.
func TestMemoisedNormalisers(t *testing.T) {
	for _, s := range []string{"The Acme Corp.", "ACME GmbH & Co. KG", "https://www.acme.co.uk/x", "jane@acme.io", "", "localhost"} {
		for round := 0; round < 2; round++ {
			if got, want := NormalizeCompanyName(s), normalizeCompanyName(s); got != want {
				t.Errorf("NormalizeCompanyName(%q)=%q, want %q", s, got, want)
			}
			d, ok := RegistrableDomain(s)
			wd, wok := registrableDomain(s)
			if d != wd || ok != wok {
				t.Errorf("RegistrableDomain(%q)=%q,%v, want %q,%v", s, d, ok, wd, wok)
			}
		}
	}
}

func (c *memo[V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

func (c *memo[V]) has(s string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.m[s]
	return ok
}
