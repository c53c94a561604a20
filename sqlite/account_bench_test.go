package sqlite_test

import (
	"context"
	"syscall"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
)

func BenchmarkAccountService(b *testing.B) {
	ctx := context.Background()
	s := sqlite.NewAccountService(mustOpenAccountDB(b))
	k, secret, err := s.CreateAPIKey(ctx, "bench", enrichd.DefaultPlan(), 1<<50, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Authenticate", func(b *testing.B) {
		report := measureCPU(b)
		for b.Loop() {
			if _, err := s.Authenticate(ctx, secret); err != nil {
				b.Fatal(err)
			}
		}
		report()
	})
	b.Run("Charge", func(b *testing.B) {
		b.ReportAllocs()
		report := measureCPU(b)
		for b.Loop() {
			if _, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "bench", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1}); err != nil {
				b.Fatal(err)
			}
		}
		report()
	})
	// Concurrent charges, as a loaded server makes them: batched commits.
	b.Run("ChargeParallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(32)
		report := measureCPU(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "bench", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		report()
	})
}

// measureCPU starts counting the process's user + system CPU time and
// returns the function that reports it per op: on a shared machine CPU time
// varies far less than wall time.
func measureCPU(b *testing.B) (report func()) {
	var start syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &start)
	return func() {
		var end syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &end)
		used := end.Utime.Nano() + end.Stime.Nano() - start.Utime.Nano() - start.Stime.Nano()
		b.ReportMetric(float64(used)/float64(b.N)/1e3, "cpu-µs/op")
	}
}
