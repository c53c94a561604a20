package eval

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/memstore"
)

// KindStats are the results of one kind of query at a threshold.
type KindStats struct {
	Kind    string
	Queries int
	Right   int // best candidate at or above the threshold is the right person
	Wrong   int // best candidate at or above the threshold is someone else (or anyone, for absent kinds)
	Missed  int // present person, no candidate at or above the threshold
	Errors  int // the engine returned an error
	// ECE is the expected calibration error of the best candidates' confidences (0.1 bins).
	ECE float64
	// conf and right per best candidate, for ECE.
	conf  []float64
	right []bool
}

// Precision is Right / (Right + Wrong); 1 when nothing was decided.
func (s *KindStats) Precision() float64 {
	if s.Right+s.Wrong == 0 {
		return 1
	}
	return float64(s.Right) / float64(s.Right+s.Wrong)
}

// Recall is Right / Queries for kinds whose person is in the store.
func (s *KindStats) Recall() float64 {
	if s.Queries == 0 {
		return 1
	}
	return float64(s.Right) / float64(s.Queries)
}

// FalseMatchRate is Wrong / Queries: how often the engine named the wrong
// person (or, for absent kinds, anyone at all).
func (s *KindStats) FalseMatchRate() float64 {
	if s.Queries == 0 {
		return 0
	}
	return float64(s.Wrong) / float64(s.Queries)
}

// Report is the result of one evaluation run.
type Report struct {
	Name      string
	People    int
	KeyRows   int
	Threshold float64
	Kinds     []*KindStats
	// ECE over every returned candidate (top 3) of every query.
	ECE float64
	// Samples are (raw or calibrated confidence, right) of every returned
	// candidate, for fitting a calibration.
	SampleConf  []float64
	SampleRight []bool
	Elapsed     time.Duration
	PerQuery    time.Duration
}

// Kind returns the stats of one kind, or nil.
func (r *Report) Kind(kind string) *KindStats {
	for _, k := range r.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return nil
}

// Load stores a dataset's people in a new in-memory store and returns it
// with the id of each person (by index).
func Load(d *Dataset, keyer *match.Keyer) (*memstore.Store, []string, error) {
	s := memstore.New(keyer)
	ids := make([]string, len(d.People))
	for i, p := range d.People {
		c := *d.Employers[i] // the store links and may modify its copy
		id, err := s.Add(p, &c)
		if err != nil {
			return nil, nil, fmt.Errorf("add person %d: %w", i, err)
		}
		ids[i] = id
	}
	return s, ids, nil
}

// Run sends every query of d through m and scores the answers: a query's
// answer is its best candidate when its confidence is at least threshold.
// topK candidates are requested for the calibration samples.
func Run(ctx context.Context, name string, m enrichd.Matcher, queries []Query, ids []string, threshold float64) *Report {
	rep := &Report{Name: name, Threshold: threshold}
	byKind := map[string]*KindStats{}
	start := time.Now()
	for _, q := range queries {
		ks := byKind[q.Kind]
		if ks == nil {
			ks = &KindStats{Kind: q.Kind}
			byKind[q.Kind] = ks
		}
		ks.Queries++
		want := ""
		if q.Want >= 0 {
			want = ids[q.Want]
		}
		req := q.Req
		req.TopK = 3
		req.Explain = debugKind != ""
		res, err := m.MatchPerson(ctx, req)
		if err != nil {
			ks.Errors++
			if want != "" {
				ks.Missed++
			}
			continue
		}
		for _, c := range res.Candidates {
			rep.SampleConf = append(rep.SampleConf, c.Confidence)
			rep.SampleRight = append(rep.SampleRight, c.Person.ID == want)
		}
		best := res.Best()
		if debugKind != "" && debugKind == q.Kind && (best == nil || best.Confidence < threshold || best.Person.ID != want) {
			debugMiss(q, res, want)
		}
		if best != nil {
			ks.conf = append(ks.conf, best.Confidence)
			ks.right = append(ks.right, best.Person.ID == want)
		} else {
			// No candidate: the engine's implicit confidence in anyone is 0.
			ks.conf = append(ks.conf, 0)
			ks.right = append(ks.right, false)
		}
		switch {
		case best != nil && best.Confidence >= threshold && best.Person.ID == want:
			ks.Right++
		case best != nil && best.Confidence >= threshold:
			ks.Wrong++
		case want != "":
			ks.Missed++
		}
	}
	rep.Elapsed = time.Since(start)
	if len(queries) > 0 {
		rep.PerQuery = rep.Elapsed / time.Duration(len(queries))
	}
	for _, kind := range Kinds {
		if ks := byKind[kind]; ks != nil {
			rep.Kinds = append(rep.Kinds, ks)
			delete(byKind, kind)
		}
	}
	var rest []string
	for kind := range byKind {
		rest = append(rest, kind)
	}
	sort.Strings(rest)
	for _, kind := range rest {
		rep.Kinds = append(rep.Kinds, byKind[kind])
	}
	for _, ks := range rep.Kinds {
		ks.ECE = ECE(ks.conf, ks.right)
	}
	rep.ECE = ECE(rep.SampleConf, rep.SampleRight)
	return rep
}

