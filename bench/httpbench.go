package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Look-up kinds of the HTTP benchmark.
const (
	kindLinkedIn    = "LinkedIn URL"
	kindEmail       = "email"
	kindNameDomain  = "name + domain"
	kindNameCompany = "name + company name"
)

// isIdentifier reports whether kind is an identifier look-up (target: 50% of
// the ceiling; name look-ups: 30%).
func isIdentifier(kind string) bool { return kind == kindLinkedIn || kind == kindEmail }

// dialect describes how one API asks for a person.
type dialect struct {
	Name    string
	Path    string
	Headers func(key string) [][2]string
	// Bodies maps the look-up kinds the dialect supports to a request body.
	Bodies map[string]func(r row) any
	// Hit reports whether a 200 body is a match (some dialects answer a miss
	// with 200 and an empty result).
	Hit func(body []byte) bool
}

func always(body []byte) bool { return true }

// dialects lists the native API and the four vendor dialects with the
// look-ups each supports (Crustdata enriches by identifier only; Clodura has
// no domain input; ApiOne takes an email or a name and a domain).
func dialects() []dialect {
	bearer := func(key string) [][2]string {
		return [][2]string{{"Authorization", "Bearer " + key}}
	}
	return []dialect{
		{Name: "native", Path: "/v1/person/enrich", Headers: bearer,
			Bodies: map[string]func(r row) any{
				kindLinkedIn: func(r row) any { return map[string]string{"linkedin_url": r.LinkedIn} },
				kindEmail:    func(r row) any { return map[string]string{"email": r.Email} },
				kindNameDomain: func(r row) any {
					return map[string]string{"first_name": r.First, "last_name": r.Last, "company_domain": r.Domain}
				},
				kindNameCompany: func(r row) any {
					return map[string]string{"first_name": r.First, "last_name": r.Last, "company_name": r.Company}
				},
			},
			Hit: func(b []byte) bool { return bytes.Contains(b, []byte(`"match":true`)) }},
		{Name: "crustdata", Path: "/person/enrich",
			Headers: func(key string) [][2]string {
				return [][2]string{{"Authorization", "Bearer " + key}, {"x-api-version", "2025-11-01"}}
			},
			Bodies: map[string]func(r row) any{
				kindLinkedIn: func(r row) any { return map[string]any{"professional_network_profile_urls": []string{r.LinkedIn}} },
				kindEmail:    func(r row) any { return map[string]any{"business_emails": []string{r.Email}} },
			},
			Hit: func(b []byte) bool { return !bytes.Contains(b, []byte(`"matches":[]`)) }},
		{Name: "clodura", Path: "/api/v1/cleanup/enrich",
			Headers: func(key string) [][2]string { return [][2]string{{"X-API-KEY", key}} },
			Bodies: map[string]func(r row) any{
				kindLinkedIn: func(r row) any { return map[string]string{"linkedinUrl": r.LinkedIn} },
				kindEmail:    func(r row) any { return map[string]string{"email": r.Email} },
				kindNameCompany: func(r row) any {
					return map[string]string{"firstName": r.First, "lastName": r.Last, "organisationName": r.Company}
				},
			},
			Hit: always},
		{Name: "ocean", Path: "/v2/enrich/person",
			Headers: func(key string) [][2]string { return [][2]string{{"x-api-token", key}} },
			Bodies: map[string]func(r row) any{
				kindLinkedIn: func(r row) any { return map[string]any{"person": map[string]string{"linkedin": r.LinkedIn}} },
				kindEmail:    func(r row) any { return map[string]any{"person": map[string]string{"email": r.Email}} },
				kindNameDomain: func(r row) any {
					return map[string]any{"person": map[string]string{"name": r.First + " " + r.Last}, "company": map[string]string{"domain": r.Domain}}
				},
				kindNameCompany: func(r row) any {
					return map[string]any{"person": map[string]string{"name": r.First + " " + r.Last}, "company": map[string]string{"name": r.Company}}
				},
			},
			Hit: always},
		{Name: "apione", Path: "/api/v1/people/enrich",
			Headers: func(key string) [][2]string { return [][2]string{{"X-API-Key", key}} },
			Bodies: map[string]func(r row) any{
				kindEmail: func(r row) any { return map[string]string{"email": r.Email} },
				kindNameDomain: func(r row) any {
					return map[string]string{"first_name": r.First, "last_name": r.Last, "domain": r.Domain}
				},
			},
			Hit: always},
	}
}

// kinds is the report order of look-up kinds.
var kinds = []string{kindLinkedIn, kindEmail, kindNameDomain, kindNameCompany}

// server is a running `enrichd serve`.
type server struct {
	cmd       *exec.Cmd
	Addr      string
	PprofAddr string // serve --pprof-addr, with --profile
	log       *os.File
}

