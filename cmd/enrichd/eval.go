package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/eval"
)

// runEval generates a labelled matching benchmark, runs it and prints
// precision, recall, false-match rate and calibration error per kind of
// query, then does the same on the public FEBRL linkage datasets.
func runEval(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr, `Usage: enrichd eval [flags]

Generates a labelled benchmark (a store of people at companies, and noisy
queries: identifier variants, nicknames, typos, dropped accents, legal-suffix
variants, middle initials, same-last-name colleagues, namesakes, past
employers, and people who are not in the store), runs every query through the
matching engine and prints, per kind of query, precision, recall, false-match
rate and expected calibration error (ECE) at the threshold. Then links the
FEBRL 4a/4b datasets. By default the store is in memory; --db runs the
benchmark through a real, empty SQLite or PostgreSQL store instead.
`)
	seed := fs.Uint64("seed", 1, "random seed of the generated benchmark")
	people := fs.Int("people", 20000, "people in the generated store")
	companies := fs.Int("companies", 400, "companies in the generated store")
	queries := fs.Int("queries", 200, "queries per kind")
	threshold := fs.Float64("threshold", match.DefaultMinConfidence, "confidence at or above which the best candidate counts as the answer")
	febrl := fs.Bool("febrl", true, "also link the FEBRL 4a/4b datasets")
	db := fs.String("db", "", "run through this empty store (SQLite path or postgres:// URL) instead of memory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case *people < 100 || *people > 2_000_000:
		return usageErrorf("--people must be between 100 and 2000000")
	case *companies < 10 || *companies > *people:
		return usageErrorf("--companies must be between 10 and --people")
	case *queries < 1 || *queries > 100_000:
		return usageErrorf("--queries must be between 1 and 100000")
	case *threshold <= 0 || *threshold > 1:
		return usageErrorf("--threshold must be in (0, 1]")
	}
	cfg := eval.Config{Seed: *seed, People: *people, Companies: *companies, Queries: *queries}

	var rep *eval.Report
	if *db == "" {
		var err error
		if rep, err = eval.RunGenerated(ctx, eval.Options{Config: cfg, Threshold: *threshold}); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	} else {
		var err error
		if rep, err = evalOnStore(ctx, *db, cfg, *threshold, stderr); err != nil {
			return err
		}
	}
	rep.Print(stdout)
	if *febrl {
		fmt.Fprintln(stdout)
		frep, err := eval.RunFEBRL(ctx, *threshold)
		if err != nil {
			return fmt.Errorf("eval febrl: %w", err)
		}
		frep.Print(stdout)
	}
	return nil
}

// evalOnStore loads the generated benchmark into the empty store at dsn
// through its IngestService and runs the queries against it.
func evalOnStore(ctx context.Context, dsn string, cfg eval.Config, threshold float64, stderr io.Writer) (*eval.Report, error) {
	st, err := openStores(ctx, dsn, true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	n, err := st.People.CountPeople(ctx)
	if err != nil {
		return nil, fmt.Errorf("count people: %w", err)
	}
	if n > 0 {
		return nil, usageErrorf("--db %s holds %d people: eval needs an empty store, so that only its own people can match", redactDSN(dsn), n)
	}
	d := eval.Generate(cfg)
	ids := make([]string, len(d.People))
	const batch = 1000
	for start := 0; start < len(d.People); start += batch {
		end := min(start+batch, len(d.People))
		recs := make([]enrichd.IngestRecord, 0, end-start)
		for i := start; i < end; i++ {
			c := *d.Employers[i]
			recs = append(recs, enrichd.IngestRecord{Person: d.People[i], Company: &c})
		}
		res, err := st.Ingest.Ingest(ctx, recs)
		if err != nil {
			return nil, fmt.Errorf("load benchmark into store: %w", err)
		}
		for j, r := range res {
			ids[start+j] = r.PersonID
		}
		fmt.Fprintf(stderr, "\rloaded %d/%d people", end, len(d.People))
	}
	fmt.Fprintln(stderr)
	e := match.NewEngine(st.People, st.Companies, st.Keyer)
	rep := eval.Run(ctx, fmt.Sprintf("generated (seed %d) on %s store %s", cfg.Seed, st.Backend, strings.TrimSpace(redactDSN(dsn))), e, d.Queries, ids, threshold)
	rep.People = len(d.People)
	return rep, nil
}
