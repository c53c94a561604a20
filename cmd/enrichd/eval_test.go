package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunEval(t *testing.T) {
	env := func(string) string { return "" }
	t.Run("OK", func(t *testing.T) {
		// Ensure the report lists every kind with its metrics, and FEBRL.
		var out, errb bytes.Buffer
		err := runEval(context.Background(), []string{"--people", "2000", "--companies", "60", "--queries", "20"}, env, &out, &errb)
		if err != nil {
			t.Fatalf("runEval: %v (stderr %s)", err, errb.String())
		}
		for _, want := range []string{"precision", "recall", "false_match", "ece", "name+domain", "linkedin_variant", "absent_colleague", "nickname", "typo", "FEBRL", "calibration error"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
	t.Run("SQLiteStore", func(t *testing.T) {
		// Ensure --db runs the benchmark through a real store.
		var out, errb bytes.Buffer
		dsn := filepath.Join(t.TempDir(), "eval.db")
		err := runEval(context.Background(), []string{"--db", dsn, "--people", "1000", "--companies", "40", "--queries", "10", "--febrl=false"}, env, &out, &errb)
		if err != nil {
			t.Fatalf("runEval: %v (stderr %s)", err, errb.String())
		}
		if !strings.Contains(out.String(), "sqlite store") || !strings.Contains(out.String(), "linkedin_variant") {
			t.Fatalf("output:\n%s", out.String())
		}
		// A second run must refuse the now non-empty store.
		err = runEval(context.Background(), []string{"--db", dsn, "--people", "1000", "--companies", "40", "--queries", "10", "--febrl=false"}, env, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), "empty store") {
			t.Fatalf("err=%v, want an empty-store error", err)
		}
	})
	t.Run("BadFlags", func(t *testing.T) {
		for _, args := range [][]string{{"--people", "5"}, {"--threshold", "2"}, {"--queries", "0"}, {"extra"}, {"--nope"}} {
			var out, errb bytes.Buffer
			err := runEval(context.Background(), args, env, &out, &errb)
			if _, ok := err.(usageError); !ok {
				t.Errorf("args %q: err=%v, want a usage error", args, err)
			}
		}
	})
}
