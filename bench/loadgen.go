package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// loadResult is what one load run measured.
type loadResult struct {
	Conns    int
	Requests int           // completed in the measured window
	All      int           // completed, warm-up included
	CPU      time.Duration // CPU (user + system) the server process used during the whole run; 0 if unknown
	Non2xx   int           // responses with a status outside 200–299
	Errors   int           // connection or protocol errors
	Elapsed  time.Duration // measured window
	RPS      float64
	P50, P99 time.Duration
}

// loadGen sends pre-built HTTP/1.1 requests over keep-alive connections and
// parses the answers with a minimal reader.
//
// NOTE: it is deliberately lean (raw bytes, no net/http client): it shares the
// two cores with the server under test, and every cycle it spends is taken
// from the server. wrk would be leaner still, but a Go generator needs nothing
// installed and behaves the same in CI. Ceiling and enrichd are measured with
// the same generator, so the ratio is what matters.
type loadGen struct {
	Addr     string
	Conns    int
	Warmup   time.Duration // requests in this first window are not counted
	Duration time.Duration // measured window after the warm-up
	// Rate, when > 0, paces the generator (open loop): requests/s over all
	// connections, each connection sending on its own fixed schedule, and a
	// latency counts from the scheduled send, so a late answer delays no
	// later request's clock (no coordinated omission). 0 is closed loop.
	Rate float64
}

// rawRequest builds an HTTP/1.1 POST with a JSON body.
func rawRequest(path string, headers [][2]string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, len(body))
	for _, h := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// Run sends reqs round-robin (each connection starts at its own offset) until
// the warm-up and the measured window have passed, then stops by itself.
func (g loadGen) Run(ctx context.Context, reqs [][]byte) (loadResult, error) {
	if len(reqs) == 0 {
		return loadResult{}, errors.New("load: no requests")
	}
	start := time.Now()
	measureFrom := start.Add(g.Warmup)
	end := measureFrom.Add(g.Duration)
	ctx, cancel := context.WithDeadline(ctx, end.Add(5*time.Second))
	defer cancel()

	type workerResult struct {
		lat                 []time.Duration
		all, non2xx, errors int
		err                 error
	}
	results := make([]workerResult, g.Conns)
	var wg sync.WaitGroup
	for w := range g.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[w]
			r.lat = make([]time.Duration, 0, 1<<15)
			var conn net.Conn
			var br *bufio.Reader
			defer func() {
				if conn != nil {
					conn.Close()
				}
			}()
			// interval and next are the pacing of an open-loop run; the
			// connections' schedules are spread evenly over one interval.
			var interval time.Duration
			var next time.Time
			if g.Rate > 0 {
				interval = time.Duration(float64(g.Conns) / g.Rate * float64(time.Second))
				next = start.Add(interval * time.Duration(w) / time.Duration(g.Conns))
			}
			for i := w * 7; ; i++ {
				if conn == nil {
					d := net.Dialer{}
					c, err := d.DialContext(ctx, "tcp", g.Addr)
					if err != nil {
						r.err = err
						return
					}
					conn, br = c, bufio.NewReaderSize(c, 64<<10)
					conn.SetDeadline(end.Add(5 * time.Second))
				}
				t0 := time.Now()
				if interval > 0 {
					if d := next.Sub(t0); d > 0 {
						time.Sleep(d)
					}
					t0, next = next, next.Add(interval)
				}
				if t0.After(end) {
					return
				}
				_, err := conn.Write(reqs[i%len(reqs)])
				status, keep := 0, false
				if err == nil {
					status, keep, err = readResponse(br)
				}
				t1 := time.Now()
				if err != nil {
					r.errors++
					conn.Close()
					conn = nil
					if ctx.Err() != nil || r.errors > 100 {
						r.err = fmt.Errorf("load: %w", err)
						return
					}
					continue
				}
				r.all++
				if !keep {
					conn.Close()
					conn = nil
				}
				if t0.Before(measureFrom) || t1.After(end) {
					continue
				}
				if status < 200 || status > 299 {
					r.non2xx++
				}
				r.lat = append(r.lat, t1.Sub(t0))
			}
		}()
	}
	wg.Wait()
	res := loadResult{Conns: g.Conns, Elapsed: g.Duration}
	var all []time.Duration
	var firstErr error
	for _, r := range results {
		all = append(all, r.lat...)
		res.All += r.all
		res.Non2xx += r.non2xx
		res.Errors += r.errors
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
	}
	if len(all) == 0 {
		if firstErr == nil {
			firstErr = errors.New("load: no request completed")
		}
		return res, firstErr
	}
	slices.Sort(all)
	res.Requests = len(all)
	res.RPS = float64(len(all)) / g.Duration.Seconds()
	res.P50 = all[len(all)/2]
	res.P99 = all[min(len(all)-1, len(all)*99/100)]
	return res, nil
}

// CPUPerRequest is the server's CPU time per request, a figure that depends
// much less than requests/s on what else the shared machine is doing.
func (r loadResult) CPUPerRequest() time.Duration {
	if r.All == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.All)
}

// procCPU returns the user + system CPU time process pid has used.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the parenthesised command name: utime and stime are
	// the 12th and 13th, in clock ticks (100 a second on Linux).
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// readResponse reads one HTTP/1.1 response, discarding the body, and
// reports the status and whether the connection may be reused.
func readResponse(br *bufio.Reader) (status int, keepAlive bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, chunked, keepAlive := -1, false, true
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keepAlive = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		for {
			line, err = br.ReadSlice('\n')
			if err != nil {
				return 0, false, err
			}
			size, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(line, []byte(";"), 2)[0])), 16, 64)
			if err != nil {
				return 0, false, fmt.Errorf("bad chunk size %q", line)
			}
			if _, err := br.Discard(int(size) + 2); err != nil { // data and CRLF
				return 0, false, err
			}
			if size == 0 {
				return status, keepAlive, nil
			}
		}
	case length >= 0:
		_, err = br.Discard(length)
		return status, keepAlive, err
	default: // body until close
		_, err = io.Copy(io.Discard, br)
		return status, false, err
	}
}
