// Package importer reads people and company files (CSV with a header row, or
// JSONL in the native schema), normalises every row into an
// enrichd.IngestRecord and writes them through an enrichd.IngestService in
// batches, one transaction each.
//
// NOTE: parsing and normalising run on one goroutine while the store writes
// the previous batch on another, connected by a bounded channel, so the import
// runs at the speed of the slower side and never holds more than a few
// batches in memory (issue 2, "Import"). Bad rows go to a rejects file and
// the import goes on; only an I/O or store failure stops it. Because every
// record carries a stable provenance (file:line, and the file's mtime unless
// an updated_at says otherwise), running the same import again — after a
// crash, or twice — changes nothing that was already written.
package importer

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/enrichd/enrichd"
)

// Input formats.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// DefaultBatchSize is the number of records written per transaction.
const DefaultBatchSize = 1000

// DefaultBulkBatchSize is the number of records per transaction of a bulk
// load: each commit writes every page its batch dirtied, and in a large store
// a batch of a thousand dirties nearly as many key and term pages as one of
// twenty thousand (docs/BENCHMARKS.md, "Import").
const DefaultBulkBatchSize = 20_000

// MaxBatchSize bounds --batch: one transaction holds a batch's locks and memory.
const MaxBatchSize = 100_000

// Config configures an Importer.
type Config struct {
	// Normalizers canonicalise identifiers; nil ones default to package match's.
	Normalizers Normalizers
	// Map maps folded column names to fields (from ParseMap); it wins over the aliases.
	Map map[string]string
	// Source names the provenance source of every record; default: each file's base name.
	Source string
	// BatchSize is the number of records per transaction; default DefaultBatchSize.
	BatchSize int
	// Rejects receives rejected records; nil counts them without keeping them.
	Rejects *Rejects
	// Log receives warnings and progress; nil discards them.
	Log io.Writer
	// Terminal draws a progress bar on Log instead of periodic log lines.
	Terminal bool
	// Bulk tells the store, when it implements enrichd.BulkIngester, that a
	// large load begins (BeginBulk before the first batch, EndBulk after the
	// last): faster for an import large compared with the store, while
	// searches on a concurrent server are slower until it ends.
	Bulk bool
	// ProgressInterval is the time between progress updates; default 250ms
	// on a terminal and 10s otherwise.
	ProgressInterval time.Duration
}

// Input is one file to import.
type Input struct {
	Name    string    // path as given, or "-" for standard input
	R       io.Reader // the bytes; gzip-compressed input is detected and decompressed
	Size    int64     // bytes of R, for the progress ETA; 0 when unknown
	ModTime time.Time // default SeenAt of every record; zero means now
	Format  string    // FormatCSV or FormatJSONL; "" detects from the name or, for "-", the content
}

// OpenFile opens the file at path as an Input; the caller closes the file.
// "-" is not handled here: stdin has no name, size or mtime to take.
func OpenFile(path string) (*Input, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("%s is a directory", path)
	}
	return &Input{Name: path, R: f, Size: fi.Size(), ModTime: fi.ModTime()}, f, nil
}