// profile saves a CPU profile of the server over the next seconds to file.
func (s *server) profile(file string, seconds int) error {
	client := &http.Client{Timeout: time.Duration(seconds+30) * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", s.PprofAddr, seconds))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: status %d", resp.StatusCode)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startServer runs `enrichd serve` on db and waits for /readyz.
func (e *env) startServer(ctx context.Context, db string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(e.Work, "serve.log"))
	if err != nil {
		return nil, err
	}
	// warn: the default info level writes an access-log line per request,
	// which would measure the log as much as the server.
	args := []string{"serve", "--db", db, "--addr", addr, "--log-level", "warn"}
	pprofAddr := ""
	if e.ProfileDir != "" {
		if pprofAddr, err = freeAddr(); err != nil {
			return nil, err
		}
		args = append(args, "--pprof-addr", pprofAddr)
	}
	cmd := exec.Command(e.Binary, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start enrichd serve: %w", err)
	}
	s := &server{cmd: cmd, Addr: addr, PprofAddr: pprofAddr, log: logf}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.Stop()
			b, _ := os.ReadFile(logf.Name())
			return nil, fmt.Errorf("enrichd serve not ready after 2 minutes: %s", tail(b, 2000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Memory reads VmRSS and VmHWM (peak resident) of the server, and RssFile,
// the part of VmRSS that is file-backed (the binary, any mapped file: pages
// shared with the OS page cache, not the process's own memory), in MB.
func (s *server) Memory() (rss, hwm, file float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		case "RssFile:":
			file = kb / 1024
		}
	}
	return rss, hwm, file, nil
}

// Stop sends SIGTERM (a graceful shutdown) and waits.
func (s *server) Stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.log.Close()
}

