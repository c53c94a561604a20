package main

import (
	"context"
	"fmt"
	"io"
)

// runMigrate applies pending migrations to the store and reports the result.
func runMigrate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr, `Usage: enrichd migrate [--db DSN]

Applies the pending schema migrations of the store, one transaction each.
'enrichd serve' also migrates at start unless given --no-migrate.
`)
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	dsn := resolveDB(fs, *db, env)
	st, err := openStores(ctx, dsn, true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "%s store %s: schema is current\n", st.Backend, redactDSN(dsn))
	return nil
}
