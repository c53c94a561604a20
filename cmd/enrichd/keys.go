package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/enrichd/enrichd"
)

const keysUsage = `Usage:
  enrichd keys create --name NAME [--credits N] [plan flags] [--expires AGE|DATE] [--db DSN]
  enrichd keys list   [--json] [--db DSN]
  enrichd keys show   KEY [--json] [--db DSN]
  enrichd keys update KEY [plan flags] [--db DSN]
  enrichd keys revoke KEY [--db DSN]

Manages API keys. 'create' prints the new key alone on the last line of
stdout; it is stored only as a hash and cannot be shown again. KEY is a key id
or its visible prefix (ek_live_XXXX).

The default plan ("default"): every API, 600 requests per minute, no daily
quota, and the contact, certifications and honors field groups.

Plan flags:
  --plan NAME          plan name
  --rpm N              requests per minute (0: unlimited)
  --daily-quota N      requests per UTC day (0: unlimited)
  --apis LIST          comma-separated APIs the key may call (native,crustdata,clodura,ocean,apione; "all": every one)
  --deny LIST          comma-separated endpoints refused, as api:endpoint
  --fields LIST        comma-separated field groups granted ("none": no group)
  --price API:ITEM=N   a price override (repeatable), e.g. --price clodura:person=1
`

// runKeys dispatches 'enrichd keys <create|list|show|update|revoke>'.
func runKeys(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, keysUsage)
		if len(args) == 0 {
			return usageError{msg: "keys: no subcommand given", printed: true}
		}
		return errHelp
	}
	switch args[0] {
	case "create":
		return runKeysCreate(ctx, args[1:], env, stdout, stderr)
	case "list", "ls":
		return runKeysList(ctx, args[1:], env, stdout, stderr)
	case "show":
		return runKeysShow(ctx, args[1:], env, stdout, stderr)
	case "update":
		return runKeysUpdate(ctx, args[1:], env, stdout, stderr)
	case "revoke":
		return runKeysRevoke(ctx, args[1:], env, stdout, stderr)
	}
	return usageErrorf("keys: unknown subcommand %q (create, list, show, update, revoke)", args[0])
}

// planFlags are the flags that set a plan, shared by create and update.
type planFlags struct {
	name              string
	rpm, quota        int
	apis, deny, field string
	prices            priceFlag
}

func addPlanFlags(fs *flag.FlagSet, def enrichd.Plan) *planFlags {
	p := &planFlags{prices: priceFlag{}}
	fs.StringVar(&p.name, "plan", def.Name, "plan name")
	fs.IntVar(&p.rpm, "rpm", def.RequestsPerMinute, "requests per minute (0: unlimited)")
	fs.IntVar(&p.quota, "daily-quota", def.DailyQuota, "requests per UTC day (0: unlimited)")
	fs.StringVar(&p.apis, "apis", "all", "comma-separated APIs the key may call, or all")
	fs.StringVar(&p.deny, "deny", "", "comma-separated endpoints refused, as api:endpoint")
	fs.StringVar(&p.field, "fields", strings.Join(def.FieldPermissions, ","), "comma-separated field groups granted, or none")
	fs.Var(p.prices, "price", "price override api:item=N (repeatable)")
	return p
}

// apply sets on plan the fields whose flags were given (all of them when all).
func (p *planFlags) apply(plan *enrichd.Plan, set map[string]bool, all bool) {
	if all || set["plan"] {
		plan.Name = p.name
	}
	if all || set["rpm"] {
		plan.RequestsPerMinute = p.rpm
	}
	if all || set["daily-quota"] {
		plan.DailyQuota = p.quota
	}
	if all || set["apis"] {
		plan.APIs = splitList(p.apis, "all")
	}
	if all || set["deny"] {
		plan.DeniedEndpoints = splitList(p.deny, "")
	}
	if all || set["fields"] {
		plan.FieldPermissions = splitList(p.field, "none")
	}
	if set["price"] {
		if plan.Prices == nil {
			plan.Prices = map[string]int64{}
		}
		for k, v := range p.prices {
			plan.Prices[k] = v
		}
	}
}

