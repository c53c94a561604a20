package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

const creditsUsage = `Usage:
  enrichd credits grant KEY N [--note TEXT] [--db DSN]
  enrichd credits grant --key KEY --credits N [--note TEXT] [--db DSN]

Adds N credits to a key's balance. A negative N (given as --credits -N)
takes credits back, never below zero. Every grant is a ledger entry; see 'enrichd usage'. KEY is a key
id or its visible prefix (ek_live_XXXX).
`

// runCredits dispatches 'enrichd credits grant'.
func runCredits(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, creditsUsage)
		if len(args) == 0 {
			return usageError{msg: "credits: no subcommand given", printed: true}
		}
		return errHelp
	}
	if args[0] != "grant" {
		return usageErrorf("credits: unknown subcommand %q (grant)", args[0])
	}
	fs := newFlagSet("credits grant", stderr, creditsUsage)
	db := dbFlag(fs)
	keyRef := fs.String("key", "", "key id or prefix")
	credits := fs.String("credits", "", "credits to add (negative: take back)")
	note := fs.String("note", "", "note recorded in the ledger, e.g. an invoice number")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	ref, amount := *keyRef, *credits
	for _, p := range pos {
		switch {
		case ref == "":
			ref = p
		case amount == "":
			amount = p
		default:
			return usageErrorf("credits grant: unexpected argument %q", p)
		}
	}
	if ref == "" || amount == "" {
		return usageErrorf("credits grant: want a KEY and a number of credits")
	}
	n, err := strconv.ParseInt(amount, 10, 64)
	if err != nil || n == 0 {
		return usageErrorf("credits grant: %q is not a non-zero whole number of credits", amount)
	}
	accounts, closeStore, err := openAccounts(ctx, fs, *db, env)
	if err != nil {
		return err
	}
	defer closeStore()
	k, err := resolveKey(ctx, accounts, ref)
	if err != nil {
		return err
	}
	balance, err := accounts.Grant(ctx, k.ID, n, *note)
	if err != nil {
		return cliError(err)
	}
	verb := "Granted"
	if n < 0 {
		verb, n = "Took back", -n
	}
	fmt.Fprintf(stdout, "%s %d credits on key %s %q; balance now %d.\n", verb, n, k.ID, k.Name, balance)
	return nil
}
