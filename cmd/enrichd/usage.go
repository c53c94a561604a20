package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/enrichd/enrichd"
)

const usageUsage = `Usage: enrichd usage [--key KEY] [--since WHEN] [--entries] [--json] [--db DSN]

Reports credit usage from the ledger: per key, API, endpoint and outcome,
the number of requests and the credits spent (grants show as negative
credits), then totals. WHEN is a date (2026-11-01), an RFC 3339 time or an
age (24h, 7d); default 30d. --entries lists every ledger entry instead.
`

// runUsage prints the usage report.
func runUsage(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("usage", stderr, usageUsage)
	db := dbFlag(fs)
	keyRef := fs.String("key", "", "only this key (id or prefix)")
	sinceFlag := fs.String("since", "30d", "start of the period: a date, an RFC 3339 time or an age (24h, 7d)")
	entries := fs.Bool("entries", false, "list every ledger entry")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("usage: unexpected argument %q", pos[0])
	}
	since, err := enrichd.ParseSince(*sinceFlag, time.Now())
	if err != nil {
		return usageErrorf("usage: --since: %s", enrichd.ErrorMessage(err))
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	keyID := ""
	if *keyRef != "" {
		k, err := resolveKey(ctx, accounts, *keyRef)
		if err != nil {
			return err
		}
		keyID = k.ID
	}
	list, err := accounts.Usage(ctx, keyID, since)
	if err != nil {
		return cliError(err)
	}
	summary := enrichd.SummarizeUsage(list)
	if *asJSON {
		out := map[string]any{"since": since.UTC(), "summary": summary}
		if keyID != "" {
			out["key_id"] = keyID
		}
		if *entries {
			out["entries"] = list
		}
		return writeJSONTo(stdout, out)
	}
	fmt.Fprintf(stdout, "Usage since %s", since.UTC().Format(time.RFC3339))
	if keyID != "" {
		fmt.Fprintf(stdout, " of key %s", keyID)
	}
	fmt.Fprintln(stdout, ":")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if *entries {
		fmt.Fprintln(tw, "TIME\tKEY\tREQUEST\tAPI\tENDPOINT\tOUTCOME\tCREDITS\tBALANCE\tNOTE")
		for _, e := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", e.CreatedAt.Format(time.RFC3339), e.KeyID, dash(e.RequestID), e.API, e.Endpoint, e.Outcome, e.Credits, e.BalanceAfter, dash(e.Note))
		}
	} else {
		fmt.Fprintln(tw, "KEY\tAPI\tENDPOINT\tOUTCOME\tREQUESTS\tCREDITS")
		for _, l := range summary.Lines {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\n", l.KeyID, l.API, l.Endpoint, l.Outcome, l.Requests, l.Credits)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Total: %d requests, %d credits spent, %d credits granted.\n", summary.Requests, summary.Debited, summary.Granted)
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