// Summary counts what an import did. Read = New + Merged + Unchanged +
// Rejected once an import completes; the outcome of a record is its person's,
// or its company's for a company-only record.
type Summary struct {
	Read      int `json:"read"`
	New       int `json:"new"`
	Merged    int `json:"merged"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
	// Companies counts the company part of every record (employers included).
	CompaniesNew       int           `json:"companies_new"`
	CompaniesMerged    int           `json:"companies_merged"`
	CompaniesUnchanged int           `json:"companies_unchanged"`
	Elapsed            time.Duration `json:"elapsed_ns"`
}

// String formats the summary on one line.
func (s Summary) String() string {
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = fmt.Sprintf(" (%.0f rows/s)", float64(s.Read)/secs)
	}
	return fmt.Sprintf("read %d, new %d, merged %d, unchanged %d, rejected %d in %s%s; companies: new %d, merged %d, unchanged %d",
		s.Read, s.New, s.Merged, s.Unchanged, s.Rejected, s.Elapsed.Round(time.Millisecond), rate,
		s.CompaniesNew, s.CompaniesMerged, s.CompaniesUnchanged)
}

// Importer imports files into an IngestService.
type Importer struct {
	ingest enrichd.IngestService
	keyer  enrichd.Keyer
	cfg    Config
}

// New returns an Importer writing to ingest. keyer decides, before a record
// reaches the store, whether it has an identity (records without one are rejected).
func New(ingest enrichd.IngestService, keyer enrichd.Keyer, cfg Config) (*Importer, error) {
	if ingest == nil || keyer == nil {
		return nil, fmt.Errorf("importer: ingest service and keyer are required")
	}
	cfg.Normalizers = cfg.Normalizers.withDefaults()
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.BatchSize < 1 || cfg.BatchSize > MaxBatchSize {
		return nil, enrichd.Errorf(enrichd.EINVALID, "batch size %d: want 1 to %d", cfg.BatchSize, MaxBatchSize)
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.ProgressInterval == 0 {
		cfg.ProgressInterval = 10 * time.Second
		if cfg.Terminal {
			cfg.ProgressInterval = 250 * time.Millisecond
		}
	}
	return &Importer{ingest: ingest, keyer: keyer, cfg: cfg}, nil
}

// recMeta is where a record came from, for rejecting it after the store refused it.
type recMeta struct {
	file string
	line int
	raw  string
}

type batch struct {
	recs []enrichd.IngestRecord
	meta []recMeta
}

// source is one prepared input: format known, header read.
type source struct {
	in     *Input
	name   string // display name: the path, or "stdin"
	format string
	lr     *lineReader
	csv    *csvReader
	header *header
	conv   *converter
}

// counters are shared with the progress reporter.
type counters struct {
	bytes, size atomic.Int64
	read, done  atomic.Int64
	file        atomic.Pointer[string]
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Import imports the inputs in order and returns what it did. Bad records are
// rejected and counted; the error is non-nil only when the import could not
// finish (unreadable input, store failure, cancelled ctx), in which case the
// summary counts what was committed before it stopped. Every header is
// checked before anything is written.
func (im *Importer) Import(ctx context.Context, inputs []*Input) (Summary, error) {
	start := time.Now()
	var sum Summary
	var cnt counters
	srcs := make([]*source, 0, len(inputs))
	for _, in := range inputs {
		s, err := im.prepare(in, &cnt)
		if err != nil {
			return sum, err
		}
		if s != nil {
			srcs = append(srcs, s)
		}
	}

	// The producer gets its own context so that a store failure stops it.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 2)
	var rejected atomic.Int64
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- im.produce(pctx, srcs, batches, &cnt, &rejected)
	}()

	bulk, _ := im.ingest.(enrichd.BulkIngester)
	if !im.cfg.Bulk {
		bulk = nil
	}
	stopProgress := im.progress(&cnt, start)
	var err error
	if bulk != nil {
		if err = bulk.BeginBulk(ctx); err != nil {
			err = fmt.Errorf("begin bulk load: %w", err)
			cancel()
		}
	}
	for b := range batches {
		if err != nil {
			continue // drain: BeginBulk failed
		}
		if err = im.write(ctx, b, &sum, &rejected); err != nil {
			cancel()
			for range batches { // let the producer finish
			}
			break
		}
		cnt.done.Store(int64(sum.New + sum.Merged + sum.Unchanged))
		if im.cfg.Rejects != nil {
			// NOTE: flushed per batch so a crash loses no more rejects than rows.
			im.cfg.Rejects.flush()
		}
	}
	if rerr := <-readErr; err == nil {
		err = rerr
	}
	if bulk != nil && ctx.Err() == nil {
		// NOTE: also after a failure, so that the store is left indexed; if
		// this process dies first, the store's next open finishes the job.
		if eerr := bulk.EndBulk(ctx); eerr != nil && err == nil {
			err = fmt.Errorf("end bulk load: %w", eerr)
		}
	}
	if ctx.Err() != nil {
		// Whatever failed first, the cause is the caller's cancellation.
		err = fmt.Errorf("import interrupted: %w", context.Cause(ctx))
	}
	stopProgress()
	sum.Rejected = int(rejected.Load())
	sum.Read = int(cnt.read.Load())
	sum.Elapsed = time.Since(start)
	if err != nil {
		// Records read but not committed are not part of the summary.
		sum.Read = sum.New + sum.Merged + sum.Unchanged + sum.Rejected
	}
	return sum, err
}

// prepare detects the input's compression and format and, for CSV, reads and
// resolves the header. It returns nil for an empty input.
func (im *Importer) prepare(in *Input, cnt *counters) (*source, error) {
	name := in.Name
	base := filepath.Base(in.Name)
	if in.Name == "-" || in.Name == "" {
		name, base = "stdin", "stdin"
	}
	cnt.size.Add(in.Size)
	br := bufio.NewReaderSize(countingReader{r: in.R, n: &cnt.bytes}, 64<<10)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = zr
		base = strings.TrimSuffix(base, ".gz")
	}
	s := &source{in: in, name: name, lr: newLineReader(r)}
	s.format = in.Format
	if s.format == "" {
		s.format = formatOf(base)
	}
	if s.format == "" {
		// Standard input, or an unknown extension: look at the first byte.
		first, _ := s.lr.br.Peek(512)
		first = trimBOM(first)
		if t := strings.TrimLeft(string(first), " \t\r\n"); strings.HasPrefix(t, "{") {
			s.format = FormatJSONL
		} else if in.Name == "-" || in.Name == "" {
			s.format = FormatCSV
		} else {
			return nil, enrichd.Errorf(enrichd.EINVALID,
				"%s: cannot tell the format from the extension (want .csv, .tsv, .jsonl or .ndjson); use --format csv|jsonl", name)
		}
	}
	source := im.cfg.Source
	if source == "" {
		source = base
	}
	seenAt := in.ModTime
	if seenAt.IsZero() {
		seenAt = time.Now()
	}
	s.conv = &converter{norm: &im.cfg.Normalizers, keyer: im.keyer, source: source, file: base,
		seenAt: seenAt.UTC().Truncate(time.Second)}
	if s.format != FormatCSV {
		return s, nil
	}

	// Sniff the delimiter from the first line, then read the header.
	peek, _ := s.lr.br.Peek(64 << 10)
	if i := strings.IndexByte(string(peek), '\n'); i >= 0 {
		peek = peek[:i]
	}
	comma := sniffComma(trimBOM(peek))
	s.csv = newCSVReader(s.lr, comma)
	rec, err := s.csv.Read()
	if err == io.EOF {
		fmt.Fprintf(im.cfg.Log, "warning: %s is empty\n", name)
		return nil, nil
	}
	var re *rowError
	if errors.As(err, &re) {
		return nil, enrichd.Errorf(enrichd.EINVALID, "%s: header (line %d): %s", name, rec.line, re.reason)
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(rec.fields) > 0 {
		rec.fields[0] = strings.TrimPrefix(rec.fields[0], "\ufeff")
	}
	h, err := resolveHeader(rec.fields, im.cfg.Map)
	if err != nil {
		return nil, enrichd.Errorf(enrichd.EINVALID, "%s: %v", name, err)
	}
	if len(h.ignored) > 0 {
		fmt.Fprintf(im.cfg.Log, "warning: %s: ignoring %d column(s) that match no field: %s (map them with --map COLUMN=FIELD, or --map COLUMN=- to silence this)\n",
			name, len(h.ignored), quoteList(h.ignored))
	}
	if h.company {
		fmt.Fprintf(im.cfg.Log, "note: %s has no person columns: importing it as a list of companies\n", name)
	}
	s.header = h
	return s, nil
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// formatOf returns the format a file name's extension implies, or "".
func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(name, ".gz"))) {
	case ".csv", ".tsv":
		return FormatCSV
	case ".jsonl", ".ndjson":
		return FormatJSONL
	}
	return ""
}

// write ingests one batch and counts its outcomes. A batch the store refuses
// as invalid is retried record by record so that one bad record is rejected
// instead of its whole batch.
func (im *Importer) write(ctx context.Context, b *batch, sum *Summary, rejected *atomic.Int64) error {
	res, err := im.ingest.Ingest(ctx, b.recs)
	if err == nil {
		if len(res) != len(b.recs) {
			return fmt.Errorf("ingest returned %d results for %d records", len(res), len(b.recs))
		}
		for i := range res {
			count(sum, b.recs[i], res[i])
		}
		return nil
	}
	if enrichd.ErrorCode(err) != enrichd.EINVALID || len(b.recs) == 1 {
		if len(b.recs) == 1 && enrichd.ErrorCode(err) == enrichd.EINVALID {
			return im.rejectStored(b.meta[0], err, rejected)
		}
		return fmt.Errorf("write records %s:%d to %s:%d: %w", b.meta[0].file, b.meta[0].line,
			b.meta[len(b.meta)-1].file, b.meta[len(b.meta)-1].line, err)
	}
	for i := range b.recs {
		one := &batch{recs: b.recs[i : i+1], meta: b.meta[i : i+1]}
		if err := im.write(ctx, one, sum, rejected); err != nil {
			return err
		}
	}
	return nil
}

func (im *Importer) rejectStored(m recMeta, err error, rejected *atomic.Int64) error {
	rejected.Add(1)
	if im.cfg.Rejects == nil {
		return nil
	}
	return im.cfg.Rejects.Reject(m.file, m.line, "refused by the store: "+enrichd.ErrorMessage(err), m.raw)
}

func count(sum *Summary, rec enrichd.IngestRecord, res enrichd.IngestResult) {
	outcome := res.PersonOutcome
	if rec.Person == nil {
		outcome = res.CompanyOutcome
	}
	switch outcome {
	case enrichd.OutcomeNew:
		sum.New++
	case enrichd.OutcomeMerged:
		sum.Merged++
	default:
		sum.Unchanged++
	}
	if rec.Company != nil {
		switch res.CompanyOutcome {
		case enrichd.OutcomeNew:
			sum.CompaniesNew++
		case enrichd.OutcomeMerged:
			sum.CompaniesMerged++
		default:
			sum.CompaniesUnchanged++
		}
	}
}