// splitList splits a comma-separated list; empty or the word none yields nil.
func splitList(s, none string) []string {
	s = strings.TrimSpace(s)
	if s == "" || (none != "" && strings.EqualFold(s, none)) {
		return nil
	}
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// priceFlag collects --price api:item=N.
type priceFlag map[string]int64

func (p priceFlag) String() string { return "" }

func (p priceFlag) Set(s string) error {
	name, n, ok := strings.Cut(s, "=")
	credits, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
	if !ok || err != nil || credits < 0 || !strings.Contains(name, ":") {
		return fmt.Errorf("want api:item=N with N ≥ 0, e.g. clodura:person=1")
	}
	p[strings.TrimSpace(name)] = credits
	return nil
}

// openAccounts opens the store named by --db or ENRICHD_DB, migrating it.
func openAccounts(ctx context.Context, fs *flag.FlagSet, db string, env func(string) string) (enrichd.AccountService, func() error, error) {
	st, err := openStores(ctx, resolveDB(fs, db, env), true)
	if err != nil {
		return nil, nil, err
	}
	return st.Accounts, st.Close, nil
}

// parseExpiry reads --expires: an age from now (90d, 720h) or a time (RFC 3339 or a date, UTC).
func parseExpiry(s string, now time.Time) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			t := now.AddDate(0, 0, n)
			return &t, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		t := now.Add(d)
		return &t, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, usageErrorf("--expires %q: want an age (90d, 720h) or a time (2027-01-01, RFC 3339)", s)
}

func runKeysCreate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keys create", stderr, keysUsage)
	db := dbFlag(fs)
	name := fs.String("name", "", "name of the key's owner or use (required)")
	credits := fs.Int64("credits", 0, "initial credit balance")
	expires := fs.String("expires", "", "expiry: an age (90d, 720h) or a time (2027-01-01); default never")
	pf := addPlanFlags(fs, enrichd.DefaultPlan())
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageErrorf("keys create: unexpected argument %q", pos[0])
	case strings.TrimSpace(*name) == "":
		return usageErrorf("keys create: --name is required")
	case *credits < 0:
		return usageErrorf("keys create: --credits must not be negative")
	}
	exp, err := parseExpiry(*expires, time.Now())
	if err != nil {
		return err
	}
	plan := enrichd.DefaultPlan()
	set := setFlags(fs)
	pf.apply(&plan, set, true)
	if !set["plan"] && (set["rpm"] || set["daily-quota"] || set["apis"] || set["deny"] || set["fields"] || set["price"]) {
		plan.Name = "custom" // no longer the default plan
	}

	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	key, secret, err := accounts.CreateAPIKey(ctx, *name, plan, *credits, exp)
	if err != nil {
		return cliError(err)
	}
	expiry := "never expires"
	if key.ExpiresAt != nil {
		expiry = "expires " + key.ExpiresAt.Format(time.RFC3339)
	}
	fmt.Fprintf(stdout, "Created API key %s %q: plan %s, %d credits, %s.\n", key.ID, key.Name, describePlan(key.Plan), key.Balance, expiry)
	fmt.Fprintf(stdout, "Its prefix %s identifies it in lists. Store the key now: it is not shown again.\n", key.Prefix)
	fmt.Fprintln(stdout, secret) // the contract: the key alone on the last line
	return nil
}

func runKeysList(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keys list", stderr, keysUsage)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("keys list: unexpected argument %q", pos[0])
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	keys, err := accounts.FindAPIKeys(ctx)
	if err != nil {
		return cliError(err)
	}
	now := time.Now()
	if *asJSON {
		out := make([]keyJSON, len(keys))
		for i, k := range keys {
			out[i] = keyJSON{APIKey: k, Status: k.KeyStatus(now)}
		}
		return writeJSONTo(stdout, out)
	}
	if len(keys) == 0 {
		fmt.Fprintln(stdout, "No API keys. Create one with: enrichd keys create --name NAME --credits N")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tPLAN\tBALANCE\tSTATUS\tCREATED\tEXPIRES")
	for _, k := range keys {
		exp := "-"
		if k.ExpiresAt != nil {
			exp = k.ExpiresAt.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.Plan.Name, k.Balance, k.KeyStatus(now), k.CreatedAt.Format(time.DateOnly), exp)
	}
	return tw.Flush()
}

// keyJSON is a key with its status, as the list and show commands print it.
type keyJSON struct {
	*enrichd.APIKey
	Status string `json:"status"`
}

func runKeysShow(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keys show", stderr, keysUsage)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("keys show: want one KEY (an id or prefix)")
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	k, err := resolveKey(ctx, accounts, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONTo(stdout, keyJSON{APIKey: k, Status: k.KeyStatus(time.Now())})
	}
	printKey(stdout, k)
	return nil
}

func printKey(w io.Writer, k *enrichd.APIKey) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	exp := "never"
	if k.ExpiresAt != nil {
		exp = k.ExpiresAt.Format(time.RFC3339)
	}
	fmt.Fprintf(tw, "ID:\t%s\nName:\t%s\nPrefix:\t%s\nStatus:\t%s\nBalance:\t%d credits\nCreated:\t%s\nExpires:\t%s\n",
		k.ID, k.Name, k.Prefix, k.KeyStatus(time.Now()), k.Balance, k.CreatedAt.Format(time.RFC3339), exp)
	fmt.Fprintf(tw, "Plan:\t%s\n", describePlan(k.Plan))
	if len(k.Plan.DeniedEndpoints) > 0 {
		fmt.Fprintf(tw, "Denied endpoints:\t%s\n", strings.Join(k.Plan.DeniedEndpoints, ", "))
	}
	fields := "none"
	if len(k.Plan.FieldPermissions) > 0 {
		fields = strings.Join(k.Plan.FieldPermissions, ", ")
	}
	fmt.Fprintf(tw, "Field groups:\t%s\n", fields)
	if len(k.Plan.Prices) > 0 {
		names := make([]string, 0, len(k.Plan.Prices))
		for n := range k.Plan.Prices {
			names = append(names, n)
		}
		slices.Sort(names)
		for i, n := range names {
			names[i] = fmt.Sprintf("%s=%d", n, k.Plan.Prices[n])
		}
		fmt.Fprintf(tw, "Price overrides:\t%s\n", strings.Join(names, ", "))
	}
	tw.Flush()
}

