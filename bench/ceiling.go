package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ceilingEnv, when set in the environment, makes the bench binary (or its
// test binary) serve the ceiling instead: a separate process, like the real
// server, so that both compete with the load generator the same way.
const ceilingEnv = "ENRICHD_BENCH_CEILING"

// captured is one request and the real server's answer to it.
type captured struct {
	Path        string `json:"path"`
	Request     string `json:"request"`
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        string `json:"body"`
}

// serveCeiling is the ceiling: a minimal net/http handler that reads the
// request body and writes the response bytes the real server gave for that
// request, from memory. It prints its address on stdout, then serves until
// stdin is closed (so it never outlives the runner).
func serveCeiling(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var caps []captured
	if err := json.Unmarshal(b, &caps); err != nil {
		return fmt.Errorf("ceiling: %s: %w", file, err)
	}
	type answer struct {
		status int
		ctype  string
		body   []byte
	}
	answers := make(map[string]answer, len(caps))
	for _, c := range caps {
		answers[c.Path+"\x00"+c.Request] = answer{c.Status, c.ContentType, []byte(c.Body)}
	}
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := pool.Get().(*bytes.Buffer)
		defer pool.Put(buf)
		buf.Reset()
		buf.WriteString(r.URL.Path)
		buf.WriteByte(0)
		if _, err := buf.ReadFrom(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		a, ok := answers[buf.String()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		w.Write(a.body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		io.Copy(io.Discard, os.Stdin)
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ceilingProc is a running ceiling process.
type ceilingProc struct {
	cmd   *exec.Cmd
	stdin io.Closer
	Addr  string
}

// startCeiling writes caps to dir and starts the ceiling process.
func startCeiling(ctx context.Context, dir string, caps []captured) (*ceilingProc, error) {
	file := filepath.Join(dir, "ceiling.json")
	b, err := json.Marshal(caps)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), ceilingEnv+"="+file)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start ceiling: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("ceiling did not start: %w", err)
	}
	return &ceilingProc{cmd: cmd, stdin: stdin, Addr: strings.TrimSpace(line)}, nil
}

// Stop ends the ceiling process and waits for it.
func (p *ceilingProc) Stop() {
	p.stdin.Close()
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}
