package eval

import (
	"context"
	"os"
	"testing"
)

func TestDebugRun(t *testing.T) {
	if os.Getenv("EVAL_DEBUG") == "" {
		t.Skip()
	}
	debugKind = os.Getenv("EVAL_KIND")
	rep, err := RunGenerated(context.Background(), Options{Config: Config{Seed: 1, People: 20000, Queries: 200}, Raw: os.Getenv("EVAL_RAW") != ""})
	if err != nil {
		t.Fatal(err)
	}
	rep.Print(os.Stdout)
}