// ECE is the expected calibration error over ten equal-width bins: the
// share-weighted mean of |mean confidence − observed accuracy| per bin.
func ECE(conf []float64, right []bool) float64 {
	if len(conf) == 0 {
		return 0
	}
	var sumC, sumA, n [10]float64
	for i, c := range conf {
		b := min(int(c*10), 9)
		sumC[b] += c
		if right[i] {
			sumA[b]++
		}
		n[b]++
	}
	e := 0.0
	for b := range n {
		if n[b] > 0 {
			e += n[b] / float64(len(conf)) * math.Abs(sumC[b]/n[b]-sumA[b]/n[b])
		}
	}
	return e
}

// Print writes the report as a table.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%s: %d people, %d key rows, threshold %.2f, %d queries in %v (%v/query)\n",
		r.Name, r.People, r.KeyRows, r.Threshold, r.total(), r.Elapsed.Round(time.Millisecond), r.PerQuery.Round(time.Microsecond))
	fmt.Fprintf(w, "%-28s %7s %9s %7s %10s %6s\n", "kind", "queries", "precision", "recall", "false_match", "ece")
	for _, k := range r.Kinds {
		recall := fmt.Sprintf("%7.3f", k.Recall())
		prec := fmt.Sprintf("%9.3f", k.Precision())
		if IsAbsentKind(k.Kind) {
			recall, prec = fmt.Sprintf("%7s", "-"), fmt.Sprintf("%9s", "-")
		}
		fmt.Fprintf(w, "%-28s %7d %s %s %10.3f %6.3f\n", k.Kind, k.Queries, prec, recall, k.FalseMatchRate(), k.ECE)
	}
	fmt.Fprintf(w, "calibration error (ECE, all returned candidates): %.3f\n", r.ECE)
}

func (r *Report) total() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Queries
	}
	return n
}

// Options configure RunGenerated.
type Options struct {
	Config    Config
	Threshold float64 // default match.DefaultMinConfidence
	// Calibration overrides the engine's table; Raw reports raw posteriors.
	Raw bool
}

// RunGenerated generates a benchmark, loads it into an in-memory store and runs it.
func RunGenerated(ctx context.Context, opt Options) (*Report, error) {
	if opt.Threshold <= 0 {
		opt.Threshold = match.DefaultMinConfidence
	}
	d := Generate(opt.Config)
	keyer := match.NewKeyer()
	s, ids, err := Load(d, keyer)
	if err != nil {
		return nil, err
	}
	e := match.NewEngine(s, s, keyer)
	if opt.Raw {
		e.SetCalibration(nil)
	}
	rep := Run(ctx, fmt.Sprintf("generated (seed %d)", opt.Config.Seed), e, d.Queries, ids, opt.Threshold)
	rep.People = len(d.People)
	rep.KeyRows = s.KeyRows()
	return rep, nil
}

// debugKind, when set (tests), prints the misses of one kind.
var debugKind string

func debugMiss(q Query, res *enrichd.Match, want string) {
	fmt.Printf("MISS %s want=%s req=%+v\n", q.Kind, want, q.Req)
	for _, c := range res.Candidates {
		fmt.Printf("   cand %s %s %s conf=%.3f %v\n", c.Person.ID, c.Person.FullName, c.Person.CurrentJob().CompanyName, c.Confidence, c.Evidence)
	}
}
