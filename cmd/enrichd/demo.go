package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/demo"
	"github.com/enrichd/enrichd/match"
)

// demoCredits is the balance of a new demo key: plenty for exploring.
const demoCredits = 1_000_000

// demoBanner is what `serve --demo` prints once listening: the key and one
// curl command per API, built from real generated people.
type demoBanner struct {
	Key      string
	KeyFile  string
	DB       string
	People   int
	Person   *enrichd.Person // identified by LinkedIn URL and email
	ByName   *enrichd.Person // identified by name and company domain
	Employer *enrichd.Company
}

// prepareDemo fills the demo store on first run (through the IngestService,
// so that records merge as in any import) and returns the banner with a demo
// key, reusing the key saved next to the store on later runs.
func prepareDemo(ctx context.Context, cfg ServeConfig, st *stores, logger *slog.Logger, out io.Writer) (*demoBanner, error) {
	opt := demo.DefaultOptions()
	n, err := st.People.CountPeople(ctx)
	if err != nil {
		return nil, fmt.Errorf("count demo people: %w", err)
	}
	// The generator is sequential, so a short prefix names the same people
	// as the full run without generating all of them.
	prefix := opt
	prefix.People = 200
	ds := demo.Generate(prefix)
	if n > 0 {
		// Never mix demo people into a store of real data.
		ids, err := st.People.FindPersonIDsByKeys(ctx, st.Keyer.PersonIdentityKeys(ds.People[0]), 1)
		if err != nil {
			return nil, fmt.Errorf("look up demo people: %w", err)
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("--demo: the store %s already holds %d people that are not the demo's; give --demo another --db (default %s)", redactDSN(cfg.DB), n, DefaultDemoDB)
		}
	}
	// NOTE: a partly filled store (an interrupted first run) is simply loaded
	// again: ingest reports unchanged records and adds the missing ones.
	if n < opt.People {
		fmt.Fprintf(out, "Creating the demo store %s: %d people at %d companies...\n", redactDSN(cfg.DB), opt.People, opt.Companies)
		full := demo.Generate(opt)
		last := time.Now()
		stats, err := demo.Load(ctx, st.Ingest, full.Records, demo.DefaultBatch, func(done int) {
			if time.Since(last) > 2*time.Second {
				last = time.Now()
				logger.Info("loading demo data", "records", done, "of", len(full.Records))
			}
		})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "Loaded %d records (%d people new, %d merged from a second source) in %.1fs.\n",
			stats.Records, stats.PeopleNew, stats.PeopleMerged, stats.Elapsed.Seconds())
		if n, err = st.People.CountPeople(ctx); err != nil {
			return nil, fmt.Errorf("count demo people: %w", err)
		}
	} else if _, err := st.Ingest.Ingest(ctx, demo.DocExamples()); err != nil {
		// A demo store from an older release may lack these; re-ingesting
		// them is a no-op otherwise.
		return nil, fmt.Errorf("ingest the documentation examples: %w", err)
	}

	keyFile := demoKeyPath(cfg.DB)
	key, err := demoKey(ctx, st.Accounts, keyFile)
	if err != nil {
		return nil, err
	}
	b := &demoBanner{Key: key, KeyFile: keyFile, DB: redactDSN(cfg.DB), People: n}
	b.Person, b.ByName, b.Employer = pickDemoPeople(ds)
	if b.Person == nil || b.ByName == nil {
		return nil, errors.New("demo data has no suitable example person")
	}
	return b, nil
}

// demoKeyPath is the key file next to a SQLite demo store, or in the working
// directory for PostgreSQL.
func demoKeyPath(dsn string) string {
	if isPostgres(dsn) {
		return "enrichd-demo.key"
	}
	return strings.TrimSuffix(dsn, filepath.Ext(dsn)) + ".key"
}

