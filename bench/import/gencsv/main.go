// Command gencsv writes a realistic people CSV for import benchmarks:
//
//	go run ./bench/import/gencsv -rows 1000000 -o /tmp/people-1m.csv
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	importbench "github.com/enrichd/enrichd/bench/import"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "number of people")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same file")
	out := flag.String("o", "-", "output file, - for stdout")
	flag.Parse()
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gencsv:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := importbench.Generate(w, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
}
