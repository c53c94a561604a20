package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
)

// scalePoint is the look-up cost on one store size.
type scalePoint struct {
	People    int
	Store     storeInfo
	Mean, P50 map[string]time.Duration // by look-up kind
	Hits      map[string]int
	Queries   int // measured per kind
}

// scaleReport is the scale curve.
type scaleReport struct {
	Points []*scalePoint
	Notes  []string
}

// scaleQueries are the measured queries per kind and store; scaleWarm more
// warm the engine's caches first.
const (
	scaleQueries = 1000
	scaleWarm    = 200
	scaleRounds  = 3
)

// runScale measures the engine in process (one goroutine, no HTTP) over
// SQLite stores of each size. A store not yet cached is built only when its
// build time, projected from the rate of the stores built so far, fits before
// deadline; otherwise the size is skipped and the report says so.
func (e *env) runScale(ctx context.Context, sizes []int, deadline time.Time) (*scaleReport, error) {
	rep := &scaleReport{}
	for _, n := range slices.Sorted(slices.Values(sizes)) {
		info, cached := e.cachedStore(n)
		rate := 0.0
		if !cached {
			rate = e.buildRate(ctx)
		}
		if !cached && rate > 0 {
			projected := time.Duration(float64(n) / rate * float64(time.Second))
			if time.Now().Add(projected).Add(30 * time.Second).After(deadline) {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s people skipped: building the store would take about %v (at the %.0f rows/s projected from this run's import probe), past the %v left of the time box; build it once with `go run ./bench --only scale --scale %d --budget %dh` and it is cached for later runs",
					humanInt(n), projected.Round(time.Second), rate, time.Until(deadline).Round(time.Second), n, int(projected.Hours()*1.5)+1))
				continue
			}
		}
		var err error
		if info, err = e.store(ctx, n); err != nil {
			return nil, err
		}
		p, err := e.measureScale(ctx, info)
		if err != nil {
			return nil, err
		}
		rep.Points = append(rep.Points, p)
		e.Logf("scale %d: %v", n, p.Mean)
	}
	return rep, nil
}

// cachedStore reports whether a store of n people is cached.
func (e *env) cachedStore(n int) (storeInfo, bool) {
	info, err := e.storeIfCached(n)
	return info, err == nil
}

func (e *env) measureScale(ctx context.Context, info storeInfo) (*scalePoint, error) {
	rows, err := sampleRows(info.CSV, info.People, scaleWarm+scaleQueries)
	if err != nil {
		return nil, err
	}
	if err := warmFile(info.DB, info.DB+"-wal"); err != nil {
		return nil, err
	}
	db := sqlite.NewDB(info.DB)
	if err := db.Open(ctx, true); err != nil {
		return nil, err
	}
	defer db.Close()
	engine := match.NewEngine(sqlite.NewPersonService(db), sqlite.NewCompanyService(db), match.NewKeyer())
	reqs := map[string]func(r row) enrichd.MatchRequest{
		kindLinkedIn: func(r row) enrichd.MatchRequest { return enrichd.MatchRequest{LinkedInURL: r.LinkedIn} },
		kindEmail:    func(r row) enrichd.MatchRequest { return enrichd.MatchRequest{Email: r.Email} },
		kindNameDomain: func(r row) enrichd.MatchRequest {
			return enrichd.MatchRequest{FirstName: r.First, LastName: r.Last, CompanyDomain: r.Domain}
		},
		kindNameCompany: func(r row) enrichd.MatchRequest {
			return enrichd.MatchRequest{FirstName: r.First, LastName: r.Last, CompanyName: r.Company}
		},
	}
	p := &scalePoint{People: info.People, Store: info, Mean: map[string]time.Duration{}, P50: map[string]time.Duration{},
		Hits: map[string]int{}}
	for _, kind := range kinds {
		mk := reqs[kind]
		for _, r := range rows[:min(scaleWarm, len(rows)/2)] {
			if _, err := engine.MatchPerson(ctx, mk(r)); err != nil {
				return nil, err
			}
		}
		measured := rows[min(scaleWarm, len(rows)/2):]
		// The best of a few rounds: on a shared machine a neighbour's burst
		// inflates one round, never deflates one.
		for round := range scaleRounds {
			lat := make([]time.Duration, 0, len(measured))
			var total time.Duration
			hits := 0
			for _, r := range measured {
				t0 := time.Now()
				m, err := engine.MatchPerson(ctx, mk(r))
				d := time.Since(t0)
				if err != nil {
					return nil, err
				}
				if b := m.Best(); b != nil && b.Confidence >= match.DefaultMinConfidence {
					hits++
				}
				lat = append(lat, d)
				total += d
			}
			slices.Sort(lat)
			mean, p50 := total/time.Duration(len(measured)), lat[len(lat)/2]
			if round == 0 || mean < p.Mean[kind] {
				p.Mean[kind] = mean
			}
			if round == 0 || p50 < p.P50[kind] {
				p.P50[kind] = p50
			}
			p.Hits[kind] = hits
		}
		p.Queries = len(measured)
	}
	return p, nil
}
