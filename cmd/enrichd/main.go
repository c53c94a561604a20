// Command enrichd is the enrichd enrichment engine: it imports people and
// company data into a SQLite or PostgreSQL store and serves it through a
// native API and four vendor-compatible APIs.
//
// Usage: enrichd <command> [flags]; `enrichd help` lists the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; otherwise
// it comes from the module's build information.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default so that a second one kills at once.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on stderr and returns the process status: 0 on success
// (and on --help), 2 on a usage error, 1 otherwise.
func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		if !ue.printed {
			fmt.Fprintf(stderr, "enrichd: %s\nRun 'enrichd help' for usage.\n", ue.msg)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "enrichd: %v\n", err)
		return 1
	}
}

// errHelp is returned after usage was printed at the caller's request.
var errHelp = errors.New("help requested")

// usageError is a mistake on the command line (exit status 2).
type usageError struct {
	msg     string
	printed bool // the flag package already printed it with the usage
}

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return usageError{msg: fmt.Sprintf(format, args...)}
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error
}

// withoutStdin adapts the common run<Name> signature.
func withoutStdin(f func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error) func(context.Context, []string, func(string) string, io.Reader, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, env func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
		return f(ctx, args, env, stdout, stderr)
	}
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"serve the APIs (--demo: with generated demo data)", withoutStdin(runServe)},
		"import":  {"import CSV or JSONL files of people and companies", runImportFrom},
		"migrate": {"apply pending schema migrations", withoutStdin(runMigrate)},
		"eval":    {"measure matching precision and recall on labelled data", withoutStdin(runEval)},
		"version": {"print the version", withoutStdin(runVersion)},
		"keys":    {"create, list, show, update and revoke API keys", withoutStdin(runKeys)},
		"credits": {"grant credits to an API key", withoutStdin(runCredits)},
		"usage":   {"report credit usage from the ledger", withoutStdin(runUsage)},
	}
}

// run executes the command line args (without the program name).
func run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printHelp(stderr)
		return usageError{msg: "no command given", printed: true}
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if _, ok := commands()[rest[0]]; ok {
				if err := run(ctx, []string{rest[0], "--help"}, env, stdin, stdout, stderr); !errors.Is(err, errHelp) {
					return err
				}
				return nil
			}
		}
		printHelp(stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := commands()[name]
	if !ok {
		return usageErrorf("unknown command %q", name)
	}
	return cmd.run(ctx, rest, env, stdin, stdout, stderr)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `enrichd: a self-hosted person and company enrichment engine.

Usage:
  enrichd <command> [flags]

Commands:
`)
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprint(w, `
Run 'enrichd <command> --help' for a command's flags. Every command that opens
the store takes --db (a SQLite file path or a postgres:// URL; env ENRICHD_DB).

Quick start:
  enrichd serve --demo
`)
}

// runVersion prints the version.
func runVersion(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr, "Usage: enrichd version\n")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "enrichd", versionString())
	return nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = strings.TrimSuffix(v+" "+s.Value[:12], " ")
			}
		}
		if v != "" {
			return v
		}
	}
	return "(devel)"
}
