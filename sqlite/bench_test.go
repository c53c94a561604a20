package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

// benchBatch is the ingest batch size of the benchmarks (the importer's default).
const benchBatch = 1000

// benchPeople is the size of the store the look-up benchmarks run on;
// ENRICHD_BENCH_PEOPLE overrides it (docs/BENCHMARKS.md uses 1,000,000).
func benchPeople() int {
	if n, err := strconv.Atoi(os.Getenv("ENRICHD_BENCH_PEOPLE")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func benchGenerator(people int) *storetest.Generator {
	return storetest.NewGenerator(max(people/40, 10))
}

// BenchmarkIngest measures ingest throughput in batches of generated people
// with their companies (benchBatch, the importer's default, and a larger
// batch), into a store that grows with b.N, with and without a bulk load
// (BeginBulk before the first batch; EndBulk, timed, after the last). Record
// generation is not timed.
func BenchmarkIngest(b *testing.B) {
	for _, bm := range []struct {
		size int
		bulk bool
	}{{benchBatch, false}, {10 * benchBatch, false}, {benchBatch, true}} {
		name := fmt.Sprintf("batch=%d", bm.size)
		if bm.bulk {
			name = "bulk/" + name
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db := MustOpenDB(b, filepath.Join(b.TempDir(), "bench.db"))
			ing := sqlite.NewIngestService(db, match.NewKeyer())
			g := benchGenerator(b.N * bm.size)
			b.ReportAllocs()
			b.ResetTimer()
			if bm.bulk {
				if err := ing.BeginBulk(ctx); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				batch := g.Batch(i*bm.size, bm.size)
				b.StartTimer()
				if _, err := ing.Ingest(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			if bm.bulk {
				if err := ing.EndBulk(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*bm.size)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkIngestUnchanged measures re-ingesting records already stored
// (a re-run import): look-ups and merges only, no writes.
func BenchmarkIngestUnchanged(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b, filepath.Join(b.TempDir(), "bench.db"))
	ing := sqlite.NewIngestService(db, match.NewKeyer())
	const stored = 20 * benchBatch
	g := benchGenerator(stored)
	for i := 0; i < stored; i += benchBatch {
		if _, err := ing.Ingest(ctx, g.Batch(i, benchBatch)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		batch := g.Batch(i*benchBatch%stored, benchBatch)
		b.StartTimer()
		res, err := ing.Ingest(ctx, batch)
		if err != nil {
			b.Fatal(err)
		}
		if res[0].PersonOutcome != enrichd.OutcomeUnchanged {
			b.Fatalf("outcome %q, want unchanged", res[0].PersonOutcome)
		}
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "rows/s")
}

// lookupStore is the store of the look-up benchmarks, built once per run.
var lookupStore struct {
	once   sync.Once
	dir    string
	db     *sqlite.DB
	people int
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if lookupStore.db != nil {
		lookupStore.db.Close()
	}
	if lookupStore.dir != "" {
		os.RemoveAll(lookupStore.dir)
	}
	os.Exit(code)
}

// mustLookupStore returns the shared store of benchPeople people.
func mustLookupStore(b *testing.B) (*sqlite.DB, *storetest.Generator, int) {
	b.Helper()
	s := &lookupStore
	s.once.Do(func() {
		s.people = benchPeople()
		if s.dir, s.err = os.MkdirTemp("", "enrichd-bench-"); s.err != nil {
			return
		}
		s.db = sqlite.NewDB(filepath.Join(s.dir, "lookup.db"))
		if s.err = s.db.Open(context.Background(), false); s.err != nil {
			return
		}
		ing := sqlite.NewIngestService(s.db, match.NewKeyer())
		g := benchGenerator(s.people)
		for i := 0; i < s.people; i += benchBatch {
			if _, s.err = ing.Ingest(context.Background(), g.Batch(i, min(benchBatch, s.people-i))); s.err != nil {
				return
			}
		}
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
	return s.db, benchGenerator(s.people), s.people
}

// BenchmarkFindPersonIDsByKeys measures one identity-key look-up (LinkedIn
// URL), and the blocking-key set of a name + company match.
func BenchmarkFindPersonIDsByKeys(b *testing.B) {
	db, g, n := mustLookupStore(b)
	people := sqlite.NewPersonService(db)
	k := match.NewKeyer()
	const samples = 1024
	identity := make([][]string, samples)
	blocking := make([][]string, samples)
	for i := range identity {
		p := g.Record((i * 7919) % n).Person
		identity[i] = k.PersonIdentityKeys(p)[:1]
		blocking[i] = k.PersonBlockingKeys(p)
	}
	for _, bm := range []struct {
		name string
		keys [][]string
	}{{"Identity", identity}, {"Blocking", blocking}} {
		b.Run(fmt.Sprintf("%s/people=%d", bm.name, n), func(b *testing.B) {
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				m, err := people.FindPersonIDsByKeys(ctx, bm.keys[i%samples], 20)
				if err != nil {
					b.Fatal(err)
				} else if len(m) == 0 {
					b.Fatal("no ids")
				}
			}
		})
	}
}

// BenchmarkFindPeopleByIDs measures reading one stored person by id, JSON
// decoding included, and a page of 10.
func BenchmarkFindPeopleByIDs(b *testing.B) {
	db, g, n := mustLookupStore(b)
	ctx := context.Background()
	people := sqlite.NewPersonService(db)
	k := match.NewKeyer()
	const samples = 1024
	ids := make([]string, 0, samples)
	for i := 0; len(ids) < samples; i++ {
		key := k.PersonIdentityKeys(g.Record((i * 7919) % n).Person)[0]
		m, err := people.FindPersonIDsByKeys(ctx, []string{key}, 1)
		if err != nil || len(m[key]) == 0 {
			b.Fatalf("look up %s: %v %v", key, m, err)
		}
		ids = append(ids, m[key][0])
	}
	for _, size := range []int{1, 10} {
		b.Run(fmt.Sprintf("ids=%d/people=%d", size, n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				start := (i * size) % (samples - size)
				got, err := people.FindPeopleByIDs(ctx, ids[start:start+size])
				if err != nil {
					b.Fatal(err)
				} else if len(got) != size {
					b.Fatalf("got %d people, want %d", len(got), size)
				}
			}
		})
	}
}
