package eval

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/memstore"
)

// febrlFS holds FEBRL datasets 4a and 4b (BSD-3, see testdata/febrl/NOTICE).
//
//go:embed testdata/febrl/dataset4a.csv testdata/febrl/dataset4b.csv
var febrlFS embed.FS

// KindFEBRL is the kind of the FEBRL linkage queries.
const KindFEBRL = "febrl_4a_4b"

type febrlRecord struct {
	id                         string // "rec-N"
	given, surname, suburb, st string
}

func readFEBRL(name string) ([]febrlRecord, error) {
	b, err := febrlFS.ReadFile("testdata/febrl/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var out []febrlRecord
	for _, row := range rows[1:] {
		if len(row) < 9 {
			continue
		}
		id := row[0]
		if i := strings.Index(id, "-org"); i > 0 {
			id = id[:i]
		} else if i := strings.Index(id, "-dup"); i > 0 {
			id = id[:i]
		}
		out = append(out, febrlRecord{id: id, given: row[1], surname: row[2], suburb: row[6], st: row[8]})
	}
	return out, nil
}

// RunFEBRL links FEBRL dataset 4b (5,000 corrupted duplicates) against 4a
// (5,000 originals, exactly one true link each): 4a is loaded as people with
// a name, a suburb (as city) and a state in Australia, and each 4b record is a
// query with its name and suburb. FEBRL has no employers or identifiers, so
// this measures the name + place path only.
func RunFEBRL(ctx context.Context, threshold float64) (*Report, error) {
	if threshold <= 0 {
		threshold = match.DefaultMinConfidence
	}
	orgs, err := readFEBRL("dataset4a.csv")
	if err != nil {
		return nil, err
	}
	dups, err := readFEBRL("dataset4b.csv")
	if err != nil {
		return nil, err
	}
	keyer := match.NewKeyer()
	s := memstore.New(keyer)
	idOf := map[string]string{}
	skipped := 0
	for _, r := range orgs {
		p := &enrichd.Person{FirstName: r.given, LastName: r.surname,
			Location: enrichd.Location{City: r.suburb, State: r.st, Country: "Australia", CountryCode: "AU"}}
		id, err := s.Add(p, nil)
		if err != nil {
			skipped++ // no given name, surname or suburb: no identity key
			continue
		}
		idOf[r.id] = id
	}
	var queries []Query
	var ids []string
	for _, r := range dups {
		q := Query{Kind: KindFEBRL, Want: -1, Req: enrichd.MatchRequest{FirstName: r.given, LastName: r.surname, City: r.suburb, Country: "AU"}}
		if id, ok := idOf[r.id]; ok {
			q.Want = len(ids)
			ids = append(ids, id)
		} else {
			q.Kind = "absent_febrl_unstored" // the original had no identity key
		}
		queries = append(queries, q)
	}
	e := match.NewEngine(s, s, keyer)
	rep := Run(ctx, fmt.Sprintf("FEBRL 4b→4a (%d of %d originals stored)", len(orgs)-skipped, len(orgs)), e, queries, ids, threshold)
	rep.People = len(orgs) - skipped
	rep.KeyRows = s.KeyRows()
	return rep, nil
}
