package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/enrichd/enrichd"
	"github.com/jackc/pgx/v5"
)

var _ enrichd.BulkIngester = (*IngestService)(nil)

// bulkTables are the tables whose non-unique indexes a bulk load drops: the
// people indexes (the search indexes of 0003_search, linkedin_url and
// company_id), person_keys' person_id index and person_terms' trigram index.
// Unique indexes stay: ingest needs them to find and to refuse duplicates.
var bulkTables = []string{"people", "person_keys", "person_terms"}

// BeginBulk drops the non-unique indexes of bulkTables and records them in
// bulk_indexes for EndBulk to re-create: building an index once from sorted
// rows is far cheaper than maintaining it row by row during a large import
// (random ids put every insert at a random leaf; a trigram GIN entry costs a
// dozen posting-list updates). Until EndBulk, searches stay correct but
// scan, old keys of changed people are derived from their stored doc
// (storeplan.Options.OldKeysFromDoc), and batches commit asynchronously
// (see ingest). If the process dies before EndBulk, the next Migrate
// re-creates the indexes.
func (s *IngestService) BeginBulk(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = ANY($1) AND indexdef NOT LIKE 'CREATE UNIQUE%'`, bulkTables)
		if err != nil {
			return err
		}
		type index struct{ name, sql string }
		var indexes []index
		for rows.Next() {
			var ix index
			if err := rows.Scan(&ix.name, &ix.sql); err != nil {
				rows.Close()
				return err
			}
			indexes = append(indexes, ix)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, `INSERT INTO bulk_indexes (name, sql) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET sql = EXCLUDED.sql`, ix.name, ix.sql); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	s.bulk.Store(true)
	return nil
}

// EndBulk re-creates the indexes BeginBulk dropped.
func (s *IngestService) EndBulk(ctx context.Context) error {
	err := s.db.finishBulk(ctx)
	if err == nil {
		s.bulk.Store(false)
	}
	return err
}

// bulkBuilders is how many indexes finishBulk builds at once, each on a
// connection of its own.
const bulkBuilders = 2

// bulkIndexMem is maintenance_work_mem for an index build: the sort of a
// million people's b-tree entries, or the trigram lists of a GIN index,
// then fits in memory instead of spilling to temporary files.
const bulkIndexMem = "256MB"

// finishBulk re-creates every index recorded in bulk_indexes; a no-op when
// no bulk load is pending.
//
// NOTE: each index is built in a transaction of its own that also deletes
// its bulk_indexes row, bulkBuilders at a time (CREATE INDEX takes a SHARE
// lock, which concurrent builds on one table share), largest first. An
// interrupted finish leaves the remaining rows for the next one. Rows
// locked by another finisher (a node migrating meanwhile) are skipped, then
// waited for at the end, so that finishBulk returns only when every index
// exists.
func (db *DB) finishBulk(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, bulkBuilders)
	for w := range bulkBuilders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				done, err := db.buildBulkIndex(ctx, true)
				if err != nil || done {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	for {
		done, err := db.buildBulkIndex(ctx, false)
		if err != nil {
			return fmt.Errorf("end bulk: %w", FormatError(err))
		}
		if !done {
			continue
		}
		// A row deleted while this waited for its lock reads as none left.
		var n int
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM bulk_indexes`).Scan(&n); err != nil {
			return fmt.Errorf("end bulk: %w", FormatError(err))
		}
		if n == 0 {
			return nil
		}
	}
}

// buildBulkIndex re-creates one index of bulk_indexes and deletes its row;
// done when none is left (none unlocked, with skipLocked).
func (db *DB) buildBulkIndex(ctx context.Context, skipLocked bool) (done bool, err error) {
	lock := `FOR UPDATE`
	if skipLocked {
		lock += ` SKIP LOCKED`
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// GIN indexes first: they take longest.
		var name, stmt string
		err := tx.QueryRow(ctx, `SELECT name, sql FROM bulk_indexes ORDER BY sql LIKE '% USING gin %' DESC, name LIMIT 1 `+lock).Scan(&name, &stmt)
		if errors.Is(err, pgx.ErrNoRows) {
			done = true
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '`+bulkIndexMem+`'`); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("create %s: %w", name, err)
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM bulk_indexes WHERE name = $1`, name)
		return err
	})
	return done, err
}