// createKey runs `enrichd keys create` with an unlimited rate and a balance
// no run can exhaust, and returns the key (the last line of stdout).
func (e *env) createKey(ctx context.Context, db string) (string, error) {
	out, err := exec.CommandContext(ctx, e.Binary, "keys", "create", "--db", db, "--name", "bench",
		"--credits", "1000000000000", "--rpm", "0").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("enrichd keys create: %w: %s", err, ee.Stderr)
		}
		return "", fmt.Errorf("enrichd keys create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// httpCase is one (dialect, look-up kind) pair with its captured requests.
type httpCase struct {
	Dialect, Kind string
	Sent, Hits    int // queries sent while capturing, and answered with a match
	Raw           [][]byte
	Caps          []captured
	Results       map[int][2]loadResult // by connections: enrichd, ceiling
	// Paced is the open-loop run at the most connections, enrichd then the
	// ceiling, both offered PacedRate requests/s (pacedLoad of enrichd's
	// closed-loop requests/s): latency at a load the server sustains, which
	// a closed loop, always saturated, cannot show.
	Paced     [2]loadResult
	PacedRate float64
}

// pacedLoad is the share of its closed-loop throughput enrichd is offered in
// the paced run.
const pacedLoad = 0.5

// capture sends each query once to the real server and keeps the requests
// answered 200 with a match, with the exact response bytes for the ceiling.
func capture(ctx context.Context, addr, key string, d dialect, kind string, rows []row) (*httpCase, error) {
	c := &httpCase{Dialect: d.Name, Kind: kind, Results: map[int][2]loadResult{}}
	client := &http.Client{Timeout: 30 * time.Second}
	headers := d.Headers(key)
	for _, r := range rows {
		body, err := json.Marshal(d.Bodies[kind](r))
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+d.Path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		for _, h := range headers {
			req.Header.Set(h[0], h[1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", d.Name, kind, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		c.Sent++
		switch {
		case resp.StatusCode >= 500 || resp.StatusCode == 401 || resp.StatusCode == 402 || resp.StatusCode == 429 || resp.StatusCode == 400:
			return nil, fmt.Errorf("%s %s: status %d for %s: %s", d.Name, kind, resp.StatusCode, body, tail(b, 500))
		case resp.StatusCode != http.StatusOK || !d.Hit(b):
			continue // a miss: measured look-ups are hits only
		}
		c.Hits++
		c.Raw = append(c.Raw, rawRequest(d.Path, headers, body))
		c.Caps = append(c.Caps, captured{Path: d.Path, Request: string(body), Status: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Body: string(b)})
	}
	if c.Hits == 0 {
		return nil, fmt.Errorf("%s %s: none of %d queries matched", d.Name, kind, c.Sent)
	}
	return c, nil
}

// httpReport is the outcome of the HTTP benchmark.
type httpReport struct {
	People          int
	Store           storeInfo
	Cases           []*httpCase
	Conns           []int
	Warmup, Measure time.Duration
	RSS, HWM        float64 // MB, after all runs
	RSSFile         float64 // MB of RSS that is the mapped store file
	DiskMB          float64
}

// runHTTP measures every dialect and look-up kind through the real server
// against the ceiling, each pair back to back so that both see the same
// neighbours on a shared machine.
func (e *env) runHTTP(ctx context.Context, people, queries int, conns []int, warmup, measure time.Duration) (*httpReport, error) {
	info, err := e.store(ctx, people)
	if err != nil {
		return nil, err
	}
	key, err := e.createKey(ctx, info.DB)
	if err != nil {
		return nil, err
	}
	rows, err := sampleRows(info.CSV, people, queries)
	if err != nil {
		return nil, err
	}
	if err := warmFile(info.DB, info.DB+"-wal"); err != nil {
		return nil, err
	}
	srv, err := e.startServer(ctx, info.DB)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	rep := &httpReport{People: people, Store: info, Conns: conns, Warmup: warmup, Measure: measure}

	var all []captured
	for _, d := range dialects() {
		for _, kind := range kinds {
			if d.Bodies[kind] == nil {
				continue
			}
			c, err := capture(ctx, srv.Addr, key, d, kind, rows)
			if err != nil {
				return nil, err
			}
			rep.Cases = append(rep.Cases, c)
			all = append(all, c.Caps...)
		}
	}
	ceil, err := startCeiling(ctx, e.Work, all)
	if err != nil {
		return nil, err
	}
	defer ceil.Stop()

	for _, c := range rep.Cases {
		for _, n := range conns {
			var pair [2]loadResult
			for i, target := range []struct {
				addr string
				pid  int
			}{{srv.Addr, srv.cmd.Process.Pid}, {ceil.Addr, ceil.cmd.Process.Pid}} {
				g := loadGen{Addr: target.addr, Conns: n, Warmup: warmup, Duration: measure}
				var prof chan error
				if i == 0 && e.ProfileDir != "" && n == conns[len(conns)-1] {
					// The profile covers the run from its start, warm-up included.
					prof = make(chan error, 1)
					file := filepath.Join(e.ProfileDir, fmt.Sprintf("cpu-%s-%s.pprof", c.Dialect, strings.NewReplacer(" + ", "-", " ", "-").Replace(c.Kind)))
					go func() { prof <- srv.profile(file, max(1, int((warmup+measure).Seconds()))) }()
				}
				cpu0, cerr := procCPU(target.pid)
				if pair[i], err = g.Run(ctx, c.Raw); err != nil {
					return nil, fmt.Errorf("%s %s at %d connections: %w", c.Dialect, c.Kind, n, err)
				}
				if cpu1, err := procCPU(target.pid); err == nil && cerr == nil {
					pair[i].CPU = cpu1 - cpu0
				}
				if prof != nil {
					if err := <-prof; err != nil {
						return nil, fmt.Errorf("profile: %w", err)
					}
				}
			}
			c.Results[n] = pair
			if n == conns[len(conns)-1] {
				c.PacedRate = pair[0].RPS * pacedLoad
				for i, addr := range []string{srv.Addr, ceil.Addr} {
					g := loadGen{Addr: addr, Conns: n, Warmup: warmup, Duration: measure, Rate: c.PacedRate}
					if c.Paced[i], err = g.Run(ctx, c.Raw); err != nil {
						return nil, fmt.Errorf("%s %s paced at %.0f req/s: %w", c.Dialect, c.Kind, c.PacedRate, err)
					}
				}
				e.Logf("%-9s %-20s c=%-3d paced at %.0f req/s: enrichd p50 %.2f p99 %.2f ms | ceiling p50 %.2f p99 %.2f ms",
					c.Dialect, c.Kind, n, c.PacedRate, ms(c.Paced[0].P50), ms(c.Paced[0].P99), ms(c.Paced[1].P50), ms(c.Paced[1].P99))
			}
			e.Logf("%-9s %-20s c=%-3d enrichd %7.0f req/s p99 %6.2f ms %4.0f µs CPU/req | ceiling %7.0f req/s %3.0f µs CPU/req | ratio %.2f",
				c.Dialect, c.Kind, n, pair[0].RPS, ms(pair[0].P99), usf(pair[0].CPUPerRequest()), pair[1].RPS, usf(pair[1].CPUPerRequest()), pair[0].RPS/pair[1].RPS)
		}
	}
	if rep.RSS, rep.HWM, rep.RSSFile, err = srv.Memory(); err != nil {
		return nil, err
	}
	rep.DiskMB = fileMB(info.DB, info.DB+"-wal")
	return rep, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func usf(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// fileMB sums the sizes of the files that exist, in MB.
func fileMB(paths ...string) float64 {
	var n int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return float64(n) / (1 << 20)
}
