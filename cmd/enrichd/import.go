package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/enrichd/enrichd/importer"
)

const importUsage = `Usage: enrichd import [flags] FILE...

Imports people and companies from CSV (with a header row) or JSONL (the
native schema) files into the store, merging records of the same person or
company. The format comes from the extension (.csv .tsv .jsonl .ndjson,
optionally .gz); FILE "-" reads standard input. Rows that cannot be imported
are written with their file, line and reason to the rejects file and the
import goes on. Running the same import again changes nothing, so an
interrupted import is finished by running it again. See docs/IMPORT.md.

Examples:
  enrichd import --db enrichd.db people.csv companies.csv
  enrichd import --map "Work Email=email" --map "Notes=-" crm-export.csv
  zcat dump.jsonl.gz | enrichd import --format jsonl -
`

// listFlag collects the values of a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// runImport implements `enrichd import`, reading "-" from the process's
// standard input.
func runImport(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	return runImportFrom(ctx, args, env, os.Stdin, stdout, stderr)
}

// runImportFrom implements `enrichd import` with stdin as the input "-".
// The summary goes to stdout; progress, warnings and errors to stderr.
func runImportFrom(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr, importUsage)
	db := dbFlag(fs)
	format := fs.String("format", "", "csv|jsonl: format of every FILE, overriding the extension (needed for \"-\" only when the content is ambiguous)")
	var maps listFlag
	fs.Var(&maps, "map", "COLUMN=FIELD: read a CSV column as a field, or COLUMN=- to skip it (repeatable); fields: "+strings.Join(importer.Fields(), ", "))
	rejectsPath := fs.String("rejects", "", "file for rejected rows, as CSV: file,line,reason,record (default: <first FILE>.rejects.csv in the current directory, created only if a row is rejected)")
	source := fs.String("source", "", "provenance source name of every record (default: each file's base name)")
	batch := fs.Int("batch", importer.DefaultBatchSize, fmt.Sprintf("records per transaction (default %d in bulk mode)", importer.DefaultBulkBatchSize))
	bulk := fs.String("bulk", "auto", "auto|on|off: load in bulk mode (the store defers index work to the end of the import; searches on a server using the same store are slower meanwhile); auto: when the files are large compared with the store")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the import to this file (for go tool pprof)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}

	switch {
	case len(files) == 0:
		return usageErrorf("no input files: give one or more FILE arguments, or - for standard input")
	case *format != "" && *format != importer.FormatCSV && *format != importer.FormatJSONL:
		return usageErrorf("--format %q: want csv or jsonl", *format)
	case *bulk != "auto" && *bulk != "on" && *bulk != "off":
		return usageErrorf("--bulk %q: want auto, on or off", *bulk)
	case *batch < 1 || *batch > importer.MaxBatchSize:
		return usageErrorf("--batch %d: want 1 to %d", *batch, importer.MaxBatchSize)
	}
	m, err := importer.ParseMap(maps)
	if err != nil {
		return usageErrorf("%v", err)
	}
	stdinUsed := false
	for _, f := range files {
		if f == "-" {
			if stdinUsed {
				return usageErrorf("standard input (-) can be read only once")
			}
			stdinUsed = true
		}
	}
	rejPath := *rejectsPath
	if rejPath == "" {
		rejPath = defaultRejectsPath(files[0])
	}
	for _, f := range files {
		if f != "-" && sameFile(f, rejPath) {
			return usageErrorf("--rejects %s is an input file; choose another path", rejPath)
		}
	}

	// Open every input before the store, so that a typo fails fast.
	var inputs []*importer.Input
	for _, f := range files {
		if f == "-" {
			inputs = append(inputs, &importer.Input{Name: "-", R: stdin, Format: *format})
			continue
		}
		in, file, err := importer.OpenFile(f)
		if err != nil {
			return fmt.Errorf("open input: %w", err)
		}
		defer file.Close()
		in.Format = *format
		inputs = append(inputs, in)
	}

	dsn := resolveDB(fs, *db, env)
	st, err := openStores(ctx, dsn, true)
	if err != nil {
		return err
	}
	defer st.Close()
	useBulk := *bulk == "on"
	if *bulk == "auto" {
		if useBulk, err = bulkPays(ctx, dsn, st, inputs); err != nil {
			return err
		}
	}
	batchSet := false
	fs.Visit(func(f *flag.Flag) { batchSet = batchSet || f.Name == "batch" })
	if useBulk && !batchSet {
		*batch = importer.DefaultBulkBatchSize
	}

	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	if env("GOGC") == "" {
		// NOTE: an import allocates a great deal of short-lived garbage
		// (parsed rows, keys, JSON); collecting half as often saves
		// ~5-10% of its CPU for a few hundred MB more of heap.
		debug.SetGCPercent(200)
	}

	rejects := importer.NewRejectsFile(rejPath)
	im, err := importer.New(st.Ingest, st.Keyer, importer.Config{
		Map:       m,
		Source:    *source,
		BatchSize: *batch,
		Rejects:   rejects,
		Bulk:      useBulk,
		Log:       stderr,
		Terminal:  isTerminal(stderr) && env("TERM") != "dumb",
	})
	if err != nil {
		return err
	}
	sum, err := im.Import(ctx, inputs)
	if cerr := rejects.Close(); err == nil && cerr != nil {
		err = cerr
	}
	out := stdout
	if err != nil {
		// A failed import's summary says how far it got; stdout stays for success.
		out = stderr
		fmt.Fprintf(out, "import stopped: %s\n", sum)
		fmt.Fprintln(out, "committed rows are kept; run the same command again to finish the import")
	} else {
		fmt.Fprintf(out, "import done: %s\n", sum)
	}
	if sum.Rejected > 0 {
		fmt.Fprintf(out, "%d rejected row(s) written to %s\n", sum.Rejected, rejPath)
	}
	return err
}

// bulkMinBytes is the input size below which --bulk auto never bulk-loads:
// rebuilding the deferred indexes would cost more than it saves.
const bulkMinBytes = 8 << 20

// storedPersonBytes is about what a stored person takes in PostgreSQL, with
// its keys, terms and indexes (1.1 GB for 200,000 people).
const storedPersonBytes = 5500

// bulkPays reports whether an import of inputs into store st at dsn should
// bulk-load: the inputs are at least bulkMinBytes and at least a hundredth of
// the store's bytes (a CSV row is ~300 bytes, a stored person ~3.5 KB in
// SQLite, so that is an import adding about a tenth of the store or more).
// PostgreSQL's size is estimated from its count of people. Standard input,
// of unknown size, is not bulk-loaded unless asked.
func bulkPays(ctx context.Context, dsn string, st *stores, inputs []*importer.Input) (bool, error) {
	var in int64
	for _, i := range inputs {
		in += i.Size
	}
	if in < bulkMinBytes {
		return false, nil
	}
	var store int64
	if st.Backend == "postgres" {
		n, err := st.People.CountPeople(ctx)
		if err != nil {
			return false, fmt.Errorf("count people: %w", err)
		}
		store = int64(n) * storedPersonBytes
	} else {
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(dsn + suffix); err == nil {
				store += fi.Size()
			}
		}
	}
	return in >= store/100, nil
}

// parseInterspersed parses flags that may come after positional arguments
// ("import a.csv --db x"), which the flag package alone stops at. Everything
// after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// defaultRejectsPath is "<base of first>.rejects.csv" in the current directory.
func defaultRejectsPath(first string) string {
	if first == "-" {
		return "stdin.rejects.csv"
	}
	base := filepath.Base(first)
	base = strings.TrimSuffix(base, ".gz")
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return base + ".rejects.csv"
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
