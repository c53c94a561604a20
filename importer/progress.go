package importer

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// progress reports the import's progress on cfg.Log until the returned stop
// function is called: a bar redrawn in place on a terminal, a log line every
// interval otherwise (so that a log file is not flooded with redraws).
func (im *Importer) progress(cnt *counters, start time.Time) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(im.cfg.ProgressInterval)
		defer t.Stop()
		drawn := false
		for {
			select {
			case <-done:
				if drawn && im.cfg.Terminal {
					fmt.Fprint(im.cfg.Log, "\r\033[K")
				}
				return
			case <-t.C:
				line := progressLine(cnt, time.Since(start), im.cfg.Terminal)
				if im.cfg.Terminal {
					fmt.Fprint(im.cfg.Log, "\r\033[K"+line)
				} else {
					fmt.Fprintln(im.cfg.Log, "import: "+line)
				}
				drawn = true
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// progressLine formats one progress report: the fraction of rows written
// out of the total estimated from the bytes read, and the rate of rows written.
func progressLine(cnt *counters, elapsed time.Duration, bar bool) string {
	read, done := cnt.read.Load(), cnt.done.Load()
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(done) / s
	}
	file := ""
	if f := cnt.file.Load(); f != nil {
		file = *f + " "
	}
	size, bytes := cnt.size.Load(), cnt.bytes.Load()
	if size <= 0 || bytes > size {
		return fmt.Sprintf("%s%d rows read, %d written, %.0f rows/s", file, read, done, rate)
	}
	// Bytes read run ahead of rows written by the pipeline's buffers: estimate
	// the total rows from the bytes read so far and compare rows written with it.
	frac := 0.0
	if read > 0 {
		frac = float64(done) / float64(read) * float64(bytes) / float64(size)
	}
	eta := "--"
	if frac > 0.01 {
		eta = (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
	}
	if !bar {
		return fmt.Sprintf("%s%.0f%%, %d rows read, %d written, %.0f rows/s, ETA %s", file, frac*100, read, done, rate, eta)
	}
	const width = 30
	n := int(frac * width)
	return fmt.Sprintf("%s[%s%s] %3.0f%% %d rows %.0f rows/s ETA %s", file,
		strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, done, rate, eta)
}