// describePlan is a one-line summary of a plan.
func describePlan(p enrichd.Plan) string {
	rate, quota, apis := "unlimited", "no daily quota", "all APIs"
	if p.RequestsPerMinute > 0 {
		rate = fmt.Sprintf("%d/min", p.RequestsPerMinute)
	}
	if p.DailyQuota > 0 {
		quota = fmt.Sprintf("%d/day", p.DailyQuota)
	}
	if len(p.APIs) > 0 {
		apis = strings.Join(p.APIs, ",")
	}
	return fmt.Sprintf("%s (%s, %s, %s)", p.Name, apis, rate, quota)
}

func runKeysUpdate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keys update", stderr, keysUsage)
	db := dbFlag(fs)
	pf := addPlanFlags(fs, enrichd.DefaultPlan())
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("keys update: want one KEY (an id or prefix)")
	}
	set := setFlags(fs)
	delete(set, "db")
	if len(set) == 0 {
		return usageErrorf("keys update: give at least one plan flag (--plan, --rpm, --daily-quota, --apis, --deny, --fields, --price)")
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	k, err := resolveKey(ctx, accounts, pos[0])
	if err != nil {
		return err
	}
	plan := k.Plan
	pf.apply(&plan, set, false)
	if err := accounts.UpdatePlan(ctx, k.ID, plan); err != nil {
		return cliError(err)
	}
	k.Plan = plan
	fmt.Fprintf(stdout, "Updated the plan of key %s %q:\n", k.ID, k.Name)
	printKey(stdout, k)
	return nil
}

func runKeysRevoke(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keys revoke", stderr, keysUsage)
	db := dbFlag(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("keys revoke: want one KEY (an id or prefix)")
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	k, err := resolveKey(ctx, accounts, pos[0])
	if err != nil {
		return err
	}
	if err := accounts.RevokeAPIKey(ctx, k.ID); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "Revoked key %s %q (%s). Requests with it now fail with 401.\n", k.ID, k.Name, k.Prefix)
	return nil
}

// resolveKey finds a key by id, or by its visible prefix (or a whole secret,
// which starts with its prefix); it refuses an ambiguous prefix.
func resolveKey(ctx context.Context, accounts enrichd.AccountService, ref string) (*enrichd.APIKey, error) {
	ref = strings.TrimSpace(ref)
	if !strings.HasPrefix(ref, enrichd.APIKeySecretPrefix) {
		k, err := accounts.FindAPIKeyByID(ctx, ref)
		if err != nil {
			return nil, cliError(err)
		}
		return k, nil
	}
	keys, err := accounts.FindAPIKeys(ctx)
	if err != nil {
		return nil, cliError(err)
	}
	var found []*enrichd.APIKey
	for _, k := range keys {
		if strings.HasPrefix(ref, k.Prefix) {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no API key has the prefix of %q", ref[:min(len(ref), len(enrichd.APIKeySecretPrefix)+4)])
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, k := range found {
		ids[i] = k.ID
	}
	return nil, fmt.Errorf("several keys share that prefix; use an id: %s", strings.Join(ids, ", "))
}

// cliError keeps an application error's client-safe message (no "enrichd
// error: code=..." noise) and passes other errors through.
func cliError(err error) error {
	e := enrichd.AsError(err)
	if e == nil {
		return err
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for n := range e.Fields {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			msg += fmt.Sprintf("\n  %s: %s", n, e.Fields[n])
		}
	}
	return fmt.Errorf("%s", msg)
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
