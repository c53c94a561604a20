package match

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"
)

// Reference data embedded in the binary; attribution in data/NOTICE.
var (
	//go:embed data/free-providers.txt
	freeProvidersTxt []byte
	//go:embed data/disposable.txt
	disposableTxt []byte
	//go:embed data/carltonnorthern-names.csv
	nicknamesCSV []byte
	//go:embed data/male_diminutives.csv
	maleDiminutivesCSV []byte
	//go:embed data/female_diminutives.csv
	femaleDiminutivesCSV []byte
	//go:embed data/org_types.yml
	orgTypesYML []byte
)

// refData is the parsed, immutable reference data. It is built once on first
// use (NOTE: a read-only table, not mutable global state).
type refData struct {
	free       map[string]bool
	disposable map[string]bool
	// rootsOf maps a folded nickname to the given names it is short for;
	// childrenOf is the reverse; isRoot marks names that are given names in
	// the data (a name can be both, e.g. "al").
	rootsOf, childrenOf map[string][]string
	isRoot              map[string]bool
	// legalForms holds folded legal-form token sequences joined by spaces.
	legalForms map[string]bool
	// legalMaxTokens is the longest legal form in tokens.
	legalMaxTokens int
}

var loadRefData = sync.OnceValue(func() *refData {
	d := &refData{
		free:       lineSet(freeProvidersTxt),
		disposable: lineSet(disposableTxt),
		rootsOf:    map[string][]string{},
		childrenOf: map[string][]string{},
		isRoot:     map[string]bool{},
		legalForms: map[string]bool{},
	}
	d.loadNicknames()
	d.loadLegalForms()
	return d
})

func lineSet(b []byte) map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		s := strings.ToLower(strings.TrimSpace(sc.Text()))
		if s != "" && !strings.HasPrefix(s, "#") {
			m[s] = true
		}
	}
	return m
}

func (d *refData) addNick(root, name string) {
	root, name = foldToken(root), foldToken(name)
	if root == "" || name == "" {
		return
	}
	d.isRoot[root] = true
	if root == name {
		return
	}
	if !contains(d.rootsOf[name], root) {
		d.rootsOf[name] = append(d.rootsOf[name], root)
	}
	if !contains(d.childrenOf[root], name) {
		d.childrenOf[root] = append(d.childrenOf[root], name)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (d *refData) loadNicknames() {
	// carltonnorthern: name1,relationship,name2 where name1 has_nickname name2.
	sc := bufio.NewScanner(bytes.NewReader(nicknamesCSV))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		if len(f) != 3 || f[1] != "has_nickname" {
			continue
		}
		d.addNick(f[0], f[2])
	}
	// diminutives: first column is the given name, the rest its diminutives.
	for _, b := range [][]byte{maleDiminutivesCSV, femaleDiminutivesCSV} {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Split(sc.Text(), ",")
			for _, n := range f[1:] {
				d.addNick(f[0], n)
			}
		}
	}
	for _, m := range []map[string][]string{d.rootsOf, d.childrenOf} {
		for _, v := range m {
			sortStrings(v)
		}
	}
}

func (d *refData) loadLegalForms() {
	add := func(s string) {
		toks := strings.Fields(foldCompany(s))
		if len(toks) == 0 {
			return
		}
		d.legalForms[strings.Join(toks, " ")] = true
		if len(toks) > d.legalMaxTokens {
			d.legalMaxTokens = len(toks)
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(orgTypesYML))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#"), strings.HasPrefix(line, "generic:"):
			continue
		case strings.HasPrefix(line, "- display:"):
			add(strings.TrimPrefix(line, "- display:"))
		case strings.HasPrefix(line, "display:"):
			add(strings.TrimPrefix(line, "display:"))
		case strings.HasPrefix(line, "compare:"):
			add(strings.TrimPrefix(line, "compare:"))
		case strings.HasPrefix(line, "- "):
			add(strings.TrimPrefix(line, "- "))
		}
	}
	// Common English forms, in case the upstream list spells them differently.
	for _, s := range []string{"inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited", "plc", "gmbh", "ag", "sa", "bv", "nv", "pty ltd", "llp", "lp", "sarl", "sas", "srl", "spa", "oy", "ab", "as", "aps", "kk", "pte ltd"} {
		add(s)
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