// demoKey returns the saved demo key if the store still accepts it, or
// creates a new one and saves it. Keys are stored hashed, so the file is the
// only place the secret survives between runs.
func demoKey(ctx context.Context, accounts enrichd.AccountService, path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		secret := strings.TrimSpace(string(b))
		if _, err := accounts.Authenticate(ctx, secret); err == nil {
			return secret, nil
		} else if enrichd.ErrorCode(err) != enrichd.EUNAUTHORIZED {
			return "", fmt.Errorf("check demo key: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read demo key: %w", err)
	}
	_, secret, err := accounts.CreateAPIKey(ctx, "demo", enrichd.DefaultPlan(), demoCredits, nil)
	if err != nil {
		return "", fmt.Errorf("create demo key: %w", err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("save demo key: %w", err)
	}
	return secret, nil
}

// pickDemoPeople chooses the example people: one with a LinkedIn URL and a
// business email, and one whose name is unique at their employer (so that a
// name + domain request is unambiguous). Names with apostrophes are skipped
// to keep the shell commands simple to copy.
func pickDemoPeople(ds *demo.Dataset) (byID, byName *enrichd.Person, employer *enrichd.Company) {
	names := map[string]int{}
	for _, p := range ds.People {
		if j := p.CurrentJob(); j != nil {
			names[match.Fold(p.FirstName+" "+p.LastName)+"@"+j.CompanyDomain]++
		}
	}
	companies := map[string]*enrichd.Company{}
	for _, c := range ds.Companies {
		companies[c.Domain] = c
	}
	for _, p := range ds.People {
		if strings.ContainsAny(p.FullName, `'"\`) {
			continue
		}
		j := p.CurrentJob()
		switch {
		case byID == nil && p.Social.LinkedInURL != "" && len(p.Contact.BusinessEmails) > 0:
			byID = p
		case byName == nil && j != nil && names[match.Fold(p.FirstName+" "+p.LastName)+"@"+j.CompanyDomain] == 1:
			byName, employer = p, companies[j.CompanyDomain]
		}
		if byID != nil && byName != nil {
			break
		}
	}
	return byID, byName, employer
}

// demoCommand is one printed example.
type demoCommand struct {
	API, Method, Path string
	Headers           [][2]string
	Body              any
}

func (b *demoBanner) commands() []demoCommand {
	li := b.Person.Social.LinkedInURL
	email := b.Person.Contact.BusinessEmails[0].Address
	job := b.ByName.CurrentJob()
	return []demoCommand{
		{"Native API", "POST", "/v1/person/enrich",
			[][2]string{{"Authorization", "Bearer " + b.Key}, {"Content-Type", "application/json"}},
			map[string]any{"linkedin_url": li}},
		{"Native API, by name and company", "POST", "/v1/person/enrich",
			[][2]string{{"Authorization", "Bearer " + b.Key}, {"Content-Type", "application/json"}},
			map[string]any{"first_name": b.ByName.FirstName, "last_name": b.ByName.LastName, "company_domain": job.CompanyDomain, "explain": true}},
		{"Crustdata", "POST", "/person/enrich",
			[][2]string{{"authorization", "Bearer " + b.Key}, {"content-type", "application/json"}, {"x-api-version", "2025-11-01"}},
			map[string]any{"professional_network_profile_urls": []string{li}, "fields": []string{"basic_profile", "experience", "contact"}}},
		{"Clodura", "POST", "/api/v1/cleanup/enrich",
			[][2]string{{"X-API-KEY", b.Key}, {"Content-Type", "application/json"}},
			map[string]any{"email": email}},
		{"Ocean.io", "POST", "/v2/enrich/person",
			[][2]string{{"x-api-token", b.Key}, {"Content-Type", "application/json"}},
			map[string]any{"person": map[string]any{"name": b.ByName.FirstName + " " + b.ByName.LastName, "jobTitle": b.ByName.Title}, "company": map[string]any{"domain": job.CompanyDomain}}},
		{"ApiOne", "POST", "/api/v1/people/enrich",
			[][2]string{{"X-API-Key", b.Key}, {"Content-Type", "application/json"}},
			map[string]any{"first_name": b.ByName.FirstName, "last_name": b.ByName.LastName, "domain": job.CompanyDomain}},
	}
}

// print writes the banner. Every command works verbatim in a POSIX shell.
func (b *demoBanner) print(w io.Writer, baseURL string) {
	fmt.Fprintf(w, `
enrichd demo is running at %s
  store:   %s (%d people)
  API key: %s
           (saved in %s; it has %d credits and may call every API)

Try each API (the people below are in the demo data):
`, baseURL, b.DB, b.People, b.Key, b.KeyFile, demoCredits)
	for _, c := range b.commands() {
		body, _ := json.Marshal(c.Body)
		fmt.Fprintf(w, "\n# %s\n", c.API)
		fmt.Fprintf(w, "curl -s -X %s %s", c.Method, shellQuote(baseURL+c.Path))
		for _, h := range c.Headers {
			fmt.Fprintf(w, " \\\n  -H %s", shellQuote(h[0]+": "+h[1]))
		}
		fmt.Fprintf(w, " \\\n  -d %s\n", shellQuote(string(body)))
	}
	fmt.Fprintf(w, `
Also: %s/healthz, %s/metrics, %s/docs. Stop with Ctrl-C.
`, baseURL, baseURL, baseURL)
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
